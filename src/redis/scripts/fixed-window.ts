/**
 * Mirrors src/rate-limit/fixed-window.ts. State: hash { a = window start, b = count }. The
 * TTL is set once per window (it ends with the window); inside a window a decision only
 * increments the count in place, which keeps Redis's work per call close to a bare INCRBY.
 * The state is read once; `finish` writes it with or without this request's count.
 */
export const FIXED_WINDOW = `
local s = redis.call('HMGET', key, 'a', 'b')
local a = tonumber(s[1]) or 0
local b = tonumber(s[2]) or 0
local fresh = b == 0 or now >= a + w
if fresh then a = now; b = 0 end
local allowed = b + cost <= limit
local ends = a + w
local function finish(count)
  local nb = b
  if count then
    nb = b + cost
    if fresh then
      redis.call('HSET', key, 'a', a, 'b', nb)
      redis.call('PEXPIRE', key, w)
    else
      redis.call('HINCRBY', key, 'b', cost)
    end
  end
  local stamp = 0
  if allowed and count then stamp = now end
  return { allowed and 1 or 0, limit - nb, ends - now, ends - now, string.format('%.17g', stamp) }
end
`;
