/**
 * Mirrors src/rate-limit/sliding-log.ts. State: a Redis list of its own (`D`; its block, if any,
 * is in the client key's hash) of unit timestamps, newest at
 * the head, at most `limit` long. A decision is a few O(1) list commands: timestamps that
 * left the window are cut from the tail (found by binary search when there are several, so
 * a burst of expiries costs O(log n) calls, never a scan), the count is the list's length,
 * and an admitted request pushes its timestamps at the head. The key expires with its
 * newest timestamp. `finish` writes this request's count, or not (see ./prelude.ts).
 */
export const SLIDING_LOG = `
local horizon = now - w
local key = D
local n = redis.call('LLEN', key)
if n > 0 and tonumber(redis.call('LINDEX', key, -1)) <= horizon then
  -- The first index (from the head) holding a timestamp outside the window.
  local lo, hi = 0, n - 1
  while lo < hi do
    local mid = math.floor((lo + hi) / 2)
    if tonumber(redis.call('LINDEX', key, mid)) <= horizon then hi = mid else lo = mid + 1 end
  end
  n = lo
  if n == 0 then redis.call('DEL', key) else redis.call('LTRIM', key, 0, n - 1) end
end
if n > limit then
  -- The limit was lowered since these were logged.
  redis.call('LTRIM', key, 0, limit - 1)
  n = limit
end
local allowed = n + cost <= limit
local function finish(count)
  local nn = n
  local resetMs = 0
  if count then
    -- In chunks: unpack() of a very large cost would overflow Lua's stack.
    local left = cost
    while left > 0 do
      local chunk = math.min(left, 1000)
      local stamps = {}
      for i = 1, chunk do stamps[i] = now end
      redis.call('LPUSH', key, unpack(stamps))
      left = left - chunk
    end
    nn = n + cost
    if nn > limit then
      redis.call('LTRIM', key, 0, limit - 1)
      nn = limit
    end
    resetMs = w
    redis.call('PEXPIRE', key, w)
  elseif n > 0 then
    resetMs = tonumber(redis.call('LINDEX', key, 0)) + w - now
  end
  local retry = 0
  if not allowed then
    -- The (limit - cost + 1)-th most recent timestamp, counted from the tail.
    retry = tonumber(redis.call('LINDEX', key, limit - cost - nn)) + w - now
  end
  local stamp = 0
  if allowed and count then stamp = now end
  return { allowed and 1 or 0, limit - nn, resetMs, retry, fmt(stamp), writes = NONE, need = 0 }
end
`;
