import { createHash } from 'node:crypto';
import type { RateLimitAlgorithm } from 'bulwark';
import { ALGORITHM_ORDER, batched, COMBINED, REFUND, RESET } from './scripts/prelude.js';

/** A Lua script with its SHA1, computed once at load, for EVALSHA. */
export interface LuaScript {
  readonly source: string;
  readonly sha: string;
}

function script(source: string): LuaScript {
  return { source, sha: createHash('sha1').update(source).digest('hex') };
}

/** Each algorithm's number in the combined and refund scripts (1-based, as Lua counts). */
export const ALGORITHM_NUMBER: Readonly<Record<RateLimitAlgorithm, number>> = {
  'sliding-window': ALGORITHM_ORDER.indexOf('sliding-window') + 1,
  'sliding-log': ALGORITHM_ORDER.indexOf('sliding-log') + 1,
  'fixed-window': ALGORITHM_ORDER.indexOf('fixed-window') + 1,
  'token-bucket': ALGORITHM_ORDER.indexOf('token-bucket') + 1,
};

/** One script per algorithm: one round trip, atomic decisions for a whole batch of calls. */
export const SCRIPTS: Readonly<Record<RateLimitAlgorithm, LuaScript>> = {
  'fixed-window': script(batched(ALGORITHM_NUMBER['fixed-window'])),
  'sliding-window': script(batched(ALGORITHM_NUMBER['sliding-window'])),
  'sliding-log': script(batched(ALGORITHM_NUMBER['sliding-log'])),
  'token-bucket': script(batched(ALGORITHM_NUMBER['token-bucket'])),
};

/** Several limits per request, all or nothing, a batch of requests per run. */
export const COMBINED_SCRIPT: LuaScript = script(COMBINED);

/** Takes back a count. */
export const REFUND_SCRIPT: LuaScript = script(REFUND);

/** Forgets one limiter's state for a key. */
export const RESET_SCRIPT: LuaScript = script(RESET);
