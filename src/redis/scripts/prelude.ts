import { FIXED_WINDOW } from './fixed-window.js';
import { SLIDING_LOG } from './sliding-log.js';
import { SLIDING_WINDOW } from './sliding-window.js';
import { TOKEN_BUCKET } from './token-bucket.js';

/** The algorithms in the order the combined and refund scripts number them (1-based in Lua). */
export const ALGORITHM_ORDER = [
  'sliding-window',
  'sliding-log',
  'fixed-window',
  'token-bucket',
] as const;

/**
 * How every algorithm body ends: its `finish(count)` returns the decision with the fields to
 * write, with or without this request's count. `dry` (the first pass of a combined decision)
 * answers an admitted request with only `{ 1, commit = finish }`: `commit(true)` counts it
 * from the state already read, `commit(false)` describes it uncounted, so a combined
 * decision reads each client key's state once and builds each decision once.
 */
const TAIL = `
if dry and allowed then
  return { 1, commit = finish }
end
local count = countRejected
if allowed then count = not dry end
return finish(count)
`;

/**
 * What every script shares. State lives in one hash per client key, `<prefix>{<key>}`, one
 * field per limiter and letter (`<name>:a`), so every limit of a request keyed alike is one
 * HMGET and one HSET however many limits there are; the sliding log keeps a list of its own
 * (`D`). Each algorithm is a function of `(st, D, cost, now, limit, w, countRejected, dry)`,
 * `st` being its fields as read, returning `{ allowed, remaining, resetMs, retryAfterMs,
 * stamp }` plus `writes` (letters and values) and `need` (how long the state must live).
 * `decideBlocked` adds the policy's block (`u` = blocked until, `l` = blocks this episode),
 * mirroring src/rate-limit/block.ts. The hash's expiry only ever grows, and its field `~e`
 * remembers it, so a limit with a short window never cuts short a longer one's state: it is
 * read with the state and extended (with room to spare) only when a write needs longer.
 */
const COMMON = `
if redis.replicate_commands then redis.replicate_commands() end
local NONE = {}
local function up(x) return math.ceil(x - 1e-6) end
local function fmt(x) return string.format('%.17g', x) end
local function sliding_window(st, D, cost, now, limit, w, countRejected, dry)
${SLIDING_WINDOW}${TAIL}
end
local function sliding_log(st, D, cost, now, limit, w, countRejected, dry)
${SLIDING_LOG}${TAIL}
end
local function fixed_window(st, D, cost, now, limit, w, countRejected, dry)
${FIXED_WINDOW}${TAIL}
end
local function token_bucket(st, D, cost, now, limit, w, countRejected, dry)
${TOKEN_BUCKET}${TAIL}
end
local ALGORITHMS = { sliding_window, sliding_log, fixed_window, token_bucket }
local LETTERS = { { 'a', 'b', 'c' }, {}, { 'a', 'b' }, { 't' } }
local function blockLength(blockMs, mult, maxBlock, level)
  local len = blockMs * (mult ^ (level - 1))
  if len < maxBlock then return math.ceil(len) end
  return maxBlock
end
-- A refusal until u; the block is written only when it changed (l ~= nil).
local function refusedUntil(r, u, l, now, w)
  local wait = u - now
  local retry = wait
  if r[1] == 0 and r[4] > wait then retry = r[4] end
  local writes = r.writes
  local need = r.need
  if l then
    writes = { 'u', u, 'l', l }
    for i = 1, #r.writes do writes[#writes + 1] = r.writes[i] end
    need = math.max(need, u + w - now)
  end
  return { 0, 0, math.max(r[3], wait), retry, '0', writes = writes, need = need }
end
local function decideBlocked(alg, st, D, cost, now, limit, w, cr, dry, blockMs, mult, maxBlock)
  if blockMs == 0 then return alg(st, D, cost, now, limit, w, cr, dry) end
  local u = tonumber(st.u) or 0
  local l = tonumber(st.l) or 0
  if now < u then
    local r = alg(st, D, cost, now, limit, w, cr, not cr)
    if r.commit then r = r.commit(false) end
    if mult > 1 then
      l = l + 1
      u = math.max(u, now + blockLength(blockMs, mult, maxBlock, l))
      return refusedUntil(r, u, l, now, w)
    end
    return refusedUntil(r, u, nil, now, w)
  end
  local r = alg(st, D, cost, now, limit, w, cr, dry)
  if r[1] == 1 then return r end
  if l > 0 and now < u + w then l = l + 1 else l = 1 end
  return refusedUntil(r, now + blockLength(blockMs, mult, maxBlock, l), l, now, w)
end
-- The fields one limit reads from its hash.
local function fieldsOf(n, name, blockMs, into)
  for _, letter in ipairs(LETTERS[n]) do into[#into + 1] = name .. letter end
  if blockMs > 0 then
    into[#into + 1] = name .. 'u'
    into[#into + 1] = name .. 'l'
  end
end
-- A limit's state from the values HMGET returned, starting at index i.
local function stateOf(n, blockMs, vals, i)
  local st = {}
  for _, letter in ipairs(LETTERS[n]) do
    st[letter] = vals[i]
    i = i + 1
  end
  if blockMs > 0 then
    st.u = vals[i]
    st.l = vals[i + 1]
    i = i + 2
  end
  return st, i
end
-- A limiter's field names by letter, built once per script run, not per decision.
local function namesOf(name)
  return {
    a = name .. 'a', b = name .. 'b', c = name .. 'c', t = name .. 't', u = name .. 'u',
    l = name .. 'l'
  }
end
-- Appends a decision's writes as the limiter's hash fields (names from namesOf).
local function collect(names, r, into)
  local ws = r.writes
  for i = 1, #ws, 2 do
    into[#into + 1] = names[ws[i]]
    into[#into + 1] = ws[i + 1]
  end
end
-- Writes one hash's fields at once, extending its expiry when a write needs longer.
local function flush(h, fields, expires, need, now)
  local e = 0
  if need > 0 and now + need > expires then
    e = now + 2 * need
    fields[#fields + 1] = '~e'
    fields[#fields + 1] = e
  end
  if #fields > 0 then redis.call('HSET', h, unpack(fields)) end
  if e > 0 then redis.call('PEXPIRE', h, e - now) end
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
 * KEYS are two per decision, in call order: the client key's hash and the algorithm's own
 * key (the sliding log's list; the hash again for the others). ARGV is the limit, the
 * window, countRejected, blockMs, blockMultiplier, maxBlockMs and the limiter's field
 * prefix, then a (cost, now) pair per decision. Decisions run one after another inside one
 * atomic script, so several decisions on the same key see each other's writes exactly as
 * separate calls would; the batch only saves round trips and per-command work.
 *
 * The clock is Redis's own TIME (read once per script run), so app servers with skewed clocks
 * still agree on every window; a test may pass a fixed time per decision instead. Redis
 * before 5 needs effects replication for TIME in a writing script.
 */
export function batched(algorithm: number): string {
  return `${COMMON}
