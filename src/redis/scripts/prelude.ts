/**
 * The start of every script: arguments, and the clock. The clock is Redis's own TIME, so
 * app servers with skewed clocks still agree on every window; a test may pass a fixed time
 * instead (ARGV[5]). Redis before 5 needs effects replication for TIME in a writing script.
 */
export const PRELUDE = `
if redis.replicate_commands then redis.replicate_commands() end
local key = KEYS[1]
local limit = tonumber(ARGV[1])
local w = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local countRejected = ARGV[4] == '1'
local now = tonumber(ARGV[5])
if not now then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function up(x) return math.ceil(x - 1e-6) end
`;
