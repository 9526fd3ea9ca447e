import { describe, expect, it } from 'vitest';
import { createRateLimiter, DEFAULT_MAX_BLOCK_MS, MemoryStore } from 'bulwark';
import type { RateLimiterOptions } from 'bulwark';

// Blocks on the limiter and MemoryStore. The block rules themselves run on both stores in
// test/rate-limit/algorithm-suite.ts; this file holds options and MemoryStore's bounds.

const base = { limit: 5, windowMs: 60_000 };

describe('block options', () => {
  it.each([
    [{ blockMs: -1 }, /blockMs: -1 is not a whole number.*write a block such as 15 \* 60_000/],
    [{ blockMs: 1.5 }, /blockMs: 1.5/],
    [{ blockMs: 1000, blockMultiplier: 0.5 }, /blockMultiplier: 0.5 .*write 2 to double the block/],
    [{ blockMs: 1000, blockMultiplier: Infinity }, /blockMultiplier: Infinity/],
    [{ blockMultiplier: 2 }, /blockMultiplier: has no block to act on.*also set blockMs/],
    [{ maxBlockMs: 5000 }, /maxBlockMs: has no block to act on.*also set blockMs/],
    [
      { blockMs: 1000, maxBlockMs: 999 },
      /maxBlockMs: 999 .*at least blockMs \(1000\).*write a cap such as 16000/,
    ],
    [{ blockCache: 'yes' }, /blockCache: is not a boolean.*write true or false/],
    [
      { onDecision: 'log' },
      /onDecision: is not a function.*write onDecision: \(event\) => \{ \.\.\. \}/,
    ],
    [{ onLimitReached: {} }, /onLimitReached: is not a function/],
  ])('rejects %j at creation with what to write', (extra, message) => {
    const options = { ...base, ...extra } as unknown as RateLimiterOptions;
    expect(() => createRateLimiter(options)).toThrow(TypeError);
    expect(() => createRateLimiter(options)).toThrow(message);
  });

  it('has the documented defaults: no block, multiplier 1, a cap of a day (or blockMs if longer)', () => {
    expect(createRateLimiter(base).policy).toMatchObject({
      blockMs: 0,
      blockMultiplier: 1,
      maxBlockMs: DEFAULT_MAX_BLOCK_MS,
    });
    expect(DEFAULT_MAX_BLOCK_MS).toBe(86_400_000);
    const twoDays = 2 * DEFAULT_MAX_BLOCK_MS;
    expect(createRateLimiter({ ...base, blockMs: twoDays }).policy.maxBlockMs).toBe(twoDays);
  });

  it('a growing block stops at the default cap of a day', async () => {
    let now = 0;
    const l = createRateLimiter({
      limit: 1,
      windowMs: 1000,
      blockMs: 3_600_000,
      blockMultiplier: 10,
      clock: () => now,
    });
    await l.consume('k');
    expect((await l.consume('k')).retryAfterMs).toBe(3_600_000);
    now = 1;
    expect((await l.consume('k')).retryAfterMs).toBe(36_000_000);
    now = 2;
    expect((await l.consume('k')).retryAfterMs).toBe(DEFAULT_MAX_BLOCK_MS);
  });

  it('a fractional multiplier rounds each block up to a whole millisecond', async () => {
    let now = 0;
    const l = createRateLimiter({
      limit: 1,
      windowMs: 1000,
      algorithm: 'fixed-window',
      blockMs: 1001,
      blockMultiplier: 1.5,
      clock: () => now,
    });
    await l.consume('k');
    expect((await l.consume('k')).retryAfterMs).toBe(1001);
    now = 1;
    expect((await l.consume('k')).retryAfterMs).toBe(1502); // 1501.5
    now = 2;
    expect((await l.consume('k')).retryAfterMs).toBe(2253); // 2252.25
  });
});

describe('blocks in MemoryStore', () => {
  it('a blocked key outlives its window: reclaiming expired keys leaves it alone', () => {
    const store = new MemoryStore();
    const { policy } = createRateLimiter({ limit: 1, windowMs: 1000, blockMs: 60_000, store });
    for (let i = 0; i < 10; i++) store.consume(policy, `old${i}`, 1, 0);
    store.consume(policy, 'attacker', 1, 0);
    expect(store.consume(policy, 'attacker', 1, 0).allowed).toBe(false);
    // Keys whose windows ended are reclaimed as other requests arrive; the blocked one is not.
    for (let i = 0; i < 20; i++) store.consume(policy, `new${i}`, 1, 5000);
    expect(store.size).toBe(21);
    expect(store.consume(policy, 'attacker', 1, 5000)).toMatchObject({
      allowed: false,
      retryAfterMs: 55_000,
    });
  });

  it('maxKeys 1000: the 1,001st distinct key evicts the stalest, even a blocked attacker, whose count and block are lost', () => {
    const store = new MemoryStore({ maxKeys: 1000 });
    const { policy } = createRateLimiter({
      limit: 5,
      windowMs: 3_600_000,
      blockMs: 3_600_000,
      store,
    });
    for (let i = 0; i < 6; i++) store.consume(policy, 'attacker', 1, 0);
    expect(store.consume(policy, 'attacker', 1, 1).allowed).toBe(false);
    // 999 other keys fill the store to 1,000: the attacker is still held.
    for (let i = 0; i < 999; i++) store.consume(policy, `flood-${i}`, 1, 2);
    expect(store.size).toBe(1000);
    expect(store.consume(policy, 'attacker', 1, 3).allowed).toBe(false);
    // Touching the key made it the freshest: 999 new keys evict the flood, not the attacker.
    for (let i = 999; i < 1998; i++) store.consume(policy, `flood-${i}`, 1, 4);
    expect(store.consume(policy, 'attacker', 1, 5).allowed).toBe(false);
    // An attacker that sends 1,000 distinct keys (rotating addresses) without touching its
    // own pushes it out: a fresh key with a whole quota and no block.
    for (let i = 1998; i < 2998; i++) store.consume(policy, `flood-${i}`, 1, 6);
    expect(store.size).toBe(1000);
    expect(store.consume(policy, 'attacker', 1, 7)).toMatchObject({ allowed: true, remaining: 4 });
  });
});