local n = ${algorithm}
local alg = ALGORITHMS[n]
local limit = tonumber(ARGV[1])
local w = tonumber(ARGV[2])
local cr = ARGV[3] == '1'
local blockMs = tonumber(ARGV[4])
local mult = tonumber(ARGV[5])
local maxBlock = tonumber(ARGV[6])
local name = ARGV[7]
local names = namesOf(name)
local read = { '~e' }
fieldsOf(n, name, blockMs, read)
-- The sliding log without a block keeps nothing in the hash: no read, no write.
local hashed = #read > 1
local out = {}
for i = 1, #KEYS / 2 do
  local h = KEYS[2 * i - 1]
  local now = timeOr(ARGV[2 * i + 7])
  local st = NONE
  local expires = 0
  if hashed then
    local vals = redis.call('HMGET', h, unpack(read))
    expires = tonumber(vals[1]) or 0
    st = stateOf(n, blockMs, vals, 2)
  end
  local r = decideBlocked(alg, st, KEYS[2 * i], tonumber(ARGV[2 * i + 6]), now, limit, w, cr, false, blockMs, mult, maxBlock)
  if hashed then
    local fields = {}
    collect(names, r, fields)
    flush(h, fields, expires, r.need, now)
  end
  out[i] = { r[1], r[2], r[3], r[4], r[5] }
end
return out
`;
}

/**
 * Combined decisions (several limits on one request), a batch of them per run. ARGV[1] is
 * the time ('' for Redis TIME), ARGV[2] the number of requests, ARGV[3] the number of
 * policies; then each policy once (algorithm number, limit, window, countRejected, blockMs,
 * blockMultiplier, maxBlockMs, field prefix); then the number of combinations and each once
 * (its number of limits, then each limit's policy number). Then per request either a
 * combination's number, negated (every limit keyed alike in one hash, none a sliding log,
 * each costing 1: the request sends that one hash as its only key and this one argument),
 * or its number of limits and, per limit, its policy's number and cost, with two keys per
 * limit (the client key's hash, the algorithm's own key) in the same order. Limits of a
 * request that share a hash are read in one HMGET and written in one HSET. The first pass
 * decides without counting what it admits; only when every limit of the request admitted
 * does each `commit` count it. The common case (sliding windows without a block, keyed
 * alike, all admitting) is decided in one pass with no per-limit tables or closures.
 * Returns per request the list of its decisions.
 */
export const COMBINED = `${COMMON}
local now = timeOr(ARGV[1])
local requests = tonumber(ARGV[2])
local policies = {}
local a = 4
for p = 1, tonumber(ARGV[3]) do
  local n = tonumber(ARGV[a])
  local read = {}
  fieldsOf(n, ARGV[a + 7], tonumber(ARGV[a + 4]), read)
  policies[p] = {
    ALGORITHMS[n], tonumber(ARGV[a + 1]), tonumber(ARGV[a + 2]), ARGV[a + 3] == '1',
    tonumber(ARGV[a + 4]), tonumber(ARGV[a + 5]), tonumber(ARGV[a + 6]), read,
    namesOf(ARGV[a + 7]), n, n == 1 and tonumber(ARGV[a + 4]) == 0
  }
  a = a + 8
