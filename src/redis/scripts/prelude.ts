import { FIXED_WINDOW } from './fixed-window.js';
import { SLIDING_LOG } from './sliding-log.js';
import { SLIDING_WINDOW } from './sliding-window.js';
import { TOKEN_BUCKET } from './token-bucket.js';

/** The algorithms in the order the combined and refund scripts number them (1-based in Lua). */
export const ALGORITHM_ORDER = ['sliding-window', 'sliding-log', 'fixed-window', 'token-bucket'] as const;

/**
 * How every algorithm body ends: its `finish(count)` writes the state with or without this
 * request's count and returns the decision. `dry` (the first pass of a combined decision)
 * leaves an admitted request uncounted and returns a `commit` that counts it from the state
 * already read, so a combined decision reads each limit's state once.
 */
const TAIL = `
local count = countRejected
if allowed then count = not dry end
if dry and allowed then
  local r = finish(false)
  r.commit = function() return finish(true) end
  return r
end
return finish(count)
`;

/**
 * What every script shares. Each algorithm is a function of `(key, cost, now, limit, w,
 * countRejected, dry)` returning `{ allowed, remaining, resetMs, retryAfterMs, stamp }`;
 * `decideBlocked` adds the policy's block around it, mirroring src/rate-limit/block.ts. The
 * block state lives in `<key>:b` (same hash tag, same Cluster slot): `u` = blocked until,
 * `l` = blocks imposed this episode, expiring one window after the block ends.
 */
const COMMON = `
if redis.replicate_commands then redis.replicate_commands() end
local function up(x) return math.ceil(x - 1e-6) end
local function sliding_window(key, cost, now, limit, w, countRejected, dry)
${SLIDING_WINDOW}${TAIL}
end
local function sliding_log(key, cost, now, limit, w, countRejected, dry)
${SLIDING_LOG}${TAIL}
end
local function fixed_window(key, cost, now, limit, w, countRejected, dry)
${FIXED_WINDOW}${TAIL}
end
local function token_bucket(key, cost, now, limit, w, countRejected, dry)
${TOKEN_BUCKET}${TAIL}
end
local ALGORITHMS = { sliding_window, sliding_log, fixed_window, token_bucket }
local function blockLength(blockMs, mult, maxBlock, level)
  local len = blockMs * (mult ^ (level - 1))
  if len < maxBlock then return math.ceil(len) end
  return maxBlock
end
local function refusedUntil(r, u, now)
  local wait = u - now
  local retry = wait
  if r[1] == 0 and r[4] > wait then retry = r[4] end
  return { 0, 0, math.max(r[3], wait), retry, '0' }
end
local function decideBlocked(alg, key, cost, now, limit, w, cr, dry, blockMs, mult, maxBlock)
  if blockMs == 0 then return alg(key, cost, now, limit, w, cr, dry) end
  local bkey = key .. ':b'
  local s = redis.call('HMGET', bkey, 'u', 'l')
  local u = tonumber(s[1]) or 0
  local l = tonumber(s[2]) or 0
  if now < u then
    local r = alg(key, cost, now, limit, w, cr, not cr)
    if mult > 1 then
      l = l + 1
      u = math.max(u, now + blockLength(blockMs, mult, maxBlock, l))
      redis.call('HSET', bkey, 'u', u, 'l', l)
      redis.call('PEXPIRE', bkey, u + w - now)
    end
    return refusedUntil(r, u, now)
  end
  local r = alg(key, cost, now, limit, w, cr, dry)
  if r[1] == 1 then return r end
  if l > 0 and now < u + w then l = l + 1 else l = 1 end
  u = now + blockLength(blockMs, mult, maxBlock, l)
  redis.call('HSET', bkey, 'u', u, 'l', l)
  redis.call('PEXPIRE', bkey, u + w - now)
  return refusedUntil(r, u, now)
end
local clock
local function timeOr(arg)
  local now = tonumber(arg)
  if now then return now end
  if not clock then
    local t = redis.call('TIME')
    clock = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  end
  return clock
end
`;

/**
 * The batched script of one algorithm, which every RedisStore `consume` runs.
 *
 * KEYS are the Redis keys of one batch of decisions, in call order; ARGV is the limit, the
 * window, countRejected, blockMs, blockMultiplier, maxBlockMs, then a (cost, now) pair per
 * key. Decisions run one after another inside one atomic script, so several decisions on
 * the same key see each other's writes exactly as separate calls would; the batch only saves
 * round trips and per-command work.
 *
 * The clock is Redis's own TIME (read once per script run), so app servers with skewed clocks
 * still agree on every window; a test may pass a fixed time per decision instead. Redis
 * before 5 needs effects replication for TIME in a writing script.
 */
