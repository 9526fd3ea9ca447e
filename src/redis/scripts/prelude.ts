/**
 * Wraps one algorithm's decision body into the batched script every RedisStore call runs.
 *
 * KEYS are the Redis keys of one batch of decisions, in call order; ARGV is the limit, the
 * window, countRejected, then a (cost, now) pair per key. Decisions run one after another
 * inside one atomic script, so several decisions on the same key see each other's writes
 * exactly as separate calls would; the batch only saves round trips and per-command work.
 *
 * The clock is Redis's own TIME (read once per batch), so app servers with skewed clocks still
 * agree on every window; a test may pass a fixed time per decision instead. Redis before 5
 * needs effects replication for TIME in a writing script.
 *
 * The body sees `key`, `cost`, `limit`, `w`, `countRejected`, `now` and `up`, and returns
 * `{ allowed, remaining, resetMs, retryAfterMs }`.
 */
export function batched(body: string): string {
  return `
if redis.replicate_commands then redis.replicate_commands() end
local limit = tonumber(ARGV[1])
local w = tonumber(ARGV[2])
local countRejected = ARGV[3] == '1'
local clock
local function up(x) return math.ceil(x - 1e-6) end
local function decide(key, cost, now)
${body}
end
local out = {}
for i = 1, #KEYS do
  local now = tonumber(ARGV[2 * i + 3])
  if not now then
    if not clock then
      local t = redis.call('TIME')
      clock = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
    end
    now = clock
  end
  out[i] = decide(KEYS[i], tonumber(ARGV[2 * i + 2]), now)
end
return out
`;
}
