import { beforeEach, describe, expect, it } from 'vitest';
import { compileCombinedLimit, createRateLimiter } from 'bulwark';
import type { RateLimitAlgorithm, RateLimiter, RateLimitStore } from 'bulwark';

const ALL = ['sliding-window', 'sliding-log', 'fixed-window', 'token-bucket'] as const;

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
    const sutAt = (offset: number) => {
      sut.clock.now = 1_800_000_000_000 + offset;
    };
    const at = async (l: RateLimiter, offset: number, key = 'k', cost = 1) => {
      sutAt(offset);
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

    it('blockMs: a refused key stays refused for blockMs from the refusal, whatever the window says', async () => {
      for (const algorithm of ALL) {
        const l = limiter(algorithm, 2, 1000, { blockMs: 5000 });
        expect((await at(l, 0)).allowed, algorithm).toBe(true);
        expect((await at(l, 0)).allowed, algorithm).toBe(true);
        expect(await at(l, 10), algorithm).toMatchObject({
          allowed: false,
          remaining: 0,
          retryAfterMs: 5000,
          resetMs: 5000,
          stamp: 0,
        });
        // The window alone would admit by now; the block does not.
        expect(await at(l, 2000), algorithm).toMatchObject({ allowed: false, retryAfterMs: 3010 });
        expect((await at(l, 5009)).retryAfterMs, algorithm).toBe(1);
        // Attempts while blocked were not counted (no countRejected): a whole quota again.
        expect(await at(l, 5010), algorithm).toMatchObject({ allowed: true });
        expect((await at(l, 5010)).allowed, algorithm).toBe(true);
      }
    });

    it('blockMs: the retry time is the later of the block end and the window', async () => {
      const l = limiter('fixed-window', 2, 10_000, { blockMs: 1000 });
      await at(l, 0);
      await at(l, 0);
      expect(await at(l, 10)).toMatchObject({ allowed: false, retryAfterMs: 9990 });
      // The block ended, the window still refuses: a new block, the window's wait still rules.
      expect(await at(l, 1500)).toMatchObject({ allowed: false, retryAfterMs: 8500 });
      expect((await at(l, 10_000)).allowed).toBe(true);
    });

    it('blockMs with countRejected: attempts while blocked count into the window too', async () => {
      const l = limiter('sliding-log', 2, 1000, { blockMs: 500, countRejected: true });
      await at(l, 0);
      await at(l, 0);
      expect((await at(l, 100)).retryAfterMs).toBe(900);
      // Refused at 900 (the block ended, the window still refuses): a new block until 1400.
      expect((await at(l, 900)).allowed).toBe(false);
      // The attempt at 1000, while blocked, is logged too: the log holds 900 and 1000, so the
      // window refuses until 1900, past the block (uncounted it would be the block's 1400).
      expect(await at(l, 1000)).toMatchObject({ allowed: false, retryAfterMs: 900 });
    });

    it('blockMultiplier: each repeat offence doubles the block, up to maxBlockMs; a quiet window ends the episode', async () => {
      const l = limiter('fixed-window', 1, 100, {
        blockMs: 1000,
        blockMultiplier: 2,
        maxBlockMs: 3000,
      });
      expect((await at(l, 0)).allowed).toBe(true);
      expect((await at(l, 1)).retryAfterMs).toBe(1000); // level 1: blocked until 1001
      expect((await at(l, 500)).retryAfterMs).toBe(2000); // attempt while blocked: level 2
      expect((await at(l, 600)).retryAfterMs).toBe(3000); // level 3: 4000, capped at 3000
      // Blocked until 3600. Admitted after it; a refusal within one window after the block
      // ended is a repeat offence (level 4, capped).
      expect((await at(l, 3600)).allowed).toBe(true);
      expect((await at(l, 3601)).retryAfterMs).toBe(3000);
      // Blocked until 6601; quiet for a window after that: the next refusal starts at level 1.
      expect((await at(l, 7000)).allowed).toBe(true);
      expect((await at(l, 7001)).retryAfterMs).toBe(1000);
    });

    it('blockMultiplier 1.5: each block is rounded up to a whole millisecond alike', async () => {
      const l = limiter('fixed-window', 1, 1000, { blockMs: 1001, blockMultiplier: 1.5 });
      await at(l, 0);
      expect((await at(l, 0)).retryAfterMs).toBe(1001);
      expect((await at(l, 1)).retryAfterMs).toBe(1502); // 1501.5
      expect((await at(l, 2)).retryAfterMs).toBe(2253); // 2252.25
    });

    it('blockMultiplier 1: attempts while blocked neither extend nor grow the block', async () => {
      const l = limiter('token-bucket', 1, 100, { blockMs: 1000 });
      await at(l, 0);
      expect((await at(l, 0)).retryAfterMs).toBe(1000);
      for (let t = 100; t < 1000; t += 100) expect((await at(l, t)).retryAfterMs).toBe(1000 - t);
      expect((await at(l, 1000)).allowed).toBe(true);
    });

    it('reset ends a block', async () => {
      const l = limiter('sliding-window', 1, 1000, { blockMs: 60_000, blockMultiplier: 2 });
      await at(l, 0);
      expect((await at(l, 0)).allowed).toBe(false);
      await l.reset('k');
      expect((await at(l, 1)).allowed).toBe(true);
      // A fresh episode: the next refusal is level 1 again.
      expect((await at(l, 2)).retryAfterMs).toBe(60_000);
    });

    it('a refund keeps a block already imposed', async () => {
      for (const algorithm of ALL) {
        const l = limiter(algorithm, 1, 1000, { blockMs: 5000 });
        const admitted = await at(l, 0);
        expect((await at(l, 0)).allowed).toBe(false);
        await l.refund('k', admitted);
        expect(await at(l, 10), algorithm).toMatchObject({ allowed: false, retryAfterMs: 4990 });
      }
    });

    it('refund: a refusal counted nothing and refunds nothing', async () => {
      for (const algorithm of ALL) {
        const l = limiter(algorithm, 1, 1000);
        expect((await at(l, 0)).allowed).toBe(true);
        const refused = await at(l, 0);
        expect(refused).toMatchObject({ allowed: false, stamp: 0 });
        await l.refund('k', refused);
        expect((await at(l, 0)).allowed, algorithm).toBe(false);
      }
    });

    it('fixed-window refund: from the current window, never below zero; after the window ended a no-op', async () => {
      const l = limiter('fixed-window', 2, 1000);
      const a = await at(l, 0);
      const b = await at(l, 10);
      expect(a.stamp).toBeGreaterThan(0);
      expect((await at(l, 20)).allowed).toBe(false);
      sutAt(30);
      await l.refund('k', a);
      const d = await at(l, 40);
      expect(d).toMatchObject({ allowed: true, remaining: 0 });
      // Four refunds of a count of two: zero, not minus two.
      for (const x of [a, b, d, a]) await l.refund('k', x);
      const after = await Promise.all([at(l, 50), at(l, 50), at(l, 50)]);
      expect(after.map((r) => r.allowed)).toEqual([true, true, false]);

      // Back at zero, the next request began a new window at 50. A refund of that window,
      // once it ended, takes nothing from the next one.
      expect((await at(l, 1050)).allowed).toBe(true);
      sutAt(1051);
      await l.refund('k', a);
      await l.refund('k', after[0]);
      expect((await at(l, 1052)).allowed).toBe(true);
      expect((await at(l, 1052)).allowed).toBe(false);
    });

    it('sliding-window refund: the current count, or the previous one only when it is the window just before', async () => {
      const l = limiter('sliding-window', 4, 1000);
      const a = await at(l, 0);
      const b = await at(l, 0);
      expect((await at(l, 1000)).remaining).toBe(1); // prev 2 weighs fully, current 1
      sutAt(1000);
      await l.refund('k', a); // window 0 is now the previous one: its count drops to 1
      expect((await at(l, 1000)).remaining).toBe(1);
      expect((await at(l, 1000)).remaining).toBe(0);
      expect((await at(l, 1000)).allowed).toBe(false);
      // Window 1000 holds 3. At 2000 it is the previous one, weighing fully.
      const g = await at(l, 2000);
      expect(g).toMatchObject({ allowed: true, remaining: 0 });
      sutAt(2000);
      await l.refund('k', b); // window 0 is two windows back: it takes nothing from 1000's count
      expect((await at(l, 2000)).allowed).toBe(false);
      sutAt(2000);
      await l.refund('k', g);
      await l.refund('k', g);
      await l.refund('k', g); // the current count stays at zero, not below
      expect((await at(l, 2000)).allowed).toBe(true);
      expect((await at(l, 2000)).allowed).toBe(false);
    });

    it('sliding-log refund: takes back the stamp while in the window; an aged-out stamp is a no-op', async () => {
      const l = limiter('sliding-log', 3, 1000);
      const a = await at(l, 0);
      const b = await at(l, 100);
      await at(l, 200);
      expect((await at(l, 300)).allowed).toBe(false);
      sutAt(300);
      await l.refund('k', b);
      expect(await at(l, 300)).toMatchObject({ allowed: true, remaining: 0 });
      expect((await at(l, 300)).allowed).toBe(false);
      // a (at 0) has aged out at 1000: its refund takes no other stamp out of the window.
      expect(await at(l, 1050)).toMatchObject({ allowed: true, remaining: 0 });
      sutAt(1050);
      await l.refund('k', a);
      expect((await at(l, 1050)).allowed).toBe(false);
      // The same stamp refunded twice takes one entry, once.
      sutAt(1050);
      await l.refund('k', b);
      expect((await at(l, 1050)).allowed).toBe(false);
    });

    it('token-bucket refund: only the part of the request not yet drained, never below empty', async () => {
      const l = limiter('token-bucket', 4, 1000); // one unit per 250 ms
      const taken = [];
      for (let i = 0; i < 4; i++) taken.push(await at(l, 0));
      expect((await at(l, 0)).allowed).toBe(false);
      sutAt(0);
      await l.refund('k', taken[3]!); // wholly undrained: one unit back
      expect((await at(l, 0)).allowed).toBe(true);
      expect((await at(l, 0)).allowed).toBe(false);
      // At 100 the first unit (0..250) has drained 100 ms: its refund returns 150 ms, not 250.
      sutAt(100);
      await l.refund('k', taken[0]!);
      expect((await at(l, 100)).allowed).toBe(true);
      expect(await at(l, 100)).toMatchObject({ allowed: false, retryAfterMs: 250 });
      // Wholly drained by now: nothing to give back.
      sutAt(300);
      await l.refund('k', taken[0]!);
      expect(await at(l, 300)).toMatchObject({ allowed: false, retryAfterMs: 50 });
      // Refunding everything many times over leaves a full bucket, not more.
      sutAt(300);
      for (let i = 0; i < 3; i++) for (const d of taken) await l.refund('k', d);
      const burst = await Promise.all(Array.from({ length: 6 }, () => at(l, 300)));
      expect(burst.filter((r) => r.allowed).length).toBe(4);
    });

    it('1,000 concurrent consumes with blockMs admit exactly the limit, then the block holds', async () => {
      for (const algorithm of ALL) {
        const l = limiter(algorithm, 100, 60_000, { blockMs: 600_000 });
        sutAt(0);
        const results = await Promise.all(Array.from({ length: 1000 }, () => l.consume('hot')));
        expect(results.filter((r) => r.allowed).length, algorithm).toBe(100);
        // Past the window, inside the block: still refused.
        expect((await at(l, 120_000, 'hot')).allowed, algorithm).toBe(false);
        expect((await at(l, 600_001, 'hot')).allowed, algorithm).toBe(true);
      }
    });

    it('1,000 concurrent, then refunds, then 1,000 more admit exactly what was refunded', async () => {
      for (const algorithm of ALL) {
        const l = limiter(algorithm, 100, 60_000);
        sutAt(0);
        const first = await Promise.all(Array.from({ length: 1000 }, () => l.consume('hot')));
        const admitted = first.filter((r) => r.allowed);
        expect(admitted.length, algorithm).toBe(100);
        await Promise.all(admitted.slice(-30).map((d) => l.refund('hot', d)));
        const second = await Promise.all(Array.from({ length: 1000 }, () => l.consume('hot')));
        expect(second.filter((r) => r.allowed).length, algorithm).toBe(30);
      }
    });

    it('consumeAll: all or nothing, an admitting limit counts nothing when another refuses', async () => {
      for (const algorithm of ALL) {
        const perUser = limiter(algorithm, 2, 60_000);
        const perIp = limiter(algorithm, 3, 60_000);
        const both = compileCombinedLimit([perUser, perIp]);
        sutAt(0);
        expect((await both(['u', 'ip'])).allowed).toBe(true);
        expect((await both(['u', 'ip'])).allowed).toBe(true);
        const refused = await both(['u', 'ip']);
        expect(refused.allowed, algorithm).toBe(false);
        expect(refused.decisions[0]?.allowed).toBe(false);
        expect(refused.decisions[1]).toMatchObject({ allowed: true, stamp: 0 });
        // The refused request took nothing from the IP limit: one unit is left there.
        expect((await both(['v', 'ip'])).allowed, algorithm).toBe(true);
        expect(await both(['w', 'ip']), algorithm).toMatchObject({ allowed: false });
        expect((await perUser.consume('w')).remaining, algorithm).toBe(1);
      }
    });

    it('consumeAll on the store: decisions in call order, counted only when all admit', async () => {
      const a = limiter('fixed-window', 1, 60_000);
      const b = limiter('sliding-log', 5, 60_000, { countRejected: true });
      const store = sut.store;
      sutAt(0);
      const first = await store.consumeAll!(
        [
          { policy: a.policy, key: 'x', cost: 1 },
          { policy: b.policy, key: 'x', cost: 1 },
        ],
        sut.clock.now,
      );
      expect(first?.map((d) => d.allowed)).toEqual([true, true]);
      const second = await store.consumeAll!(
        [
          { policy: b.policy, key: 'x', cost: 2 },
          { policy: a.policy, key: 'x', cost: 1 },
        ],
        sut.clock.now,
      );
      expect(second?.map((d) => d.allowed)).toEqual([true, false]);
      // b counted 1 (the first call), not 3.
      expect((await b.consume('x')).remaining).toBe(3);
    });

    it('1,000 concurrent combined decisions (5 per user, 10 per IP) admit exactly what both allow', async () => {
      const perUser = limiter('sliding-log', 5, 60_000);
      const perIp = limiter('sliding-window', 10, 60_000, { blockMs: 60_000 });
      const both = compileCombinedLimit([perUser, perIp]);
      sutAt(0);
      const users = ['u0', 'u1', 'u2', 'u3'];
      const results = await Promise.all(
        Array.from({ length: 1000 }, (_, i) => Promise.resolve(both([users[i % 4]!, 'ip']))),
      );
      const admitted = results.filter((r) => r.allowed);
      expect(admitted.length).toBe(10);
      const perUserAdmitted = users.map(
        (u, n) => results.filter((r, i) => r.allowed && i % 4 === n).length,
      );
      expect(Math.max(...perUserAdmitted)).toBeLessThanOrEqual(5);
      // One user alone on a fresh IP: the user's limit is the smaller one.
      const alone = await Promise.all(
        Array.from({ length: 1000 }, () => Promise.resolve(both(['solo', 'ip2']))),
      );
      expect(alone.filter((r) => r.allowed).length).toBe(5);
    });
  });
}