export function batched(algorithm: number): string {
  return `${COMMON}
local alg = ALGORITHMS[${algorithm}]
local limit = tonumber(ARGV[1])
local w = tonumber(ARGV[2])
local cr = ARGV[3] == '1'
local blockMs = tonumber(ARGV[4])
local mult = tonumber(ARGV[5])
local maxBlock = tonumber(ARGV[6])
local out = {}
for i = 1, #KEYS do
  local now = timeOr(ARGV[2 * i + 6])
  out[i] = decideBlocked(alg, KEYS[i], tonumber(ARGV[2 * i + 5]), now, limit, w, cr, false, blockMs, mult, maxBlock)
end
return out
`;
}

/**
 * Combined decisions (several limits on one request), a batch of them per run. ARGV[1] is
 * the time ('' for Redis TIME), ARGV[2] the number of requests, ARGV[3] the number of
 * policies; then each policy once (algorithm number, limit, window, countRejected, blockMs,
 * blockMultiplier, maxBlockMs); then per request its number of limits and, per limit, its
 * policy's number and cost. KEYS hold every limit's key in the same order. Each limit's state
 * is read once: the first pass decides without counting what it admits, and only when every
 * limit of the request admitted does each `commit` count it. Returns per request the list of
 * its decisions.
 */
export const COMBINED = `${COMMON}
local now = timeOr(ARGV[1])
local requests = tonumber(ARGV[2])
local policies = {}
local a = 4
for p = 1, tonumber(ARGV[3]) do
  policies[p] = {
    ALGORITHMS[tonumber(ARGV[a])], tonumber(ARGV[a + 1]), tonumber(ARGV[a + 2]),
    ARGV[a + 3] == '1', tonumber(ARGV[a + 4]), tonumber(ARGV[a + 5]), tonumber(ARGV[a + 6])
  }
  a = a + 7
end
local k = 1
local out = {}
for q = 1, requests do
  local n = tonumber(ARGV[a])
  a = a + 1
  local results = {}
  local all = true
  for j = 1, n do
    local p = policies[tonumber(ARGV[a])]
    local r = decideBlocked(p[1], KEYS[k], tonumber(ARGV[a + 1]), now, p[2], p[3], p[4], true, p[5], p[6], p[7])
    a = a + 2
    k = k + 1
    results[j] = r
    if r[1] == 0 then all = false end
  end
  local reply = {}
  for j = 1, n do
    local r = results[j]
    if all then r = r.commit() end
    reply[j] = { r[1], r[2], r[3], r[4], r[5] }
  end
  out[q] = reply
end
return out
`;

/**
 * Takes back a count (mirrors the refunds in src/rate-limit/*.ts). KEYS[1] is the key;
 * ARGV: algorithm number, limit, window, cost, stamp, time ('' for Redis TIME).
 */
export const REFUND = `
local key = KEYS[1]
local alg = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local w = tonumber(ARGV[3])
local cost = tonumber(ARGV[4])
local stamp = tonumber(ARGV[5])
local now = tonumber(ARGV[6])
if not now then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
if alg == 1 then
  local s = redis.call('HMGET', key, 'a', 'b', 'c')
  local a = tonumber(s[1])
  if not a then return 0 end
  local start = stamp - (stamp % w)
  local field
  if start == a then field = 'b' elseif start + w == a then field = 'c' else return 0 end
  local v = tonumber(s[field == 'b' and 2 or 3]) or 0
  redis.call('HSET', key, field, math.max(0, v - cost))
elseif alg == 2 then
  if stamp <= now - w then return 0 end
  redis.call('LREM', key, cost, string.format('%.17g', stamp))
elseif alg == 3 then
  local s = redis.call('HMGET', key, 'a', 'b')
  local a = tonumber(s[1])
  local b = tonumber(s[2]) or 0
  if not a or stamp < a or stamp >= a + w then return 0 end
  redis.call('HSET', key, 'b', math.max(0, b - cost))
else
  local tat = tonumber(redis.call('GET', key))
  if not tat then return 0 end
  local amount = math.min(cost * w / limit, stamp - now)
  if amount <= 0 then return 0 end
  tat = math.max(now, tat - amount)
  local ttl = math.ceil(tat - now - 1e-6)
  if ttl > 0 then
    redis.call('SET', key, string.format('%.17g', tat), 'PX', ttl)
  else
    redis.call('DEL', key)
  end
end
return 1
`;
