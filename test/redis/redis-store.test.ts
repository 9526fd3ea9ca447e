import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { createRateLimiter, MemoryStore } from 'bulwark';
import { RedisStore } from 'bulwark/redis';
import type { RedisStoreClient } from 'bulwark/redis';
import { freePort } from '../helpers/free-port.js';
import { noRedis, redisUrl } from '../helpers/redis.js';
import { algorithmSuite } from '../rate-limit/algorithm-suite.js';

const prefix = `test:redis-store:${randomUUID()}:`;

describe.skipIf(noRedis)('RedisStore', () => {
  const client = noRedis
    ? undefined
    : new Redis(redisUrl, { enableOfflineQueue: false, lazyConnect: true });
  beforeAll(async () => {
    await client?.connect();
  });
  afterAll(async () => {
    await client?.quit();
  });

  algorithmSuite('RedisStore', () => {
    const clock = { now: 0 };
    return { store: new RedisStore({ client: client!, prefix, clock: () => clock.now }), clock };
  });

  it('accepts ioredis Redis and Cluster clients as they are', () => {
    expectTypeOf<Redis>().toExtend<RedisStoreClient>();
    expectTypeOf<Cluster>().toExtend<RedisStoreClient>();
  });

  it('uses Redis TIME by default, keys <prefix><name>:{<key>} with a TTL', async () => {
    const store = new RedisStore({ client: client!, prefix });
    const l = createRateLimiter({
      name: 'clock',
      limit: 2,
      windowMs: 10_000,
      store,
      algorithm: 'fixed-window',
    });
    expect((await l.consume('1.2.3.4')).allowed).toBe(true);
    expect((await l.consume('1.2.3.4')).allowed).toBe(true);
    const third = await l.consume('1.2.3.4');
    expect(third).toMatchObject({ allowed: false, remaining: 0 });
    expect(third.retryAfterMs).toBeGreaterThan(0);
    expect(third.retryAfterMs).toBeLessThanOrEqual(10_000);
    const key = `${prefix}clock:{1.2.3.4}`;
    expect(store.keyFor(l.policy, '1.2.3.4')).toBe(key);
    const ttl = await client!.pttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(10_000);
    await l.reset('1.2.3.4');
    expect(await client!.exists(key)).toBe(0);
  });

  it('sliding-log agrees with MemoryStore on big costs, a lowered limit and mass expiry', async () => {
    const clock = { now: 1_000_000 };
    const redisStore = new RedisStore({ client: client!, prefix, clock: () => clock.now });
    const make = (store: RedisStore | MemoryStore, limit: number) =>
      createRateLimiter({
        name: 'log-edges',
        limit,
        windowMs: 10_000,
        algorithm: 'sliding-log',
        countRejected: true,
        store,
        clock: () => clock.now,
      });
    const memoryStore = new MemoryStore();
    const trace: [advanceMs: number, limit: number, cost: number][] = [
      [0, 5000, 2500], // 2,500 timestamps in one call: pushed in chunks
      [1, 5000, 2500],
      [1, 5000, 1], // rejected, and logged (countRejected)
      [1, 3000, 1], // the same limiter name with a lower limit
      [5_000, 3000, 10],
      [9_999, 3000, 1], // most timestamps leave the window at once
      [20_000, 3000, 1], // all of them
      [1, 2, 2],
      [1, 2, 1],
    ];
    for (const [advance, limit, cost] of trace) {
      clock.now += advance;
      const fromRedis = await make(redisStore, limit).consume('k', cost);
      const fromMemory = await make(memoryStore, limit).consume('k', cost);
      expect(fromRedis, `${advance} ${limit} ${cost}`).toEqual(fromMemory);
    }
  });

  it('every algorithm leaves a TTL on its key', async () => {
    const store = new RedisStore({ client: client!, prefix });
    for (const algorithm of [
      'sliding-window',
      'sliding-log',
      'fixed-window',
      'token-bucket',
    ] as const) {
      const l = createRateLimiter({
        name: `ttl-${algorithm}`,
        limit: 5,
        windowMs: 5_000,
        store,
        algorithm,
      });
      await l.consume('k');
      const ttl = await client!.pttl(store.keyFor(l.policy, 'k'));
      expect(ttl, algorithm).toBeGreaterThan(0);
      expect(ttl, algorithm).toBeLessThanOrEqual(10_000);
    }
  });

  it('reloads its scripts after SCRIPT FLUSH (NOSCRIPT)', async () => {
    const store = new RedisStore({ client: client!, prefix });
    const l = createRateLimiter({
      name: 'flush',
      limit: 1,
      windowMs: 10_000,
      store,
      logger: { warn: () => undefined, error: () => undefined },
    });
    expect((await l.consume('k')).allowed).toBe(true);
    await client!.script('FLUSH');
    const d = await l.consume('k');
    expect(d).toMatchObject({ allowed: false, storeUnavailable: false });
  });

  it('ready() passes on a live server and fails with a masked URL on a closed port', async () => {
    await new RedisStore({ client: client! }).ready();
    const port = await freePort();
    const dead = new Redis({
      host: '127.0.0.1',
      port,
      username: 'app',
      password: 'hunter2',
      lazyConnect: true,
      enableOfflineQueue: false,
      retryStrategy: () => null,
    });
    dead.on('error', () => undefined);
    const store = new RedisStore({ client: dead, timeoutMs: 200 });
    const error = await store.ready().then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toContain(`redis://app:***@127.0.0.1:${port}`);
    expect(error?.message).not.toContain('hunter2');
    dead.disconnect();
  });

  it('rejects bad options at creation', () => {
    expect(() => new RedisStore({ client: client!, timeoutMs: 0 })).toThrow(/such as 500/);
    expect(() => new RedisStore({ client: client!, prefix: 'a{b' })).toThrow(/hash tag/);
    expect(() => new RedisStore({ client: {} as RedisStoreClient })).toThrow(/ioredis/);
  });
});
