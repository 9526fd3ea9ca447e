import type {
  ClientIpResolver,
  CorsOptions,
  RateLimiter,
  RateLimitHeaderBuilder,
  SecurityHeadersOptions,
} from 'bulwark';
import type { AppLogger } from './logger.js';
import type { Seeded } from './seed.js';
import type { State } from './state.js';

/** Everything a handler may use: state, the bulwark pieces, the logger. */
export interface Services {
  readonly state: State;
  readonly seeded: Seeded;
  readonly logger: AppLogger;
  /** Security headers from SECURITY_HEADER_* (Mission Control's defaults when unset). */
  readonly headerOptions: SecurityHeadersOptions;
  /**
   * CORS from CORS_ORIGINS (the frontend origins; none when unset), CORS_CREDENTIALS and
   * CORS_MAX_AGE, with the rate-limit and request-id headers exposed to the frontend.
   */
  readonly corsOptions: CorsOptions;
  /** Webhook ingest: 60 per 60 s per client IP. */
  readonly ingestLimiter: RateLimiter;
  /** RateLimit and Retry-After headers for ingest decisions, compiled once. */
  readonly ingestHeaders: RateLimitHeaderBuilder;
  /** Agent authentication: 20 per 60 s per client IP, checked before the token. */
  readonly agentLimiter: RateLimiter;
  /** Trusted proxies (TRUSTED_PROXIES) for client IP resolution. */
  readonly clientIp: ClientIpResolver;
  readonly trustedProxies: readonly string[];
  readonly maxPayloadBytes: number;
  /** Readiness: false while a configured Redis is unreachable. */
  ready(): Promise<boolean>;
}
