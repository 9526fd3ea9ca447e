import { emit } from '../log/logger-kind.js';
import type { BulwarkError } from '../errors.js';
import { replayedDelivery, replayStoreUnavailable } from './errors.js';
import { MemoryReplayStore } from './replay-store.js';
import type { ReplayStore } from './replay-store.js';
import type { WebhookLogger } from './types.js';

/** What the replay guard does when its store fails: the rate limiter's policy names. */
export type ReplayStoreErrorPolicy = 'allow' | 'deny';

/** Replay protection options (`replay` in the verifier options). */
export interface ReplayOptions {
  /** Where accepted delivery ids are remembered. Default: a new `MemoryReplayStore()` per verifier. */
  readonly store?: ReplayStore;
  /**
   * When the store fails or times out: `'allow'` lets the delivery through and logs one
   * warning per outage (fail open, like Mission Control's limiter); `'deny'` answers 503.
   * Default: `'allow'`.
   */
  readonly onStoreError?: ReplayStoreErrorPolicy;
  /** Receives the once-per-outage warning. Default: `console`. */
  readonly logger?: WebhookLogger;
  /**
   * How long an accepted delivery id is remembered, in milliseconds. Default: twice the
   * timestamp tolerance (600,000 with the default 300 s), which covers a timestamp that is
   * early or late by the whole tolerance.
   */
  readonly ttlMs?: number;
  /**
   * Prefix of every stored key; give each webhook endpoint its own when ids could collide
   * across senders. Default: `'bulwark:webhook:<scheme>:'`.
   */
  readonly keyPrefix?: string;
}

/** Stable code in the outage warning, for log alerts. */
export const REPLAY_STORE_WARNING = 'webhook.replay_store_unavailable';

/**
 * Remembers accepted deliveries so a captured request replayed inside the tolerance window
 * is refused (409) instead of reaching the app twice. Claims happen only after the
 * signature is verified, so nobody without the secret can pre-claim a future id.
 */
export class ReplayGuard {
  readonly #store: ReplayStore;
  readonly #deny: boolean;
  readonly #logger: WebhookLogger;
  readonly #ttlMs: number;
  readonly #prefix: string;
  #outage = false;

  constructor(options: ReplayOptions, scheme: string, defaultTtlMs: number) {
    const onStoreError: unknown = options.onStoreError ?? 'allow';
    if (onStoreError !== 'allow' && onStoreError !== 'deny') {
      throw new TypeError(
        `bulwark: webhook replay onStoreError: ${JSON.stringify(onStoreError)} is not a policy; write 'allow' or 'deny'.`,
      );
    }
    const ttlMs = options.ttlMs ?? defaultTtlMs;
    if (!Number.isSafeInteger(ttlMs) || ttlMs < 1) {
      throw new TypeError(
        `bulwark: webhook replay ttlMs: ${String(ttlMs)} is not a whole number of milliseconds; write a duration such as 600000.`,
      );
    }
    const store = options.store ?? new MemoryReplayStore();
    if (typeof (store as Partial<ReplayStore>).claim !== 'function') {
      throw new TypeError(
        'bulwark: webhook replay store: it has no claim(key, ttlMs) method; pass a MemoryReplayStore or a RedisReplayStore.',
      );
    }
    this.#store = store;
    this.#deny = onStoreError === 'deny';
    this.#logger = options.logger ?? console;
    this.#ttlMs = ttlMs;
    this.#prefix = options.keyPrefix ?? `bulwark:webhook:${scheme}:`;
  }

  /** Undefined when the delivery is new (or the store failed under 'allow'), else the rejection. */
  async claim(key: string): Promise<{ error: BulwarkError; reason: string } | undefined> {
    let first: boolean;
    try {
      first = await this.#store.claim(this.#prefix + key, this.#ttlMs);
    } catch (cause: unknown) {
      if (!this.#outage) {
        this.#outage = true;
        const message = cause instanceof Error ? cause.message : String(cause);
        emit(
          this.#logger,
          'warn',
          `${REPLAY_STORE_WARNING}: webhook replay store failed (${message}); ${this.#deny ? 'deliveries are refused with 503' : 'deliveries are accepted without replay protection'} until it recovers`,
          { code: REPLAY_STORE_WARNING, error: message },
        );
      }
      if (!this.#deny) return undefined;
      return {
        error: replayStoreUnavailable(cause),
        reason: 'the replay store failed and onStoreError is deny',
      };
    }
    this.#outage = false;
    if (first) return undefined;
    return {
      error: replayedDelivery(),
      reason: `delivery ${JSON.stringify(key)} was already accepted within the last ${this.#ttlMs} ms`,
    };
  }
}
