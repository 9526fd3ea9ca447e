import { beforeEach, describe, expect, it } from 'vitest';
import { createRateLimiter } from 'bulwark';
import type { RateLimitAlgorithm, RateLimiter, RateLimitStore } from 'bulwark';

/** A store under test and the clock it obeys (memory: the limiter's clock; Redis: the store's test clock). */
export interface StoreUnderTest {
  readonly store: RateLimitStore;
  /** Current fake time in epoch ms; tests move it forward. */
  readonly clock: { now: number };
}

/**
 * Every algorithm against its definition, with time under control. Run once per store
 * (test/rate-limit/memory-store.test.ts, test/redis/redis-store.test.ts) so both agree.
 */
export function algorithmSuite(label: string, make: () => StoreUnderTest): void {
  describe(`algorithms on ${label}`, () => {
    let sut: StoreUnderTest;
    let seq = 0;
    beforeEach(() => {
      sut = make();
      // Aligned start, so sliding-window windows are predictable.
      sut.clock.now = 1_800_000_000_000;
    });
    const limiter = (algorithm: RateLimitAlgorithm, limit: number, windowMs: number, extra = {}) =>
      createRateLimiter({
        name: `alg-${algorithm}-${++seq}`,
        algorithm,
        limit,
        windowMs,
        store: sut.store,
        clock: () => sut.clock.now,
        // The stores themselves are under test here, not the limiter's block cache.
        blockCache: false,
        ...extra,
      });
    const at = async (l: RateLimiter, offset: number, key = 'k', cost = 1) => {
      sut.clock.now = 1_800_000_000_000 + offset;
      return l.consume(key, cost);
    };

    it('fixed-window: limit per window from the first request, then a fresh window', async () => {
      const l = limiter('fixed-window', 3, 1000);
      expect((await at(l, 0)).remaining).toBe(2);
      expect((await at(l, 10)).remaining).toBe(1);
      expect(await at(l, 20)).toMatchObject({ allowed: true, remaining: 0, resetMs: 980 });
      expect(await at(l, 500)).toMatchObject({
        allowed: false,
        remaining: 0,
        retryAfterMs: 500,
        resetMs: 500,
      });
      expect((await at(l, 999)).retryAfterMs).toBe(1);
      expect(await at(l, 1000)).toMatchObject({ allowed: true, remaining: 2, retryAfterMs: 0 });
    });

    it('fixed-window: cost counts units; a rejected cost leaves the count alone', async () => {
      const l = limiter('fixed-window', 3, 1000);
      expect(await at(l, 0, 'k', 2)).toMatchObject({ allowed: true, remaining: 1 });
      expect(await at(l, 1, 'k', 2)).toMatchObject({ allowed: false, remaining: 1 });
      expect(await at(l, 2, 'k', 1)).toMatchObject({ allowed: true, remaining: 0 });
    });

    it('sliding-window: the previous window is weighted by its overlap', async () => {
      const l = limiter('sliding-window', 10, 1000);
      for (let i = 0; i < 10; i++) expect((await at(l, 0)).allowed).toBe(true);
      const rejected = await at(l, 0);
      // Next window: 10 * (1000 - e) / 1000 + 1 <= 10 first holds at e = 100.
      expect(rejected).toMatchObject({ allowed: false, remaining: 0, retryAfterMs: 1100 });
      expect(rejected.resetMs).toBe(2000);
      expect((await at(l, 1099)).allowed).toBe(false);
      expect(await at(l, 1100)).toMatchObject({ allowed: true, remaining: 0 });
      // Half way through the next window, half the previous count still weighs.
      expect((await at(l, 1500)).remaining).toBe(3);
    });

    it('sliding-window: a wait inside the current window', async () => {
      const l = limiter('sliding-window', 4, 1000);
      for (let i = 0; i < 4; i++) await at(l, 900);
      // Next window at e=200: prev 4 * 0.8 = 3.2, +1 > 4; at e=250: 3 + 1 = 4.
      const r = await at(l, 1200);
      expect(r).toMatchObject({ allowed: false, retryAfterMs: 50 });
      expect((await at(l, 1250)).allowed).toBe(true);
    });

    it('sliding-log: at most limit in any window, exact waits', async () => {
      const l = limiter('sliding-log', 3, 1000);
      expect((await at(l, 0)).remaining).toBe(2);
      expect((await at(l, 100)).remaining).toBe(1);
      expect(await at(l, 200)).toMatchObject({ allowed: true, remaining: 0, resetMs: 1000 });
      expect(await at(l, 300)).toMatchObject({ allowed: false, retryAfterMs: 700, resetMs: 900 });
      expect((await at(l, 999)).allowed).toBe(false);
      expect(await at(l, 1000)).toMatchObject({ allowed: true, remaining: 0 });
      expect(await at(l, 1050)).toMatchObject({ allowed: false, retryAfterMs: 50 });
    });

    it('sliding-log with countRejected: hammering extends the lockout (Mission Control)', async () => {
      const l = limiter('sliding-log', 3, 1000, { countRejected: true });
      await at(l, 0);
      await at(l, 100);
      await at(l, 200);
      expect((await at(l, 300)).allowed).toBe(false);
      // Without countRejected this would pass (the request at 0 has aged out).
      expect(await at(l, 1000)).toMatchObject({ allowed: false, retryAfterMs: 200 });
      expect((await at(l, 1199)).allowed).toBe(false);
      // Quiet for a full window after the last attempt: admitted again.
      expect((await at(l, 2000)).allowed).toBe(true);
    });

    it('sliding-log matches the brute-force definition on a random trace', async () => {
      const l = limiter('sliding-log', 5, 1000);
      const admitted: number[] = [];
      let t = 0;
      let rnd = 42;
      for (let i = 0; i < 300; i++) {
        rnd = (rnd * 1103515245 + 12345) % 2147483648;
        t += rnd % 120;
        const inWindow = admitted.filter((a) => a > t - 1000).length;
        const d = await at(l, t);
        expect(d.allowed, `request ${i} at ${t}`).toBe(inWindow + 1 <= 5);
        if (d.allowed) admitted.push(t);
        expect(d.remaining).toBe(5 - admitted.filter((a) => a > t - 1000).length);
      }
    });

    it('token-bucket (GCRA): burst of limit, then one per interval', async () => {
      const l = limiter('token-bucket', 4, 1000);
      expect((await at(l, 0)).remaining).toBe(3);
      await at(l, 0);
      await at(l, 0);
      expect(await at(l, 0)).toMatchObject({ allowed: true, remaining: 0, resetMs: 1000 });
      expect(await at(l, 0)).toMatchObject({ allowed: false, retryAfterMs: 250 });
      expect((await at(l, 249)).allowed).toBe(false);
      expect(await at(l, 250)).toMatchObject({ allowed: true, remaining: 0, resetMs: 1000 });
      expect(await at(l, 1250)).toMatchObject({ allowed: true, remaining: 3 });
      expect(await at(l, 1250, 'k', 3)).toMatchObject({ allowed: true, remaining: 0 });
      expect(await at(l, 1300, 'k', 2)).toMatchObject({ allowed: false, retryAfterMs: 450 });
    });

    it('token-bucket with a fractional interval stays exact', async () => {
      const l = limiter('token-bucket', 3, 1000);
      for (let i = 0; i < 3; i++) expect((await at(l, 0)).allowed).toBe(true);
      expect(await at(l, 0)).toMatchObject({ allowed: false, retryAfterMs: 334 });
      expect((await at(l, 333)).allowed).toBe(false);
      expect((await at(l, 334)).allowed).toBe(true);
    });

    it('countRejected on the other algorithms: refused attempts count too', async () => {
      const fixed = limiter('fixed-window', 2, 1000, { countRejected: true });
      await at(fixed, 0);
      await at(fixed, 0);
      expect(await at(fixed, 0)).toMatchObject({
        allowed: false,
        remaining: 0,
        retryAfterMs: 1000,
      });
      expect((await at(fixed, 1000)).allowed).toBe(true);

      const sliding = limiter('sliding-window', 2, 1000, { countRejected: true });
      await at(sliding, 0);
      await at(sliding, 0);
      // The refused attempt makes the window's count 3: 3 * (1000 - e) / 1000 + 1 <= 2 at e = 667.
      expect(await at(sliding, 0)).toMatchObject({ allowed: false, retryAfterMs: 1667 });

      const bucket = limiter('token-bucket', 2, 1000, { countRejected: true });
      await at(bucket, 0);
      await at(bucket, 0);
      expect(await at(bucket, 0)).toMatchObject({ allowed: false, retryAfterMs: 1000 });
      // Without countRejected one unit would be back at 500.
      expect((await at(bucket, 500)).allowed).toBe(false);
      expect((await at(bucket, 4000)).allowed).toBe(true);
    });

    it('keys, names and reset are independent', async () => {
      const a = limiter('fixed-window', 1, 1000);
      const b = limiter('fixed-window', 1, 1000);
      expect((await at(a, 0, 'x')).allowed).toBe(true);
      expect((await at(a, 0, 'x')).allowed).toBe(false);
      expect((await at(a, 0, 'y')).allowed).toBe(true);
      expect((await at(b, 0, 'x')).allowed).toBe(true);
      await a.reset('x');
      expect((await at(a, 0, 'x')).allowed).toBe(true);
    });

    it('1,000 concurrent consumes on one key with limit 100 admit exactly 100', async () => {
      for (const algorithm of [
        'sliding-window',
        'sliding-log',
        'fixed-window',
        'token-bucket',
      ] as const) {
        const l = limiter(algorithm, 100, 60_000);
        const results = await Promise.all(Array.from({ length: 1000 }, () => l.consume('hot')));
        expect(results.filter((r) => r.allowed).length, algorithm).toBe(100);
        expect(results.every((r) => r.remaining >= 0)).toBe(true);
      }
    });
  });
}
