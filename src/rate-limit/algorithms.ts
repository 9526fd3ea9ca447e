import type { Entry } from './entry.js';
import { fixedWindow, fixedWindowRefund } from './fixed-window.js';
import { slidingLog, slidingLogRefund } from './sliding-log.js';
import { slidingWindow, slidingWindowRefund } from './sliding-window.js';
import { tokenBucket, tokenBucketRefund } from './token-bucket.js';
import type { RateLimitAlgorithm, RateLimitDecision, RateLimitPolicy } from './types.js';

/**
 * One algorithm's decision on one key's state, updating it in place. `dry` (the first pass
 * of a combined decision) leaves an admitted request uncounted; a refusal is counted as
 * `countRejected` says either way.
 */
export type Algorithm = (
  e: Entry,
  policy: RateLimitPolicy,
  cost: number,
  now: number,
  dry: boolean,
) => RateLimitDecision;

/** The in-memory implementation of each algorithm (the Redis scripts mirror these). */
export const ALGORITHMS: Readonly<Record<RateLimitAlgorithm, Algorithm>> = {
  'sliding-window': slidingWindow,
  'sliding-log': slidingLog,
  'fixed-window': fixedWindow,
  'token-bucket': tokenBucket,
};

/** Takes back units a decision counted (see {@link RateLimitStore.refund}), in place. */
export type Refund = (
  e: Entry,
  policy: RateLimitPolicy,
  cost: number,
  stamp: number,
  now: number,
) => void;

/** The in-memory refund of each algorithm (the Redis refund scripts mirror these). */
export const REFUNDS: Readonly<Record<RateLimitAlgorithm, Refund>> = {
  'sliding-window': slidingWindowRefund,
  'sliding-log': slidingLogRefund,
  'fixed-window': fixedWindowRefund,
  'token-bucket': tokenBucketRefund,
};

/** Every algorithm name, for validation messages. */
export const ALGORITHM_NAMES = Object.keys(ALGORITHMS) as readonly RateLimitAlgorithm[];
