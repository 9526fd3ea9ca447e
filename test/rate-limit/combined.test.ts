import { describe, expect, it } from 'vitest';
import { compileCombinedLimit, createRateLimiter, isPromise, MemoryStore } from 'bulwark';
import type {
  RateLimitDecision,
  RateLimiter,
  RateLimiterOptions,
  RateLimitPolicy,
  RateLimitStore,
} from 'bulwark';

const quiet = { warn: () => undefined, error: () => undefined };

/** A store with consume, refund and reset but no consumeAll: what a third-party store may offer. */
class NoBatchStore implements RateLimitStore {
  readonly inner = new MemoryStore();
  consume(policy: RateLimitPolicy, key: string, cost: number, now: number): RateLimitDecision {
    return this.inner.consume(policy, key, cost, now);
  }
  refund(policy: RateLimitPolicy, key: string, cost: number, stamp: number, now: number): void {
    this.inner.refund(policy, key, cost, stamp, now);
  }
  reset(policy: RateLimitPolicy, key: string): void {
    this.inner.reset(policy, key);
  }
}

const make = (
  name: string,
  limit: number,
  store: RateLimitStore,
  extra: Partial<RateLimiterOptions> = {},
) => createRateLimiter({ name, limit, windowMs: 60_000, store, logger: quiet, ...extra });

/** Units `l` has counted for `key`, read without counting (a refused probe at cost = limit). */
async function counted(l: RateLimiter, key: string): Promise<number> {
  const d = await l.consume(key, l.limit);
  if (d.allowed) throw new Error('probe was admitted: nothing was counted');
  return l.limit - d.remaining;
}

describe('compileCombinedLimit', () => {
  it('admits only when every limit admits, synchronously on memory stores', () => {
    const store = new MemoryStore();
    const both = compileCombinedLimit([make('burst', 2, store), make('sustained', 3, store)]);
    const first = both(['k', 'k']);
    expect(isPromise(first)).toBe(false);
    if (isPromise(first)) return;
    expect(first.allowed).toBe(true);
    expect(first.decisions.map((d) => d?.remaining)).toEqual([1, 2]);
    void both(['k', 'k']);
    const third = both(['k', 'k']);
    if (isPromise(third)) return;
    expect(third.allowed).toBe(false);
    expect(third.decisions.map((d) => d?.allowed)).toEqual([false, true]);
  });

  it('limits on different stores: an earlier store counts, and is refunded when a later one refuses', async () => {
    const ipLimit = make('ip', 5, new MemoryStore());
    const userLimit = make('user', 1, new MemoryStore());
    const both = compileCombinedLimit([ipLimit, userLimit]);
    expect((await both(['ip', 'alice'])).allowed).toBe(true);
    for (let i = 0; i < 3; i++) expect((await both(['ip', 'alice'])).allowed).toBe(false);
    // Only the admitted request stays counted under the IP.
    expect(await counted(ipLimit, 'ip')).toBe(1);
  });

  it('a limit not asked because an earlier store refused has no decision', async () => {
    const a = make('a', 1, new MemoryStore());
    const b = make('b', 1, new MemoryStore());
    const c = make('c', 1, new MemoryStore());
    const all = compileCombinedLimit([a, b, c]);
    await all(['k', 'k', 'k']);
    const refused = await all(['k', 'x', 'x']);
    expect(refused.allowed).toBe(false);
    expect(refused.decisions[0]?.allowed).toBe(false);
    expect(refused.decisions[1]).toBeUndefined();
    expect(refused.decisions[2]).toBeUndefined();
    // Nothing was counted for x under b or c.
    expect((await b.consume('x')).remaining).toBe(0);
    expect((await c.consume('x')).remaining).toBe(0);
  });

  it('a store without consumeAll is decided one limit after another, with refunds', async () => {
    const store = new NoBatchStore();
    const perUser = make('user', 1, store);
    const perIp = make('ip', 3, store);
    const both = compileCombinedLimit([perIp, perUser]);
    expect((await both(['ip', 'alice'])).allowed).toBe(true);
    expect((await both(['ip', 'alice'])).allowed).toBe(false);
    expect((await both(['ip', 'alice'])).allowed).toBe(false);
    expect(await counted(perIp, 'ip')).toBe(1);
  });

  it('a refusing limit with countRejected counts the attempt; the admitting one counts nothing', async () => {
    const clock = { now: 0 };
    const store = new MemoryStore();
    const at = { clock: () => clock.now };
    const strict = make('strict', 1, store, {
      ...at,
      windowMs: 1000,
      algorithm: 'sliding-log',
      countRejected: true,
    });
    const loose = make('loose', 10, store, at);
    const both = compileCombinedLimit([loose, strict]);
    await both(['k', 'k']);
    clock.now = 900;
    expect((await both(['k', 'k'])).allowed).toBe(false);
    expect(await counted(loose, 'k')).toBe(1);
    // The request at 0 has aged out, the refused attempt at 900 has not: still refused.
    clock.now = 1000;
    expect((await strict.consume('k')).allowed).toBe(false);
  });

  it('a refusing limit starts its block; the admitting one is not blocked', async () => {
    const clock = { now: 0 };
    const store = new MemoryStore();
    const blocking = make('blocking', 1, store, { blockMs: 600_000, clock: () => clock.now });
    const other = make('other', 100, store, { clock: () => clock.now });
    const both = compileCombinedLimit([other, blocking]);
    await both(['k', 'k']);
    const refused = await both(['k', 'k']);
    expect(refused.decisions[1]?.retryAfterMs).toBe(600_000);
    clock.now = 120_000; // the window is over, the block is not
    expect((await both(['k', 'k'])).allowed).toBe(false);
    expect((await other.consume('k')).allowed).toBe(true);
  });

  it("a failing store answers with each limit's own failure policy, and the others are refunded", async () => {
    const healthy = make('healthy', 5, new MemoryStore());
    const broken = new MemoryStore();
    const closed = make('closed', 5, broken, { onStoreError: 'deny' });
    const open = make('open', 5, broken);
    broken.close();
    const denying = compileCombinedLimit([healthy, closed]);
    const refused = await denying(['k', 'k']);
    expect(refused.allowed).toBe(false);
    expect(refused.decisions[1]).toMatchObject({ allowed: false, storeUnavailable: true });
    expect((await healthy.consume('k')).remaining).toBe(4);

    const allowing = compileCombinedLimit([healthy, open]);
    const admitted = await allowing(['k', 'k']);
    expect(admitted.allowed).toBe(true);
    expect(admitted.decisions[1]).toMatchObject({ allowed: true, storeUnavailable: true });
  });

  it('rejects two limits of one name on one store, and limiters it did not make', () => {
    const store = new MemoryStore();
    expect(() => compileCombinedLimit([make('same', 1, store), make('same', 2, store)])).toThrow(
      /limiter\[1\].*give each limit its own name/,
    );
    // The same name on different stores counts into different places: allowed.
    expect(() =>
      compileCombinedLimit([
        make('same', 1, new MemoryStore()),
        make('same', 2, new MemoryStore()),
      ]),
    ).not.toThrow();
    const foreign = { ...make('x', 1, store) };
    expect(() => compileCombinedLimit([foreign])).toThrow(
      /limiter\[0\]: not made by createRateLimiter/,
    );
  });
});
