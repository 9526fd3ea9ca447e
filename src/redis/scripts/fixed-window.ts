/**
 * Mirrors src/rate-limit/fixed-window.ts. State, in the client key's hash: `a` = window
 * start, `b` = count. `finish` returns the fields to write and how long they must live.
 */
export const FIXED_WINDOW = `
local a = tonumber(st.a) or 0
local b = tonumber(st.b) or 0
local fresh = b == 0 or now >= a + w
if fresh then a = now; b = 0 end
local allowed = b + cost <= limit
local ends = a + w
local function finish(count)
  local nb = b
  local writes = NONE
  if count then
    nb = b + cost
    if fresh then writes = { 'a', a, 'b', nb } else writes = { 'b', nb } end
  end
  local stamp = 0
  if allowed and count then stamp = now end
  return {
    allowed and 1 or 0, limit - nb, ends - now, ends - now, fmt(stamp),
    writes = writes, need = count and ends - now or 0
  }
end
`;
