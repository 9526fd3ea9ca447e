import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { createRateLimiter, MemoryStore, REFUND_FAILED } from 'bulwark';
import type { RateLimitDecision, RateLimitPolicy, RateLimitStore } from 'bulwark';
import { RedisStore } from 'bulwark/redis';
import { freePort } from '../helpers/free-port.js';

// limiter.refund() around the stores' refunds; each algorithm's refund rule runs on both
// stores in test/rate-limit/algorithm-suite.ts.

/** A store the test can switch off: MemoryStore behind a switch (the store contract, not a mock). */
class SwitchableStore extends MemoryStore {
  up = true;
  override consume(...args: Parameters<MemoryStore['consume']>): RateLimitDecision {
    if (!this.up) throw new Error('store down');
    return super.consume(...args);
  }
}

/** A store that can count but not take back: refunds are simply not offered. */
class CountOnlyStore implements RateLimitStore {
  readonly inner = new MemoryStore();
  consume(policy: RateLimitPolicy, key: string, cost: number, now: number): RateLimitDecision {
    return this.inner.consume(policy, key, cost, now);
  }
  reset(policy: RateLimitPolicy, key: string): void {
    this.inner.reset(policy, key);
  }
}

function warnings() {
  const lines: { message: string; fields: unknown }[] = [];
  return {
    lines,
    warn: (fields: unknown, message: string) => lines.push({ message, fields }),
    error: (fields: unknown, message: string) => lines.push({ message, fields }),
    bindings: () => ({}),
    child: () => warnings(),
  };
}

describe('limiter.refund', () => {
  it('takes back the cost it is given, in the window that holds it', async () => {
    const l = createRateLimiter({ limit: 5, windowMs: 60_000 });
    const d = await l.consume('k', 4);
    expect((await l.consume('k', 2)).allowed).toBe(false);
    await l.refund('k', d, 4);
    expect(await l.consume('k', 5)).toMatchObject({ allowed: true, remaining: 0 });
  });

  it('refunds nothing for a decision that counted nothing: a refusal, a fail-open pass', async () => {
    const store = new SwitchableStore();
    const l = createRateLimiter({ limit: 1, windowMs: 60_000, store, logger: warnings() });
    const admitted = await l.consume('k');
    store.up = false;
    const failOpen = await l.consume('k');
    expect(failOpen).toMatchObject({ allowed: true, storeUnavailable: true, stamp: 0 });
    store.up = true;
    const refused = await l.consume('k');
    expect(refused.allowed).toBe(false);
    await l.refund('k', refused);
    await l.refund('k', failOpen);
    expect((await l.consume('k')).allowed).toBe(false);
    await l.refund('k', admitted);
    expect((await l.consume('k')).allowed).toBe(true);
  });

  it('a decision of the fallback limiter is refunded there, never from the recovered store', async () => {
    let now = 1_000_000;
    const store = new SwitchableStore();
    const fallback = createRateLimiter({
      name: 'fb',
      limit: 3,
      windowMs: 60_000,
      clock: () => now,
    });
    const l = createRateLimiter({
      limit: 3,
      windowMs: 60_000,
      store,
      clock: () => now,
      logger: warnings(),
      onStoreError: { fallback },
    });
    // Two requests counted in the store, then an outage: the third is counted by the fallback.
    await l.consume('k');
    await l.consume('k');
    store.up = false;
    const duringOutage = await l.consume('k');
    expect(duringOutage).toMatchObject({ allowed: true, storeUnavailable: false, limit: 3 });
    // The store is back before the response finished and the count is taken back.
    store.up = true;
    now += 10;
    await l.refund('k', duringOutage);
    // The store still holds its two (one unit left), the fallback its none.
    expect(await l.consume('k')).toMatchObject({ allowed: true, remaining: 0 });
    expect((await fallback.consume('k')).remaining).toBe(2);
  });

  it('is a no-op on a store without refund()', async () => {
    const l = createRateLimiter({ limit: 1, windowMs: 60_000, store: new CountOnlyStore() });
    const d = await l.consume('k');
    await expect(l.refund('k', d)).resolves.toBeUndefined();
    expect((await l.consume('k')).allowed).toBe(false);
  });

  it('rejects a bad cost as the programming error it is', async () => {
    const l = createRateLimiter({ limit: 3, windowMs: 60_000 });
    const d = await l.consume('k');
    await expect(l.refund('k', d, 0)).rejects.toThrow(TypeError);
    await expect(l.refund('k', d, 4)).rejects.toThrow(/exceeds the limit 3/);
  });

  it('a refund the store cannot make is logged once and never thrown; the count stays', async () => {
    const port = await freePort();
    const client = new Redis({
      host: '127.0.0.1',
      port,
      lazyConnect: true,
      enableOfflineQueue: false,
      retryStrategy: () => null,
    });
    client.on('error', () => undefined);
    try {
      const logger = warnings();
      const l = createRateLimiter({
        name: 'unreachable',
        limit: 5,
        windowMs: 60_000,
        store: new RedisStore({ client, timeoutMs: 200 }),
        logger,
      });
      // A decision as Redis would have made it, taken back while Redis is out of reach.
      const d: RateLimitDecision = {
        allowed: true,
        limit: 5,
        remaining: 4,
        resetMs: 60_000,
        retryAfterMs: 0,
        storeUnavailable: false,
        stamp: Date.now(),
      };
      await expect(l.refund('k', d)).resolves.toBeUndefined();
      await expect(l.refund('k', d)).resolves.toBeUndefined();
      expect(logger.lines).toHaveLength(1);
      expect(logger.lines[0]?.message).toMatch(
        /^rate_limit\.refund_failed: rate limiter "unreachable" could not take back a count .*the request stays counted$/,
      );
      expect(logger.lines[0]?.fields).toMatchObject({
        code: REFUND_FAILED,
        limiter: 'unreachable',
      });
    } finally {
      client.disconnect();
    }
  });
});
