import { StoreFailureHandler } from './failure-policy.js';
import { MemoryStore } from './memory-store.js';
import type {
  RateLimitDecision,
  RateLimiter,
  RateLimiterOptions,
  RateLimitPolicy,
} from './types.js';
import { checkCost, validateRateLimiterOptions } from './validate.js';

function isPromiseLike(value: unknown): value is PromiseLike<RateLimitDecision> {
  return typeof (value as { then?: unknown }).then === 'function';
}

/**
 * A rate limiter: options are checked once here (a bad one throws a `TypeError` saying what
 * to write), and each `consume` is one store call. A store failure never reaches the caller
 * as an exception: the `onStoreError` policy decides instead.
 */
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const o = validateRateLimiterOptions(options);
  const policy: RateLimitPolicy = Object.freeze({
    name: o.name,
    algorithm: o.algorithm,
    limit: o.limit,
    windowMs: o.windowMs,
    countRejected: o.countRejected,
  });
  const store = o.store ?? new MemoryStore();
  const failures = new StoreFailureHandler(policy, o.onStoreError, o.logger);
  const clock = o.clock;
  const limit = o.limit;
  const passed = (d: RateLimitDecision): RateLimitDecision => {
    if (failures.down) failures.succeeded();
    return d;
  };

  const failed = (error: unknown, key: string, cost: number) => failures.failed(error, key, cost);
  // Synchronous whenever the store is: only a store that answers with a promise (Redis) makes
  // the caller wait.
  function decide(key: string, cost = 1): RateLimitDecision | Promise<RateLimitDecision> {
    if (cost !== 1) checkCost(cost, limit);
    if (typeof key !== 'string') {
      throw new TypeError(`bulwark: rate limit key must be a string, got ${typeof key}.`);
    }
    let result: RateLimitDecision | Promise<RateLimitDecision>;
    try {
      result = store.consume(policy, key, cost, clock());
    } catch (error: unknown) {
      return failed(error, key, cost);
    }
    if (isPromiseLike(result)) {
      return Promise.resolve(result).then(passed, (error: unknown) => failed(error, key, cost));
    }
    return failures.down ? passed(result) : result;
  }

  return {
    name: o.name,
    limit: o.limit,
    windowMs: o.windowMs,
    algorithm: o.algorithm,
    policy,
    decide,
    consume(key: string, cost = 1): Promise<RateLimitDecision> {
      // A bad key or cost is a programming error and throws here, synchronously, as before.
      return Promise.resolve(decide(key, cost));
    },
    async reset(key: string): Promise<void> {
      await store.reset(policy, key);
    },
  };
}
