import { PRELUDE } from './prelude.js';

/**
 * Mirrors src/rate-limit/sliding-log.ts. State: a list of the most recent `limit` unit
 * timestamps, newest first (LPUSH, then LTRIM to `limit`).
 */
export const SLIDING_LOG = `${PRELUDE}
local raw = redis.call('LRANGE', key, 0, limit - 1)
local log = {}
for i = 1, #raw do log[i] = tonumber(raw[i]) end
local n = #log
local horizon = now - w
local k = limit - cost + 1
local allowed = k > n or log[k] <= horizon
if allowed or countRejected then
  local batch = {}
  for i = 1, cost do
    batch[#batch + 1] = now
    if #batch == 1000 or i == cost then
      redis.call('LPUSH', key, unpack(batch))
      batch = {}
    end
  end
  redis.call('LTRIM', key, 0, limit - 1)
  local fresh = {}
  for i = 1, cost do fresh[i] = now end
  for i = 1, math.min(n, limit - cost) do fresh[cost + i] = log[i] end
  log = fresh
  n = math.min(limit, n + cost)
end
local inWindow = 0
for i = 1, n do
  if log[i] > horizon then inWindow = i else break end
end
local resetMs = 0
if inWindow > 0 then
  resetMs = log[1] + w - now
  redis.call('PEXPIRE', key, resetMs)
else
  redis.call('DEL', key)
end
local retry = 0
if not allowed then retry = log[k] + w - now end
return { allowed and 1 or 0, limit - inWindow, resetMs, retry }
`;
