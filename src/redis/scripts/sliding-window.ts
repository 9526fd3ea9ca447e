import { PRELUDE } from './prelude.js';

/**
 * Mirrors src/rate-limit/sliding-window.ts, in the same integer arithmetic.
 * State: one string, "<current window start> <current count> <previous count>", with its TTL.
 */
export const SLIDING_WINDOW = `${PRELUDE}
local a, b, c = 0, 0, 0
local raw = redis.call('GET', key)
if raw then
  local sa, sb, sc = string.match(raw, '^(%S+) (%S+) (%S+)$')
  a = tonumber(sa) or 0
  b = tonumber(sb) or 0
  c = tonumber(sc) or 0
end
local start = now - (now % w)
if start ~= a then
  if start - a == w then c = b else c = 0 end
  b = 0
  a = start
end
local elapsed = now - start
local prevWeighted = c * (w - elapsed)
local allowed = prevWeighted + (b + cost) * w <= limit * w
if allowed or countRejected then b = b + cost end
local remaining = math.floor((limit * w - prevWeighted - b * w) / w)
local resetMs = 0
if b > 0 then resetMs = start + 2 * w - now elseif c > 0 then resetMs = start + w - now end
local retry = 0
if not allowed then
  local room = limit - cost - b
  local found = false
  if room >= 0 and c > 0 then
    local e = w - math.floor((room * w) / c)
    if e < w then retry = e - elapsed; found = true end
  end
  if not found then
    local eNext = 0
    if b > 0 then eNext = math.max(0, w - math.floor(((limit - cost) * w) / b)) end
    retry = w - elapsed + math.min(eNext, w)
  end
end
if resetMs > 0 then
  redis.call('SET', key, string.format('%d %d %d', a, b, c), 'PX', resetMs)
else
  redis.call('DEL', key)
end
return { allowed and 1 or 0, remaining, resetMs, retry }
`;
