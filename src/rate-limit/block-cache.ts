import { decision } from './decision.js';
import type { RateLimitDecision } from './types.js';

/** Keys remembered at most: a flood of distinct refused keys evicts the oldest, never grows memory. */
const MAX_CACHED = 10_000;

interface Refusal {
  /** When the refusal ends (the limiter's clock). */
  readonly until: number;
  /** When the key's quota is whole again. */
  readonly resetAt: number;
  /** The cost refused: a cheaper request may still pass, so only this cost or more is refused here. */
  readonly cost: number;
}

/**
 * A process's memory of keys its store refused, each until the retry time the store gave.
 * While it holds, a request for that key is refused here, with no store call: a blocked
 * client hammering the app costs no Redis round trip. The times come from the store's own
 * exact retry times, so nothing is refused that the store would have admitted, unless a
 * reset or refund happened in another process meanwhile (seen once the time has passed).
 */
export class BlockCache {
  readonly #refused = new Map<string, Refusal>();

  constructor(private readonly limit: number) {}

  /** Whether no key is held: the common case, checked before reading the clock. */
  get empty(): boolean {
    return this.#refused.size === 0;
  }

  /** The refusal for `key` and `cost` at `now`, or undefined when the store must be asked. */
  refusal(key: string, cost: number, now: number): RateLimitDecision | undefined {
    if (this.#refused.size === 0) return undefined;
    const hit = this.#refused.get(key);
    if (hit === undefined || cost < hit.cost) return undefined;
    if (now >= hit.until) {
      this.#refused.delete(key);
      return undefined;
    }
    return decision(false, this.limit, 0, hit.resetAt - now, hit.until - now, 0);
  }

  /** Records what the store decided for `key` at `now`. */
  record(key: string, d: RateLimitDecision, cost: number, now: number): void {
    if (d.allowed || d.storeUnavailable) {
      if (this.#refused.size > 0) this.#refused.delete(key);
      return;
    }
    this.#refused.delete(key);
    this.#refused.set(key, { until: now + d.retryAfterMs, resetAt: now + d.resetMs, cost });
    if (this.#refused.size > MAX_CACHED) {
      const oldest = this.#refused.keys().next();
      if (oldest.done !== true) this.#refused.delete(oldest.value);
    }
  }

  /** Forgets `key` (a reset in this process). */
  forget(key: string): void {
    this.#refused.delete(key);
  }
}
