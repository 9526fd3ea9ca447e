import { ALGORITHMS, REFUNDS } from './algorithms.js';
import type { Algorithm } from './algorithms.js';
import { decideWithBlock } from './block.js';
import { Entry } from './entry.js';
import type { RateLimitCall, RateLimitDecision, RateLimitPolicy, RateLimitStore } from './types.js';

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
  /** Asking this store costs no more than remembering its answer: no block cache in front of it. */
  readonly blockCache = false;
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
    const e = this.#entry(policy, key, now);
    const result = decideWithBlock(this.#lastAlgorithm, e, policy, cost, now, false);
    this.#reclaim(e, now);
    return result;
  }

  consumeAll(calls: readonly RateLimitCall[], now: number): RateLimitDecision[] {
    const steps: { call: RateLimitCall; e: Entry; algorithm: Algorithm }[] = [];
    for (const call of calls) {
      const e = this.#entry(call.policy, call.key, now);
      steps.push({ call, e, algorithm: this.#lastAlgorithm });
    }
    // Synchronous, so nothing runs between the two passes: the first decides without
    // counting what it admits, the second counts only when everything was admitted.
    let out = steps.map(({ call, e, algorithm }) =>
      decideWithBlock(algorithm, e, call.policy, call.cost, now, true),
    );
    if (out.every((d) => d.allowed)) {
      out = steps.map(({ call, e, algorithm }) =>
        decideWithBlock(algorithm, e, call.policy, call.cost, now, false),
      );
    }
    const last = steps[steps.length - 1];
    if (last !== undefined) this.#reclaim(last.e, now);
    return out;
  }

  refund(policy: RateLimitPolicy, key: string, cost: number, stamp: number, now: number): void {
    const e = this.#tables.get(policy.name)?.get(key);
    if (e?.algorithm !== policy.algorithm || e.expiresAt <= now) return;
    REFUNDS[policy.algorithm](e, policy, cost, stamp, now);
  }

  reset(policy: RateLimitPolicy, key: string): void {
    const e = this.#tables.get(policy.name)?.get(key);
    if (e !== undefined) this.#remove(e);
  }

  /** The key's entry, made fresh when it expired, moved to the fresh end; sets the algorithm. */
  #entry(policy: RateLimitPolicy, key: string, now: number): Entry {
    if (this.#closed) throw new Error('bulwark: MemoryStore is closed');
    let table: Map<string, Entry> | null | undefined;
    if (policy === this.#lastPolicy) {
      table = this.#lastTable;
    } else {
      table = this.#tables.get(policy.name);
      this.#lastAlgorithm = ALGORITHMS[policy.algorithm];
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
    return e;
  }

  /** Reclaims up to two expired keys from the stale end: constant work, never a scan. */
  #reclaim(current: Entry, now: number): void {
    for (let i = 0; i < RECLAIM_PER_CALL; i++) {
      const stale = this.#stalest;
      if (stale === null || stale === current || stale.expiresAt > now) break;
      this.#remove(stale);
    }
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
