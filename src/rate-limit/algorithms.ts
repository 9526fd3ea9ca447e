import type { Entry } from './entry.js';
import { fixedWindow } from './fixed-window.js';
import { slidingLog } from './sliding-log.js';
import { slidingWindow } from './sliding-window.js';
import { tokenBucket } from './token-bucket.js';
import type { RateLimitAlgorithm, RateLimitDecision, RateLimitPolicy } from './types.js';

/** One algorithm's decision on one key's state, updating it in place. */
export type Algorithm = (
  e: Entry,
  policy: RateLimitPolicy,
  cost: number,
  now: number,
) => RateLimitDecision;

/** The in-memory implementation of each algorithm (the Redis scripts mirror these). */
export const ALGORITHMS: Readonly<Record<RateLimitAlgorithm, Algorithm>> = {
  'sliding-window': slidingWindow,
  'sliding-log': slidingLog,
  'fixed-window': fixedWindow,
  'token-bucket': tokenBucket,
};

/** Every algorithm name, for validation messages. */
export const ALGORITHM_NAMES = Object.keys(ALGORITHMS) as readonly RateLimitAlgorithm[];
