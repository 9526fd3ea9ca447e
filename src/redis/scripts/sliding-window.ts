/**
 * Mirrors src/rate-limit/sliding-window.ts, in the same integer arithmetic. State, in the
 * client key's hash: `a` = current window start, `b` = current count, `c` = previous count.
 * `finish` returns the fields to write (the caller writes every limit's fields of one hash
 * in one HSET) and how long the state must live.
 */
export const SLIDING_WINDOW = `
local a = tonumber(st.a) or 0
local b = tonumber(st.b) or 0
local c = tonumber(st.c) or 0
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
  local writes = NONE
  local need = 0
  if moved then
    -- A new window: the whole state once; nothing when it equals a fresh one.
    if nb > 0 or c > 0 then
      writes = { 'a', a, 'b', nb, 'c', c }
      need = start + 2 * w - now
    end
  elseif count then
    writes = { 'b', nb }
    need = start + 2 * w - now
  end
  local stamp = 0
  if allowed and count then stamp = now end
  return { allowed and 1 or 0, remaining, resetMs, retry, fmt(stamp), writes = writes, need = need }
end
`;
