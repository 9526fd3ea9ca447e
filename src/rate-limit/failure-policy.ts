import { emit } from '../log/logger-kind.js';
import type {
  RateLimitDecision,
  RateLimitLogger,
  RateLimitPolicy,
  StoreErrorPolicy,
} from './types.js';

/** How long a client is asked to wait when the store is down and the policy is `'deny'`. */
export const STORE_UNAVAILABLE_RETRY_AFTER_MS = 5_000;

/** Log code when a limiter's store stops answering (logged once per outage). */
export const STORE_UNAVAILABLE = 'rate_limit.store_unavailable';
/** Log code when a limiter's store answers again after an outage. */
export const STORE_RECOVERED = 'rate_limit.store_recovered';

/**
 * An outage ends when the store has answered for this long without a single failure. Until
 * then successes count normally but recovery is not announced, so a flapping store (a
 * connection reset every few hundred milliseconds, one Cluster node of three down: some keys
 * fail, others pass) is one outage in the logs, not one pair of lines per flap.
 */
export const STORE_RECOVERY_QUIET_MS = 1_000;

/** `scheme://user:password@` anywhere in a message: error texts from clients may carry URLs. */
const URL_CREDENTIALS = /([a-z][a-z0-9+.-]*:\/\/)([^@/\s?#]*)@/gi;

function describe(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(URL_CREDENTIALS, (_m, scheme: string, userinfo: string) => {
    const colon = userinfo.indexOf(':');
    return colon === -1 ? `${scheme}***@` : `${scheme}${userinfo.slice(0, colon)}:***@`;
  });
}

/**
 * A limiter's answer to store failures. Outages are logged once when they start and once
 * when they end, never once per request: a Redis outage under load would otherwise flood the
 * logs exactly when they are needed.
 */
export class StoreFailureHandler {
  #down = false;
  #lastFailure = 0;
  readonly #allow: RateLimitDecision;
  readonly #deny: RateLimitDecision;

  constructor(
    private readonly policy: RateLimitPolicy,
    private readonly onStoreError: StoreErrorPolicy,
    private readonly logger: RateLimitLogger,
  ) {
    const base = { limit: policy.limit, resetMs: 0, storeUnavailable: true, stamp: 0 } as const;
    this.#allow = Object.freeze({
      ...base,
      allowed: true,
      remaining: policy.limit,
      retryAfterMs: 0,
    });
    this.#deny = Object.freeze({
      ...base,
      allowed: false,
      remaining: 0,
      retryAfterMs: STORE_UNAVAILABLE_RETRY_AFTER_MS,
    });
  }

  /** Whether the store is currently considered down. */
  get down(): boolean {
    return this.#down;
  }

  /** Called after a store answered: ends an outage once the store has been quiet long enough. */
  succeeded(): void {
    if (!this.#down) return;
    if (Date.now() - this.#lastFailure < STORE_RECOVERY_QUIET_MS) return;
    this.#down = false;
    emit(
      this.logger,
      'warn',
      `${STORE_RECOVERED}: rate limiter "${this.policy.name}" reaches its store again; counting resumed`,
      { code: STORE_RECOVERED, limiter: this.policy.name },
    );
  }

  /** Called when the store threw or timed out: the decision the policy gives instead. */
  failed(
    error: unknown,
    key: string,
    cost: number,
  ): RateLimitDecision | Promise<RateLimitDecision> {
    const policy = this.onStoreError;
    this.#lastFailure = Date.now();
    if (!this.#down) {
      this.#down = true;
      const action =
        policy === 'allow'
          ? 'requests pass uncounted (fail open)'
          : policy === 'deny'
            ? 'requests are refused with 503 (fail closed)'
            : `requests are counted by the fallback limiter "${policy.fallback.name}"`;
      emit(
        this.logger,
        'warn',
        `${STORE_UNAVAILABLE}: rate limiter "${this.policy.name}" cannot reach its store (${describe(error)}); ${action}`,
        { code: STORE_UNAVAILABLE, limiter: this.policy.name, error: describe(error) },
      );
    }
    if (policy === 'allow') return this.#allow;
    if (policy === 'deny') return this.#deny;
    return policy.fallback.decide(key, cost);
  }
}
