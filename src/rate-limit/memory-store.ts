import { ALGORITHMS } from './algorithms.js';
import type { Algorithm } from './algorithms.js';
import { Entry } from './entry.js';
import type { RateLimitDecision, RateLimitPolicy, RateLimitStore } from './types.js';

/** Options for {@link MemoryStore}. */
export interface MemoryStoreOptions {
  /**
   * The most keys kept, across every limiter using this store. Past it the stalest key (the
   * one touched least recently) is dropped, so a flood of distinct keys (spoofed or rotating
   * addresses) cannot grow memory without bound. Default: `100_000`.
   */
  readonly maxKeys?: number;
}

/** Default for {@link MemoryStoreOptions.maxKeys}. */
export const DEFAULT_MAX_KEYS = 100_000;

/** How many expired keys one request may reclaim: constant work, never a scan. */
const RECLAIM_PER_CALL = 2;

/**
 * A bounded in-process store. Every decision is O(1) (sliding-log: O(log limit)): a map
 * lookup and a move to the fresh end of a recency list. There is no timer per key; each call
 * reclaims up to two expired keys from the stale end, and `maxKeys` is a hard bound. Counts
 * are per process: behind a load balancer with several processes, use RedisStore.
 */
export class MemoryStore implements RateLimitStore {
  /** The bound on stored keys. */
  readonly maxKeys: number;
  readonly #tables = new Map<string, Map<string, Entry>>();
  #stalest: Entry | null = null;
  #freshest: Entry | null = null;
  #size = 0;
  #closed = false;
  // The last policy's table: a limiter calls with the same frozen policy every time, so this
  // saves a map lookup per decision.
  #lastPolicy: RateLimitPolicy | null = null;
  #lastTable: Map<string, Entry> | null = null;
  #lastAlgorithm: Algorithm = ALGORITHMS['sliding-window'];

  constructor(options: MemoryStoreOptions = {}) {
    const maxKeys = options.maxKeys ?? DEFAULT_MAX_KEYS;
    if (!Number.isSafeInteger(maxKeys) || maxKeys < 1) {
      throw new TypeError(
        `bulwark: MemoryStore maxKeys: ${String(maxKeys)} is not a whole number, 1 or more; write a bound such as 100000.`,
      );
    }
    this.maxKeys = maxKeys;
  }

  /** Keys currently stored, across all limiters. */
  get size(): number {
    return this.#size;
  }

  consume(policy: RateLimitPolicy, key: string, cost: number, now: number): RateLimitDecision {
    if (this.#closed) throw new Error('bulwark: MemoryStore is closed');
    let table: Map<string, Entry> | null | undefined;
    let algorithm: Algorithm;
    if (policy === this.#lastPolicy) {
      table = this.#lastTable;
      algorithm = this.#lastAlgorithm;
    } else {
      table = this.#tables.get(policy.name);
      algorithm = ALGORITHMS[policy.algorithm];
      this.#lastAlgorithm = algorithm;
    }
    if (table == null) {
      table = new Map();
      this.#tables.set(policy.name, table);
    }
    this.#lastPolicy = policy;
    this.#lastTable = table;
    let e = table.get(key);
    if (e === undefined) {
      if (this.#size >= this.maxKeys && this.#stalest !== null) this.#remove(this.#stalest);
      e = new Entry(key, table, policy.algorithm);
      table.set(key, e);
      this.#size++;
      this.#append(e);
    } else {
      if (e.algorithm !== policy.algorithm || e.expiresAt <= now) e.clear(policy.algorithm);
      if (e !== this.#freshest) {
        this.#unlink(e);
        this.#append(e);
      }
    }
    const result = algorithm(e, policy, cost, now);
    for (let i = 0; i < RECLAIM_PER_CALL; i++) {
      const stale = this.#stalest;
      if (stale === null || stale === e || stale.expiresAt > now) break;
      this.#remove(stale);
    }
    return result;
  }

  reset(policy: RateLimitPolicy, key: string): void {
    const e = this.#tables.get(policy.name)?.get(key);
    if (e !== undefined) this.#remove(e);
  }

  /** Drops every key. The store answers no more decisions afterwards (the limiter's failure policy applies). */
  close(): void {
    this.#closed = true;
    this.#tables.clear();
    this.#lastPolicy = null;
    this.#lastTable = null;
    this.#stalest = null;
    this.#freshest = null;
    this.#size = 0;
  }

  #append(e: Entry): void {
    e.prev = this.#freshest;
    e.next = null;
    if (this.#freshest === null) this.#stalest = e;
    else this.#freshest.next = e;
    this.#freshest = e;
  }

  #unlink(e: Entry): void {
    if (e.prev === null) this.#stalest = e.next;
    else e.prev.next = e.next;
    if (e.next === null) this.#freshest = e.prev;
    else e.next.prev = e.prev;
    e.prev = null;
    e.next = null;
  }

  #remove(e: Entry): void {
    this.#unlink(e);
    e.table.delete(e.key);
    this.#size--;
  }
}
