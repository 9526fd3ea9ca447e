/**
 * Mirrors src/rate-limit/fixed-window.ts. State: hash { a = window start, b = count }. The
 * TTL is set once per window (it ends with the window); inside a window a decision only
 * increments the count in place, which keeps Redis's work per call close to a bare INCRBY.
 */
export const FIXED_WINDOW = `
local s = redis.call('HMGET', key, 'a', 'b')
local a = tonumber(s[1]) or 0
local b = tonumber(s[2]) or 0
local fresh = b == 0 or now >= a + w
if fresh then a = now; b = 0 end
local allowed = b + cost <= limit
local finish = a + w
local count = countRejected
if allowed then count = not dry end
if count then
  b = b + cost
  if fresh then
    redis.call('HSET', key, 'a', a, 'b', b)
    redis.call('PEXPIRE', key, w)
  else
    redis.call('HINCRBY', key, 'b', cost)
  end
end
local stamp = 0
if allowed and count then stamp = now end
return { allowed and 1 or 0, limit - b, finish - now, finish - now, string.format('%.17g', stamp) }
`;
