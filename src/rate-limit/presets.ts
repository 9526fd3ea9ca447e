import type { RateLimiterOptions } from './types.js';

/** A limiter's rule without a store: spread it into `createRateLimiter`. */
export type RateLimitPreset = Pick<
  RateLimiterOptions,
  'name' | 'limit' | 'windowMs' | 'algorithm' | 'countRejected'
> & {
  /** The limiter's name (also the policy name in its RateLimit headers). */
  readonly name: string;
  /** Requests allowed per window. */
  readonly limit: number;
  /** Window length in milliseconds. */
  readonly windowMs: number;
};

/**
 * Mission Control's limits, kept exactly: an exact sliding log in which rejected attempts
 * count too, per client IP. Spread one into {@link createRateLimiter} and add a store.
 */
export const MISSION_CONTROL_RATE_LIMITS: {
  /** Agent authentication: 20 attempts per 60 s; a brute-forcer stays locked out while it keeps trying. */
  readonly agentAuth: RateLimitPreset;
  /** Webhook ingest: 60 deliveries per 60 s. */
  readonly webhookIngest: RateLimitPreset;
} = Object.freeze({
  agentAuth: Object.freeze({
    name: 'agent-auth',
    limit: 20,
    windowMs: 60_000,
    algorithm: 'sliding-log',
    countRejected: true,
  }),
  webhookIngest: Object.freeze({
    name: 'webhook-ingest',
    limit: 60,
    windowMs: 60_000,
    algorithm: 'sliding-log',
    countRejected: true,
  }),
});
