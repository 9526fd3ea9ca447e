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
  /**
   * What this decision counted, as the store marks it: the store's clock when it counted
   * (for `'token-bucket'`, the bucket's arrival time after the count). {@link RateLimiter.refund}
   * hands it back, so a refund takes the count out of the window that holds it and never
   * out of another. 0 when nothing was counted for an admitted request (a refusal, a
   * decision made without the store).
   */
  readonly stamp: number;
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
  /** How long a refused key stays refused, in milliseconds; 0 for no block. */
  readonly blockMs: number;
  /** What each repeat offence multiplies the block by; 1 for a fixed block. */
  readonly blockMultiplier: number;
  /** The longest block, in milliseconds. */
  readonly maxBlockMs: number;
}

/** One decision of a combined call: see {@link RateLimitStore.consumeAll}. */
export interface RateLimitCall {
  /** The limiter's rule. */
  readonly policy: RateLimitPolicy;
  /** The key counted under it. */
  readonly key: string;
  /** Units to count. */
  readonly cost: number;
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
  /**
   * Takes back `cost` units that a decision with this `stamp` counted for `key`, atomically,
   * but only from the window that still holds them (a count that has aged out is not taken
   * from a later window) and never below zero. A block already imposed stays. Optional:
   * without it, `skipSuccessfulRequests` and `skipFailedRequests` are refused at creation.
   */
  refund?(
    policy: RateLimitPolicy,
    key: string,
    cost: number,
    stamp: number,
    now: number,
  ): void | Promise<void>;
  /**
   * Decides several calls as one: each is decided as {@link RateLimitStore.consume} would,
   * but an admitted call is counted only when every call is admitted (a refused call still
   * counts as its policy's `countRejected` says, and starts its block). Returns the
   * decisions in call order, or `undefined` when this store cannot decide these calls in one
   * atomic step (Redis Cluster keys in different slots); the limiter then decides them one
   * after another and takes back what an earlier one counted when a later one refuses.
   * Optional, with that same fallback.
   */
  consumeAll?(
    calls: readonly RateLimitCall[],
    now: number,
  ): readonly RateLimitDecision[] | undefined | Promise<readonly RateLimitDecision[] | undefined>;
  /**
   * Whether a limiter may refuse a key this store refused, without asking again, until the
   * retry time the refusal gave (the local block cache). True for a store across the network
   * whose retry times are exact (RedisStore); false where asking costs as little as
   * remembering (MemoryStore). Default for other stores: `false`.
   */
  readonly blockCache?: boolean;
}

/** What {@link RateLimiterOptions.onDecision} and {@link RateLimiterOptions.onLimitReached} receive. */
export interface RateLimitEvent {
  /** The limiter's name. */
  readonly limiter: string;
  /** The key the request was counted under (a client IP, a user id). */
  readonly key: string;
  /** The decision. */
  readonly decision: RateLimitDecision;
  /**
   * True when the key was refused from this process's block cache, without a store call
   * (see {@link RateLimiterOptions.blockCache}).
   */
  readonly cached: boolean;
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
  /**
   * Once a key is refused, keep refusing it for this many milliseconds from that moment,
   * whatever the window says (a brute-forcer that waits out the window gains nothing).
   * 0 for no block. Default: `0`.
   */
  readonly blockMs?: number;
  /**
   * Backoff: each repeat offence (an attempt while blocked, or a refusal within one window
   * after the block ended) multiplies the block by this, up to `maxBlockMs`. 1 or more;
   * needs `blockMs`. Default: `1` (every block lasts `blockMs`).
   */
  readonly blockMultiplier?: number;
  /** The longest block in milliseconds, for `blockMultiplier`. Default: `86_400_000` (a day), or `blockMs` if larger. */
  readonly maxBlockMs?: number;
  /**
   * Refuse a key this process saw refused without asking the store again until the retry
   * time that refusal gave: a blocked client hammering the app costs no Redis call. Used with
   * stores that support it (RedisStore); with `countRejected`, the refused attempts still
   * reach the store, gathered into one call per key per turn of the event loop. A reset or
   * refund made in another process is seen here once that retry time has passed.
   * Default: `true`.
   */
  readonly blockCache?: boolean;
  /**
   * Called once per key per window when the key is first refused (alerts). A throw or a
   * rejected promise is logged once and never reaches the request. Default: none.
   */
  readonly onLimitReached?: (event: RateLimitEvent) => void;
  /**
   * Called on every decision (metrics): admitted, refused, or made by the failure policy.
   * A throw or a rejected promise is logged once and never reaches the request. Default: none.
   */
  readonly onDecision?: (event: RateLimitEvent) => void;
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
  /**
   * Takes back what `decision` counted for `key` (cost units, default 1): used for requests
   * that turn out not to count (`skipSuccessfulRequests`). Only from the window that still
   * holds the count, never below zero; a decision that counted nothing (a refusal, a store
   * outage) refunds nothing. Store failures are logged, never thrown.
   */
  refund(key: string, decision: RateLimitDecision, cost?: number): Promise<void>;
  /** Forgets everything counted for `key`, its block included. */
  reset(key: string): Promise<void>;
}