end
-- Combinations: the limits most requests of a batch carry, described once.
local combos = {}
local comboCount = tonumber(ARGV[a])
a = a + 1
for c = 1, comboCount do
  local n = tonumber(ARGV[a])
  -- Every cost is 1, and every limit reads the first limit's hash: one table of ones is both.
  local cps, ones, read = {}, {}, { '~e' }
  local windowsOnly = true
  for j = 1, n do
    local p = policies[tonumber(ARGV[a + j])]
    cps[j] = p
    ones[j] = 1
    if not p[11] then windowsOnly = false end
    for x = 1, #p[8] do read[#read + 1] = p[8][x] end
  end
  combos[c] = { n, cps, ones, ones, windowsOnly, read }
  a = a + 1 + n
end
local k = 1
local out = {}
-- Per-request scratch, reused (indexes 1..n are rewritten for every request).
local ps, costs, hs, owns, sts, firsts, expires, rs = {}, {}, {}, {}, {}, {}, {}, {}
local ps0, costs0, firsts0 = ps, costs, firsts
-- The common case, decided without the general machinery: every limit of the request is a
-- sliding window without a block, in one hash, and every one admits. Returns nil, having
-- written nothing, when that is not so; the general path then decides.
local sa, sb, sc, sm, spw = {}, {}, {}, {}, {}
-- The stamp of every decision the fast path makes: Redis's clock is whole milliseconds, sent
-- as an integer (a test's fractional clock keeps its digits as text).
local nowStamp = now
if now ~= math.floor(now) then nowStamp = fmt(now) end
-- The fields a combination of policies reads, built once per run: requests of one batch
-- mostly share their policies.
local readCache = {}
local function readOf(n)
  local node = readCache
  for j = 1, n do
    local next = node[ps[j]]
    if not next then
      next = {}
      node[ps[j]] = next
    end
    node = next
  end
  local read = node.read
  if not read then
    read = { '~e' }
    for j = 1, n do
      local own = ps[j][8]
      for x = 1, #own do read[#read + 1] = own[x] end
    end
    node.read = read
  end
  return read
end
local function windows(n, read)
  local h = hs[1]
  local vals = redis.call('HMGET', h, unpack(read or readOf(n)))
  for j = 1, n do
    local p = ps[j]
    local w = p[3]
    local i = 3 * j - 1
    local A = tonumber(vals[i]) or 0
    local B = tonumber(vals[i + 1]) or 0
    local C = tonumber(vals[i + 2]) or 0
    local start = now - (now % w)
    local moved = start ~= A
    if moved then
      if start - A == w then C = B else C = 0 end
      B = 0
    end
    local pw = C * (w - (now - start))
    if pw + (B + costs[j]) * w > p[2] * w then return nil end
    sa[j], sb[j], sc[j], sm[j], spw[j] = start, B, C, moved, pw
  end
  local fields = {}
  local need = 0
  local reply = {}
  for j = 1, n do
    local p = ps[j]
    local w = p[3]
    local names = p[9]
    local nb = sb[j] + costs[j]
    local start = sa[j]
    if sm[j] then
      fields[#fields + 1] = names.a
      fields[#fields + 1] = start
      fields[#fields + 1] = names.c
      fields[#fields + 1] = sc[j]
    end
    fields[#fields + 1] = names.b
    fields[#fields + 1] = nb
    local life = start + 2 * w - now
    if life > need then need = life end
    reply[j] = { 1, math.floor((p[2] * w - spw[j] - nb * w) / w), life, 0, nowStamp }
  end
  flush(h, fields, tonumber(vals[1]) or 0, need, now)
  return reply
end
local function general(n)
  for j = 1, n do
    if firsts[j] == j then
      local read = { '~e' }
      for m = j, n do
        if firsts[m] == j then
          local own = ps[m][8]
          for x = 1, #own do read[#read + 1] = own[x] end
        end
      end
      local vals = NONE
      if #read > 1 then vals = redis.call('HMGET', hs[j], unpack(read)) end
      expires[j] = tonumber(vals[1]) or 0
      local i = 2
      for m = j, n do
        if firsts[m] == j then sts[m], i = stateOf(ps[m][10], ps[m][5], vals, i) end
      end
    end
  end
  local all = true
  for j = 1, n do
    local p = ps[j]
    rs[j] = decideBlocked(p[1], sts[j], owns[j], costs[j], now, p[2], p[3], p[4], true, p[5], p[6], p[7])
    if rs[j][1] == 0 then all = false end
  end
  local reply = {}
  for j = 1, n do
    local r = rs[j]
    if r.commit then
      r = r.commit(all)
      rs[j] = r
    end
    reply[j] = { r[1], r[2], r[3], r[4], r[5] }
  end
  for j = 1, n do
    if firsts[j] == j then
      local fields = {}
      local need = 0
      for m = j, n do
        if firsts[m] == j then
          collect(ps[m][9], rs[m], fields)
          if rs[m].need > need then need = rs[m].need end
        end
      end
      if #fields > 0 or need > 0 then flush(hs[j], fields, expires[j], need, now) end
    end
  end
  return reply
end
for q = 1, requests do
  local n = tonumber(ARGV[a])
  local alike = true
  local read = nil
  if n < 0 then
    local combo = combos[-n]
    read = combo[6]
    n = combo[1]
    ps, costs, firsts, alike = combo[2], combo[3], combo[4], combo[5]
    local h = KEYS[k]
    for j = 1, n do
      hs[j] = h
      owns[j] = h
    end
    a = a + 1
    k = k + 1
  else
    -- The scratch tables, not a combination's own (which the next request may reuse).
    ps, costs, firsts = ps0, costs0, firsts0
    for j = 1, n do
      ps[j] = policies[tonumber(ARGV[a + 2 * j - 1])]
      costs[j] = tonumber(ARGV[a + 2 * j])
      hs[j] = KEYS[k + 2 * j - 2]
      owns[j] = KEYS[k + 2 * j - 1]
      -- Limits keyed alike share a hash: the first of them reads it for all.
      local first = j
      for m = 1, j - 1 do
        if hs[m] == hs[j] then first = firsts[m]; break end
      end
      firsts[j] = first
      if first ~= 1 or not ps[j][11] then alike = false end
    end
    a = a + 1 + 2 * n
    k = k + 2 * n
  end
  local reply = nil
  if alike then reply = windows(n, read) end
  if not reply then reply = general(n) end
  out[q] = reply
end
return out
`;

/**
 * Takes back a count (mirrors the refunds in src/rate-limit/*.ts). KEYS: the client key's
 * hash and the algorithm's own key; ARGV: algorithm number, limit, window, cost, stamp,
 * time ('' for Redis TIME), field prefix. An expiry is never shortened: less state needs no
 * less time.
 */
export const REFUND = `
local h = KEYS[1]
local alg = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local w = tonumber(ARGV[3])
local cost = tonumber(ARGV[4])
local stamp = tonumber(ARGV[5])
local now = tonumber(ARGV[6])
local name = ARGV[7]
if not now then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
if alg == 1 then
  local s = redis.call('HMGET', h, name .. 'a', name .. 'b', name .. 'c')
  local a = tonumber(s[1])
  if not a then return 0 end
  local start = stamp - (stamp % w)
  if start == a then
    redis.call('HSET', h, name .. 'b', math.max(0, (tonumber(s[2]) or 0) - cost))
  elseif start + w == a then
    redis.call('HSET', h, name .. 'c', math.max(0, (tonumber(s[3]) or 0) - cost))
  else
    return 0
  end
elseif alg == 2 then
  if stamp <= now - w then return 0 end
  redis.call('LREM', KEYS[2], cost, string.format('%.17g', stamp))
elseif alg == 3 then
  local s = redis.call('HMGET', h, name .. 'a', name .. 'b')
  local a = tonumber(s[1])
  local b = tonumber(s[2]) or 0
  if not a or stamp < a or stamp >= a + w then return 0 end
  redis.call('HSET', h, name .. 'b', math.max(0, b - cost))
else
  local tat = tonumber(redis.call('HGET', h, name .. 't'))
  if not tat then return 0 end
  local amount = math.min(cost * w / limit, stamp - now)
  if amount <= 0 then return 0 end
  redis.call('HSET', h, name .. 't', string.format('%.17g', math.max(now, tat - amount)))
end
return 1
`;

/** Forgets one limiter's state for a key: its fields in the hash, and its own list. */
export const RESET = `
local name = ARGV[1]
redis.call('HDEL', KEYS[1], name .. 'a', name .. 'b', name .. 'c', name .. 't', name .. 'u', name .. 'l')
if KEYS[2] ~= KEYS[1] then redis.call('DEL', KEYS[2]) end
return 1
`;
