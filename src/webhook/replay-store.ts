/**
 * Where the replay guard remembers accepted delivery ids. One operation: claim a key for
 * a time-to-live, atomically, answering whether this call was first. A store that cannot
 * answer rejects; the guard's `onStoreError` policy decides what happens then.
 */
export interface ReplayStore {
  /**
   * Claims `key` for `ttlMs` milliseconds. Resolves `true` when the key was free (absent
   * or expired) and is now held by this call, `false` when it is already held.
   */
  claim(key: string, ttlMs: number): Promise<boolean>;
}

/** Options for {@link MemoryReplayStore}. */
export interface MemoryReplayStoreOptions {
  /**
   * Most keys held at once; past it the oldest claim is forgotten first. Only deliveries
   * with a valid signature are ever claimed, so an attacker without the secret cannot fill
   * it. Default: 100,000.
   */
  readonly maxKeys?: number;
}

/**
 * A bounded in-process {@link ReplayStore}: right for one process; several processes need
 * a shared store (`RedisReplayStore` from `bulwark/redis`).
 */
export class MemoryReplayStore implements ReplayStore {
  readonly #maxKeys: number;
  // Insertion order is claim order, so the front holds the oldest claims: expired ones are
  // swept from the front and, when full, the oldest is dropped.
  readonly #expiry = new Map<string, number>();

  constructor(options: MemoryReplayStoreOptions = {}) {
    const { maxKeys = 100_000 } = options;
    if (!Number.isSafeInteger(maxKeys) || maxKeys < 1) {
      throw new TypeError(
        `bulwark: MemoryReplayStore maxKeys: ${String(maxKeys)} is not a whole number above 0; write a size such as 100000.`,
      );
    }
    this.#maxKeys = maxKeys;
  }

  /** Number of keys currently held (expired ones included until swept). */
  get size(): number {
    return this.#expiry.size;
  }

  claim(key: string, ttlMs: number): Promise<boolean> {
    const now = Date.now();
    const until = this.#expiry.get(key);
    if (until !== undefined && until > now) return Promise.resolve(false);
    this.#expiry.delete(key);
    this.#expiry.set(key, now + ttlMs);
    this.#sweep(now);
    return Promise.resolve(true);
  }

  #sweep(now: number): void {
    for (const [key, until] of this.#expiry) {
      if (until > now && this.#expiry.size <= this.#maxKeys) break;
      this.#expiry.delete(key);
    }
  }
}
