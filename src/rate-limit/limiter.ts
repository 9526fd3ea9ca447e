import { StoreFailureHandler } from './failure-policy.js';
import { MemoryStore } from './memory-store.js';
import type {
  RateLimitDecision,
  RateLimiter,
  RateLimiterOptions,
  RateLimitPolicy,
  RateLimitStore,
} from './types.js';
import { checkCost, validateRateLimiterOptions } from './validate.js';

function isPromiseLike(value: unknown): value is PromiseLike<RateLimitDecision> {
  return typeof (value as { then?: unknown }).then === 'function';
}

// Which limiters count into the same place: limiters with one store and one policy (the
// same options given to two middlewares, a process that re-creates its limiter) write the
// same keys, so a request they both see must be counted once, not once per middleware.
const sharedCounts = new WeakMap<RateLimitStore, Map<string, object>>();
const identities = new WeakMap<RateLimiter, object>();

function identityFor(store: RateLimitStore | undefined, policy: RateLimitPolicy): object {
  if (store === undefined) return {};
  let byPolicy = sharedCounts.get(store);
  if (byPolicy === undefined) {
    byPolicy = new Map();
    sharedCounts.set(store, byPolicy);
  }
  const id = `${policy.name}\0${policy.algorithm}\0${policy.limit}\0${policy.windowMs}\0${policy.countRejected}`;
  let token = byPolicy.get(id);
  if (token === undefined) {
    token = {};
    byPolicy.set(id, token);
  }
  return token;
}

/**
 * What a request is counted against: equal for limiters that share a store and a policy,
 * and for a limiter itself. The middleware counts a request once per identity and key.
 */
export function countIdentity(limiter: RateLimiter): object {
  return identities.get(limiter) ?? limiter;
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

  const limiter: RateLimiter = {
    name: o.name,
    limit: o.limit,
    windowMs: o.windowMs,
    algorithm: o.algorithm,
    policy,
    logger: o.logger,
    decide,
    consume(key: string, cost = 1): Promise<RateLimitDecision> {
      // A bad key or cost is a programming error and throws here, synchronously, as before.
      return Promise.resolve(decide(key, cost));
    },
    async reset(key: string): Promise<void> {
      await store.reset(policy, key);
    },
  };
  identities.set(limiter, identityFor(o.store, policy));
  return limiter;
}
