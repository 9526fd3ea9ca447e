import { emit } from '../log/logger-kind.js';
import { isPromise } from '../util/maybe-promise.js';
import type { MaybePromise } from '../util/maybe-promise.js';
import { BlockCache } from './block-cache.js';
import { compileReporter } from './events.js';
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
  const id = `${policy.name}\0${policy.algorithm}\0${policy.limit}\0${policy.windowMs}\0${policy.countRejected}\0${policy.blockMs}\0${policy.blockMultiplier}\0${policy.maxBlockMs}`;
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

/** A limiter's parts, for deciding several limits as one (see ./combined.ts). */
export interface LimiterParts {
  readonly store: RateLimitStore;
  readonly policy: RateLimitPolicy;
  readonly clock: () => number;
  /** The refusal the block cache holds for `key`, or undefined to ask the store. */
  cached(key: string, cost: number): RateLimitDecision | undefined;
  /**
   * Records a decision the store made for `key` (block cache, recovery, events). `quiet`: a
   * limit that would have admitted a request another limit refused; nothing was counted, so
   * no event reports it.
   */
  settle(key: string, d: RateLimitDecision, cost: number, quiet?: boolean): RateLimitDecision;
  /** The failure policy's decision when the store failed. */
  failed(error: unknown, key: string, cost: number): MaybePromise<RateLimitDecision>;
}

const parts = new WeakMap<RateLimiter, LimiterParts>();

/** The parts of a limiter made by {@link createRateLimiter}; undefined for any other object. */
export function limiterParts(limiter: RateLimiter): LimiterParts | undefined {
  return parts.get(limiter);
}

/** Log code when a refund could not reach the store (logged once per limiter per process). */
export const REFUND_FAILED = 'rate_limit.refund_failed';

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
    blockMs: o.blockMs,
    blockMultiplier: o.blockMultiplier,
    maxBlockMs: o.maxBlockMs,
  });
  const store = o.store ?? new MemoryStore();
  const failures = new StoreFailureHandler(policy, o.onStoreError, o.logger);
  const { clock, limit, logger } = o;
  const reporter = compileReporter(o.name, o.onDecision, o.onLimitReached, logger, clock);
  const cache = o.blockCache && store.blockCache === true ? new BlockCache(limit) : undefined;
  // With countRejected (or a growing block) the store must see every refused attempt, even
  // those the cache answers: they are gathered per key and sent once per turn of the loop.
  const forward = o.countRejected || o.blockMultiplier > 1;
  const pending = new Map<string, number>();
  let flushing = false;

  const settle = (
    key: string,
    d: RateLimitDecision,
    cost: number,
    quiet = false,
  ): RateLimitDecision => {
    if (failures.down) failures.succeeded();
    if (cache !== undefined) cache.record(key, d, cost, clock());
    if (reporter !== undefined && !quiet) reporter.report(key, d, false);
    return d;
  };
  // Decisions the fallback limiter counted: their refund belongs to the fallback's store, not
  // to this one (which may be back by then, holding other requests' counts in that window).
  const fallback = typeof o.onStoreError === 'object' ? o.onStoreError.fallback : undefined;
  const byFallback = fallback === undefined ? undefined : new WeakSet<RateLimitDecision>();
  const answered = (key: string, d: RateLimitDecision): RateLimitDecision => {
    if (byFallback !== undefined && d.stamp !== 0) byFallback.add(d);
    if (reporter !== undefined) reporter.report(key, d, false);
    return d;
  };
  const failed = (error: unknown, key: string, cost: number): MaybePromise<RateLimitDecision> => {
    const d = failures.failed(error, key, cost);
    if (reporter === undefined && byFallback === undefined) return d;
    return isPromise(d) ? d.then((late) => answered(key, late)) : answered(key, d);
  };
  const flush = (): void => {
    flushing = false;
    for (const [key, cost] of pending) {
      pending.delete(key);
      let sent: MaybePromise<RateLimitDecision>;
      try {
        sent = store.consume(policy, key, cost, clock());
      } catch {
        continue;
      }
      // The requests were answered already; the store's answer only refreshes the cache.
      Promise.resolve(sent).then(
        (d) => cache?.record(key, d, 1, clock()),
        () => undefined,
      );
    }
  };
  const cached = (key: string, cost: number): RateLimitDecision | undefined => {
    // During an outage every request goes to the store (or its policy), so recovery is seen.
    if (cache === undefined || cache.empty || failures.down) return undefined;
    const d = cache.refusal(key, cost, clock());
    if (d === undefined) return undefined;
    if (forward) {
      pending.set(key, Math.min(limit, (pending.get(key) ?? 0) + cost));
      if (!flushing) {
        flushing = true;
        setImmediate(flush);
      }
    }
    if (reporter !== undefined) reporter.report(key, d, true);
    return d;
  };
  // Nothing but the decision itself when no cache, listener or outage is involved.
  const plain = cache === undefined && reporter === undefined;

  // Synchronous whenever the store is: only a store that answers with a promise (Redis) makes
  // the caller wait, and a key the block cache holds is refused at once.
  function decide(key: string, cost = 1): MaybePromise<RateLimitDecision> {
    if (cost !== 1) checkCost(cost, limit);
    if (typeof key !== 'string') {
      throw new TypeError(`bulwark: rate limit key must be a string, got ${typeof key}.`);
    }
    if (cache !== undefined) {
      const hit = cached(key, cost);
      if (hit !== undefined) return hit;
    }
    let result: MaybePromise<RateLimitDecision>;
    try {
      result = store.consume(policy, key, cost, clock());
    } catch (error: unknown) {
      return failed(error, key, cost);
    }
    if (isPromise(result)) {
      return Promise.resolve(result).then(
        (d) => settle(key, d, cost),
        (error: unknown) => failed(error, key, cost),
      );
    }
    return plain && !failures.down ? result : settle(key, result, cost);
  }

  let refundFailed = false;
  const limiter: RateLimiter = {
    name: o.name,
    limit: o.limit,
    windowMs: o.windowMs,
    algorithm: o.algorithm,
    policy,
    logger,
    decide,
    consume(key: string, cost = 1): Promise<RateLimitDecision> {
      // A bad key or cost is a programming error and throws here, synchronously, as before.
      return Promise.resolve(decide(key, cost));
    },
    async refund(key: string, d: RateLimitDecision, cost = 1): Promise<void> {
      if (fallback !== undefined && byFallback?.has(d) === true) {
        return fallback.refund(key, d, cost);
      }
      if (d.stamp === 0 || d.storeUnavailable || store.refund === undefined) return;
      checkCost(cost, limit);
      try {
        await store.refund(policy, key, cost, d.stamp, clock());
        // A refusal this process cached for the key may no longer hold once the count is
        // back (a block, if any, is still in the store and refuses again on the next ask).
        cache?.forget(key);
      } catch (error: unknown) {
        // A refund that cannot be made leaves the request counted: the safe direction.
        if (refundFailed) return;
        refundFailed = true;
        const reason = error instanceof Error ? error.message : String(error);
        emit(
          logger,
          'warn',
          `${REFUND_FAILED}: rate limiter "${o.name}" could not take back a count (${reason}); the request stays counted`,
          { code: REFUND_FAILED, limiter: o.name },
        );
      }
    },
    async reset(key: string): Promise<void> {
      cache?.forget(key);
      pending.delete(key);
      reporter?.forget(key);
      await store.reset(policy, key);
    },
  };
  identities.set(limiter, identityFor(o.store, policy));
  parts.set(limiter, { store, policy, clock, cached, settle, failed });
  return limiter;
}
