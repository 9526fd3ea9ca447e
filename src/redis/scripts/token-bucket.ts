/**
 * Mirrors src/rate-limit/token-bucket.ts (GCRA). State, in the client key's hash: `t` = the
 * theoretical arrival time in epoch milliseconds (fractional, written at full precision).
 * `finish` returns the field to write and how long it must live.
 */
export const TOKEN_BUCKET = `
local interval = w / limit
local tat = tonumber(st.t) or 0
if tat < now then tat = now end
local nextTat = tat + cost * interval
local allowed = nextTat - w <= now + 1e-6
local function finish(count)
  local t = tat
  local stamp = 0
  if allowed then
    if count then t = nextTat; stamp = t end
  elseif count then t = math.min(nextTat, now + 2 * w) end
  local remaining = math.min(limit, math.floor((now + w - t) / interval + 1e-6))
  local resetMs = up(t - now)
  -- A time in the past reads as now: nothing needs writing until the bucket holds debt.
  local writes = NONE
  if resetMs > 0 and t ~= tonumber(st.t) then writes = { 't', fmt(t) } end
  local retry = 0
  if not allowed then retry = up(t + cost * interval - w - now) end
  return {
    allowed and 1 or 0, remaining, resetMs, retry, fmt(stamp), writes = writes, need = resetMs
  }
end
`;
