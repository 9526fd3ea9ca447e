import type { LoggerLike } from '../log/logger-kind.js';
/** The counting rule a limiter applies. See docs/guide/rate-limiting.md for a comparison. */
export type RateLimitAlgorithm = 'sliding-window' | 'sliding-log' | 'fixed-window' | 'token-bucket';

/** The outcome of one {@link RateLimiter.consume} call. All durations are in milliseconds. */
export interface RateLimitDecision {
  /** Whether the request may proceed. */
  readonly allowed: boolean;
  /** The limiter's quota per window. */
  readonly limit: number;
  /** Units still available right now, after this request; never negative. */
  readonly remaining: number;
  /** Wait until the quota is whole again (0 when nothing is counted). */
  readonly resetMs: number;
  /** Wait until one more request of the same cost would pass; 0 when allowed. */
  readonly retryAfterMs: number;
  /**
   * True when the store could not be reached and the decision comes from the failure policy
   * (`onStoreError: 'allow'` or `'deny'`), not from counting. A `{ fallback }` decision is a
   * real count and leaves this false.
   */
  readonly storeUnavailable: boolean;
}

/**
 * One limiter's rule, precomputed once at creation and handed to the store on every call, so
 * stores can cache what they derive from it (a Redis key prefix, argument strings).
 */
export interface RateLimitPolicy {
  /** The limiter's name: keeps limiters that share a store apart. */
  readonly name: string;
  /** The counting rule. */
  readonly algorithm: RateLimitAlgorithm;
  /** Units allowed per window. */
  readonly limit: number;
  /** Window length in milliseconds. */
  readonly windowMs: number;
  /** Whether rejected attempts are counted too. */
  readonly countRejected: boolean;
}

/**
 * Where counts live. One call is one atomic decision: read the state, decide, write it back,
 * so concurrent requests can never both take the last unit. MemoryStore and RedisStore
 * implement it; anything else that can make the same decision atomically can too.
 */
export interface RateLimitStore {
  /**
   * Counts `cost` units for `key` under `policy` and returns the decision. `now` is the
   * limiter's clock in epoch milliseconds; a store with its own clock (Redis TIME) may ignore it.
   */
  consume(
    policy: RateLimitPolicy,
    key: string,
    cost: number,
    now: number,
  ): RateLimitDecision | Promise<RateLimitDecision>;
  /** Forgets `key` under `policy`. */
  reset(policy: RateLimitPolicy, key: string): void | Promise<void>;
}

/**
 * Where a limiter reports store outages and recoveries: any pino-, winston- or console-shaped
 * logger (`{ warn, error }`); events are written in the argument order the logger expects.
 */
export type RateLimitLogger = LoggerLike;

/** What a limiter does when its store throws or times out. */
export type StoreErrorPolicy =
  /** Let the request through (fail open) and log a warning once per outage. */
  | 'allow'
  /** Refuse the request with 503 and Retry-After (fail closed). */
  | 'deny'
  /** Decide with another limiter (typically memory-backed) while the store is away. */
  | {
      /** The limiter that decides while the store is away, typically one on a MemoryStore. */
      readonly fallback: RateLimiter;
    };

/** Options for {@link createRateLimiter}. */
export interface RateLimiterOptions {
  /**
   * A short name for logs, response headers (`RateLimit-Policy: "name";...`) and for keeping
   * limiters that share a store apart. Letters, digits, `.`, `_` and `-`, at most 64.
   * Default: `'default'`; give every limiter that shares a store its own name.
   */
  readonly name?: string;
  /** Requests (cost units) allowed per window: a whole number, 1 or more. Required. */
  readonly limit: number;
  /** The window length in milliseconds: a whole number, 1 or more. Required. */
  readonly windowMs: number;
  /** The counting rule. Default: `'sliding-window'`. */
  readonly algorithm?: RateLimitAlgorithm;
  /** Where counts live. Default: a new {@link MemoryStore} for this limiter alone. */
  readonly store?: RateLimitStore;
  /**
   * Count rejected attempts too, so a client that keeps hammering stays locked out until it
   * pauses for a full window (Mission Control's behaviour with `'sliding-log'`). Default: `false`.
   */
  readonly countRejected?: boolean;
  /** What to do when the store fails or times out. Default: `'allow'` (fail open, logged once per outage). */
  readonly onStoreError?: StoreErrorPolicy;
  /** Where store outages and recoveries are reported. Default: `console`. */
  readonly logger?: RateLimitLogger;
  /** The clock in epoch milliseconds, for tests. RedisStore uses Redis TIME instead. Default: `Date.now`. */
  readonly clock?: () => number;
}

/** A configured limiter: counts requests per key and decides. */
export interface RateLimiter {
  /** The limiter's name. */
  readonly name: string;
  /** Requests allowed per window. */
  readonly limit: number;
  /** Window length in milliseconds. */
  readonly windowMs: number;
  /** The counting rule. */
  readonly algorithm: RateLimitAlgorithm;
  /** The rule as handed to the store. */
  readonly policy: RateLimitPolicy;
  /** Where this limiter reports store outages, and its middleware reports wiring mistakes. */
  readonly logger: RateLimitLogger;
  /**
   * Counts one request of `cost` units (default 1) for `key`. A cost that is not a whole
   * number from 1 to `limit` is a programming error and throws a `TypeError`.
   */
  consume(key: string, cost?: number): Promise<RateLimitDecision>;
  /**
   * The same decision as {@link RateLimiter.consume}, returned synchronously when the store
   * answers synchronously (MemoryStore) and as a promise otherwise (RedisStore). Middleware
   * calls this so a memory-backed limit adds no promise and no microtask to a request.
   */
  decide(key: string, cost?: number): RateLimitDecision | Promise<RateLimitDecision>;
  /** Forgets everything counted for `key`. */
  reset(key: string): Promise<void>;
}
