import { PRELUDE } from './prelude.js';

/** Mirrors src/rate-limit/fixed-window.ts. State: hash { a = window start, b = count }. */
export const FIXED_WINDOW = `${PRELUDE}
local s = redis.call('HMGET', key, 'a', 'b')
local a = tonumber(s[1]) or 0
local b = tonumber(s[2]) or 0
if b == 0 or now >= a + w then a = now; b = 0 end
local allowed = b + cost <= limit
if allowed or countRejected then b = b + cost end
local finish = a + w
redis.call('HSET', key, 'a', a, 'b', b)
redis.call('PEXPIRE', key, math.max(1, finish - now))
return { allowed and 1 or 0, limit - b, finish - now, finish - now }
`;
