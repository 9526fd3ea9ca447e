import type { RateLimitAlgorithm } from './types.js';

/**
 * One key's state in a MemoryStore, also a node of the store's recency list (stalest first),
 * so eviction and reclaiming expired keys are O(1) pointer moves with no timer per key.
 * Fields `a`, `b`, `c` and `log` mean what the algorithm says (see each algorithm file).
 */
export class Entry {
  prev: Entry | null = null;
  next: Entry | null = null;
  /** When the state becomes equal to a fresh one; 0 while fresh. */
  expiresAt = 0;
  a = 0;
  b = 0;
  c = 0;
  /** sliding-log only: ring buffer of the most recent `limit` unit timestamps. */
  log: number[] | null = null;
  /** sliding-log only: next write index and number of stored timestamps. */
  pos = 0;
  len = 0;
  /** With `blockMs`: the key is refused until this moment (epoch ms); 0 when never blocked. */
  blockedUntil = 0;
  /** With `blockMs`: how many blocks this episode has imposed (the backoff exponent). */
  blockLevel = 0;

  constructor(
    readonly key: string,
    readonly table: Map<string, Entry>,
    public algorithm: RateLimitAlgorithm,
  ) {}

  /** Back to a fresh state (keeps the log buffer for reuse when the size still fits). */
  clear(algorithm: RateLimitAlgorithm): void {
    this.algorithm = algorithm;
    this.expiresAt = 0;
    this.a = 0;
    this.b = 0;
    this.c = 0;
    this.pos = 0;
    this.len = 0;
    this.blockedUntil = 0;
    this.blockLevel = 0;
  }
}
