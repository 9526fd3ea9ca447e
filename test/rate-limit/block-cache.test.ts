import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { compileCombinedLimit, createRateLimiter } from 'bulwark';
import type { RateLimiterOptions } from 'bulwark';
import { RedisStore } from 'bulwark/redis';
import { canStartRedis } from '../helpers/redis.js';
import { startRedisServer } from '../helpers/redis-server.js';
import type { RedisServer } from '../helpers/redis-server.js';

// The block cache in front of RedisStore, against a private redis-server: its command
// statistics then count this file's script runs only, which is how "no store call" is proven.

const quiet = { warn: () => undefined, error: () => undefined };
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe.skipIf(!canStartRedis)('the block cache in front of RedisStore', () => {
  let server: RedisServer;
  let client: Redis;
  let admin: Redis;
  let store: RedisStore;
  let seq = 0;

  beforeAll(async () => {
    server = await startRedisServer();
    client = new Redis(server.url, {
      lazyConnect: true,
      enableOfflineQueue: false,
      retryStrategy: () => 20,
      maxRetriesPerRequest: 0,
    });
    client.on('error', () => undefined);
    admin = new Redis(server.url, { lazyConnect: true, retryStrategy: () => 20 });
    admin.on('error', () => undefined);
    await Promise.all([client.connect(), admin.connect()]);
  });
  afterAll(async () => {
    client.disconnect();
    admin.disconnect();
    await server.stop();
  });
  beforeEach(() => {
    store = new RedisStore({ client, prefix: 'test:block-cache:', timeoutMs: 200 });
  });

  const make = (options: Partial<RateLimiterOptions> = {}) =>
    createRateLimiter({
      name: `cache-${++seq}`,
      limit: 5,
      windowMs: 60_000,
      store,
      logger: quiet,
      ...options,
    });

  /** Script runs (EVALSHA and EVAL) since the last reset of Redis's command statistics. */
  async function scriptCalls(): Promise<number> {
    const info = await admin.info('commandstats');
    let calls = 0;
    for (const m of info.matchAll(/^cmdstat_(?:evalsha|eval):calls=(\d+)/gm)) calls += Number(m[1]);
    return calls;
  }
  const resetStats = async () => {
    await admin.config('RESETSTAT');
  };

  it('a refused key costs no store call until its retry time: 1,000 attempts, no script run', async () => {
    const l = make();
    for (let i = 0; i < 5; i++) expect((await l.consume('ip')).allowed).toBe(true);
    const refused = await l.consume('ip');
    expect(refused.allowed).toBe(false);
    await resetStats();
    const hammer = await Promise.all(Array.from({ length: 1000 }, () => l.consume('ip')));
    expect(hammer.every((d) => !d.allowed && !d.storeUnavailable)).toBe(true);
    // The cached refusal keeps counting down to the store's own retry time.
    expect(hammer[0]!.retryAfterMs).toBeGreaterThan(0);
    expect(hammer[0]!.retryAfterMs).toBeLessThanOrEqual(refused.retryAfterMs);
    expect(await scriptCalls()).toBe(0);

    // Without the cache the same hammering is one script run per batch of 128 at least.
    const uncached = make({ blockCache: false });
    for (let i = 0; i < 6; i++) await uncached.consume('ip');
    await resetStats();
    await Promise.all(Array.from({ length: 1000 }, () => uncached.consume('ip')));
    expect(await scriptCalls()).toBeGreaterThanOrEqual(8);
  });

  it('combined limits: a cached refusal of one limit refuses the request with no store call', async () => {
    const perUser = make({ limit: 2 });
    const perIp = make({ limit: 10 });
    const both = compileCombinedLimit([perUser, perIp]);
    expect((await both(['alice', 'ip'])).allowed).toBe(true);
    expect((await both(['alice', 'ip'])).allowed).toBe(true);
    expect((await both(['alice', 'ip'])).allowed).toBe(false);
    await resetStats();
    const hammer = await Promise.all(
      Array.from({ length: 1000 }, () => Promise.resolve(both(['alice', 'ip']))),
    );
    expect(hammer.every((c) => !c.allowed)).toBe(true);
    expect(await scriptCalls()).toBe(0);
    // Another user from the same IP is still decided by the store, and counted there.
    expect((await both(['bob', 'ip'])).allowed).toBe(true);
    expect((await perIp.consume('ip')).remaining).toBe(6);
  });

  it('with countRejected, refused attempts still reach Redis, gathered per key per turn', async () => {
    const l = make({ algorithm: 'sliding-log', countRejected: true });
    for (let i = 0; i < 6; i++) await l.consume('brute');
    const key = store.keyFor(l.policy, 'brute');
    const before = (await client.lrange(key, 0, -1)).map(Number);
    await new Promise((r) => setTimeout(r, 20));
    await resetStats();
    let attempts = 0;
    for (let turn = 0; turn < 10; turn++) {
      const burst = await Promise.all(Array.from({ length: 100 }, () => l.consume('brute')));
      attempts += burst.length;
      expect(burst.every((d) => !d.allowed)).toBe(true);
      await nextTurn();
    }
    await nextTurn();
    await new Promise((r) => setTimeout(r, 20));
    const calls = await scriptCalls();
    // Counted in Redis: the log now holds only attempts made after the first six, so the
    // lockout runs a full window from the latest of them.
    const after = (await client.lrange(key, 0, -1)).map(Number);
    expect(after.length).toBe(5);
    expect(Math.min(...after)).toBeGreaterThan(Math.max(...before));
    expect(calls).toBeGreaterThan(0);
    expect(calls).toBeLessThanOrEqual(20);
    expect(calls * 10).toBeLessThanOrEqual(attempts);
  });

  it('reset(key) in this process clears the cached refusal', async () => {
    const l = make({ limit: 1 });
    await l.consume('k');
    expect((await l.consume('k')).allowed).toBe(false);
    await l.reset('k');
    await resetStats();
    expect((await l.consume('k')).allowed).toBe(true);
    expect(await scriptCalls()).toBe(1);
  });

  it('a refund in this process clears the cached refusal (skipSuccessfulRequests)', async () => {
    const l = make({ limit: 2 });
    const first = await l.consume('k');
    await l.consume('k');
    expect((await l.consume('k')).allowed).toBe(false);
    await l.refund('k', first);
    // Redis now holds one unit of two: the next request passes, not a stale cached refusal.
    expect((await l.consume('k')).allowed).toBe(true);
    expect((await l.consume('k')).allowed).toBe(false);
  });

  it('a refund keeps a block: the next decision asks the store, which still refuses', async () => {
    const l = make({ limit: 1, blockMs: 60_000 });
    const first = await l.consume('k');
    expect((await l.consume('k')).allowed).toBe(false);
    await l.refund('k', first);
    expect(await l.consume('k')).toMatchObject({ allowed: false, storeUnavailable: false });
  });

  it('a cheaper cost is not refused by the cached refusal of a larger one', async () => {
    const l = make({ limit: 10 });
    expect((await l.consume('k', 8)).allowed).toBe(true);
    expect((await l.consume('k', 5)).allowed).toBe(false);
    await resetStats();
    // Cost 6 is refused from the cache; cost 2 still fits and is asked.
    expect((await l.consume('k', 6)).allowed).toBe(false);
    expect(await scriptCalls()).toBe(0);
    expect(await l.consume('k', 2)).toMatchObject({ allowed: true, remaining: 0 });
    expect(await scriptCalls()).toBe(1);
  });

  it('blockCache: false asks the store every time', async () => {
    const l = make({ limit: 1, blockCache: false });
    await l.consume('k');
    await l.consume('k');
    await resetStats();
    for (let i = 0; i < 3; i++) expect((await l.consume('k')).allowed).toBe(false);
    expect(await scriptCalls()).toBe(3);
  });

  it('during a store outage the cache is bypassed, so recovery is seen', async () => {
    const l = make({ limit: 1 });
    await l.consume('held');
    expect((await l.consume('held')).allowed).toBe(false);
    await server.kill();
    try {
      // Another key meets the outage: fail open, as onStoreError 'allow' says.
      expect(await l.consume('other')).toMatchObject({ allowed: true, storeUnavailable: true });
      // The cached key is no longer answered from the cache: it goes to the (absent) store.
      expect(await l.consume('held')).toMatchObject({ allowed: true, storeUnavailable: true });
    } finally {
      await server.start();
    }
    // The restarted server lost every key; the first answer from it is a real count.
    for (let i = 0; i < 100; i++) {
      const d = await l.consume('held');
      if (!d.storeUnavailable) {
        expect(d.allowed).toBe(true);
        return;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error('Redis did not come back');
  });
});
