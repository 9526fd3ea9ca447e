/**
 * Mirrors src/rate-limit/sliding-log.ts. State: the most recent `limit` unit timestamps,
 * newest first, as one MessagePack array (cmsgpack is built into Redis's Lua), read with one
 * GET and written back with its TTL in one SET.
 */
export const SLIDING_LOG = `
local raw = redis.call('GET', key)
local log = {}
if raw then log = cmsgpack.unpack(raw) end
local n = #log
local horizon = now - w
local k = limit - cost + 1
local allowed = k > n or log[k] <= horizon
local inWindow = 0
for i = 1, n do
  if log[i] > horizon then inWindow = i else break end
end
if allowed or countRejected then
  local keep = math.min(inWindow, limit - cost)
  local fresh = {}
  for i = 1, cost do fresh[i] = now end
  for i = 1, keep do fresh[cost + i] = log[i] end
  log = fresh
  n = cost + keep
  inWindow = math.min(limit, inWindow + cost)
end
local resetMs = 0
if inWindow > 0 then
  resetMs = log[1] + w - now
  -- Expired timestamps are dropped on write: only the window's entries are kept.
  if n > inWindow then
    for i = n, inWindow + 1, -1 do log[i] = nil end
  end
  redis.call('SET', key, cmsgpack.pack(log), 'PX', resetMs)
else
  redis.call('DEL', key)
end
local retry = 0
if not allowed then retry = log[k] + w - now end
return { allowed and 1 or 0, limit - inWindow, resetMs, retry }
`;
