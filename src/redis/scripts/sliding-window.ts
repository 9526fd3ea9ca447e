/**
 * Mirrors src/rate-limit/sliding-window.ts, in the same integer arithmetic.
 * State: hash { a = current window start, b = current count, c = previous count }, written
 * whole once per window and incremented in place inside it. The state is read once; `finish`
 * writes it with or without this request's count (see ./prelude.ts for `dry` and `commit`).
 */
export const SLIDING_WINDOW = `
local s = redis.call('HMGET', key, 'a', 'b', 'c')
local a = tonumber(s[1]) or 0
local b = tonumber(s[2]) or 0
local c = tonumber(s[3]) or 0
local start = now - (now % w)
local moved = start ~= a
if moved then
  if start - a == w then c = b else c = 0 end
  b = 0
  a = start
end
local elapsed = now - start
local prevWeighted = c * (w - elapsed)
local allowed = prevWeighted + (b + cost) * w <= limit * w
local function finish(count)
  local nb = b
  if count then nb = b + cost end
  local remaining = math.floor((limit * w - prevWeighted - nb * w) / w)
  local resetMs = 0
  if nb > 0 then resetMs = start + 2 * w - now elseif c > 0 then resetMs = start + w - now end
  local retry = 0
  if not allowed then
    local room = limit - cost - nb
    local found = false
    if room >= 0 and c > 0 then
      local e = w - math.floor((room * w) / c)
      if e < w then retry = e - elapsed; found = true end
    end
    if not found then
      local eNext = 0
      if nb > 0 then eNext = math.max(0, w - math.floor(((limit - cost) * w) / nb)) end
      retry = w - elapsed + math.min(eNext, w)
    end
  end
  if moved then
    -- A new window: write the whole state once, with a TTL that ends when the window after
    -- this one ends (the state is fresh again then).
    if nb > 0 or c > 0 then
      redis.call('HSET', key, 'a', a, 'b', nb, 'c', c)
      redis.call('PEXPIRE', key, start + 2 * w - now)
    else
      redis.call('DEL', key)
    end
  elseif count then
    -- Same window: increment in place; the TTL set when the window began still holds.
    redis.call('HINCRBY', key, 'b', cost)
  end
  local stamp = 0
  if allowed and count then stamp = now end
  return { allowed and 1 or 0, remaining, resetMs, retry, string.format('%.17g', stamp) }
end
`;
