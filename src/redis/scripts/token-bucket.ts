/**
 * Mirrors src/rate-limit/token-bucket.ts (GCRA). State: one number, the theoretical arrival
 * time in epoch milliseconds (fractional; Redis passes Lua numbers at full precision). The
 * state is read once; `finish` writes it with or without this request's count.
 */
export const TOKEN_BUCKET = `
local interval = w / limit
local tat = tonumber(redis.call('GET', key)) or 0
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
  if resetMs > 0 then
    redis.call('SET', key, string.format('%.17g', t), 'PX', resetMs)
  else
    redis.call('DEL', key)
  end
  local retry = 0
  if not allowed then retry = up(t + cost * interval - w - now) end
  return { allowed and 1 or 0, remaining, resetMs, retry, string.format('%.17g', stamp) }
end
`;
