import { PRELUDE } from './prelude.js';

/**
 * Mirrors src/rate-limit/fixed-window.ts. State: one string, "<window start> <count>",
 * written with its TTL in one SET (fewer commands per decision than a hash plus PEXPIRE).
 */
export const FIXED_WINDOW = `${PRELUDE}
local a, b = 0, 0
local raw = redis.call('GET', key)
if raw then
  local sa, sb = string.match(raw, '^(%S+) (%S+)$')
  a = tonumber(sa) or 0
  b = tonumber(sb) or 0
end
if b == 0 or now >= a + w then a = now; b = 0 end
local allowed = b + cost <= limit
if allowed or countRejected then b = b + cost end
local finish = a + w
redis.call('SET', key, string.format('%d %d', a, b), 'PX', math.max(1, finish - now))
return { allowed and 1 or 0, limit - b, finish - now, finish - now }
`;
