import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { compileCombinedLimit, createRateLimiter, MemoryStore } from 'bulwark';
import type { CombinedDecision, RateLimiter } from 'bulwark';
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
    // A generous timeout: the suite's 1,000-call cases must not fail open on a loaded machine.
    const store = new RedisStore({
      client: client!,
      prefix,
      clock: () => clock.now,
      timeoutMs: 5_000,
    });
    return { store, clock };
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
    // One hash per client key, a field per limiter; its expiry covers the state, with room
    // to spare (at most twice what the state needs), and only ever grows.
    const key = `${prefix}{1.2.3.4}`;
    expect(store.keyFor(l.policy, '1.2.3.4')).toBe(key);
    expect(await client!.hget(key, 'clock:b')).toBe('2');
    const ttl = await client!.pttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(20_000);
    await l.reset('1.2.3.4');
    expect(await client!.hmget(key, 'clock:a', 'clock:b')).toEqual([null, null]);
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
      await l.consume(`ttl-${algorithm}`);
      const ttl = await client!.pttl(store.keyFor(l.policy, `ttl-${algorithm}`));
      expect(ttl, algorithm).toBeGreaterThan(0);
      expect(ttl, algorithm).toBeLessThanOrEqual(20_000);
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

  // Exactness on Redis's own clock (TIME), the block cache on: what production runs. A
  // generous timeoutMs: on a loaded CI machine, 1,000 calls at once can wait past the default
  // 500 ms, and a decision that times out fails open, which is not what these tests measure.
  const many = <T>(n: number, f: (i: number) => T | Promise<T>): Promise<T[]> =>
    Promise.all(Array.from({ length: n }, (_, i) => Promise.resolve(f(i))));

  it('1,000 concurrent consumes with blockMs admit exactly the limit; the block lives in the hash with a TTL', async () => {
    const store = new RedisStore({ client: client!, prefix, timeoutMs: 5_000 });
    const l = createRateLimiter({
      name: 'exact-block',
      limit: 100,
      windowMs: 60_000,
      blockMs: 120_000,
      store,
    });
    const first = await many(1000, () => l.consume('exact-hot'));
    expect(first.filter((d) => d.allowed).length).toBe(100);
    const refused = first.find((d) => !d.allowed)!;
    expect(refused.retryAfterMs).toBeGreaterThan(60_000);
    expect(refused.retryAfterMs).toBeLessThanOrEqual(120_000);
    const hash = store.hashFor('exact-hot');
    expect(Number(await client!.hget(hash, 'exact-block:l'))).toBe(1);
    const ttl = await client!.pttl(hash);
    // The block (120 s) and one window to remember the episode, with room to spare.
    expect(ttl).toBeGreaterThan(180_000);
    expect(ttl).toBeLessThanOrEqual(360_000);
    // Another process (another limiter, no cache of its own yet) sees the block in Redis.
    const elsewhere = createRateLimiter({
      name: 'exact-block',
      limit: 100,
      windowMs: 60_000,
      blockMs: 120_000,
      store: new RedisStore({ client: client!, prefix, timeoutMs: 5_000 }),
    });
    const second = await many(1000, () => elsewhere.consume('exact-hot'));
    expect(second.filter((d) => d.allowed).length).toBe(0);
    await l.reset('exact-hot');
    expect(await client!.hmget(hash, 'exact-block:u', 'exact-block:l')).toEqual([null, null]);
    expect((await l.consume('exact-hot')).allowed).toBe(true);
  });

  it('1,000 concurrent combined decisions (5 per user, 10 per IP) admit exactly what both allow', async () => {
    const store = new RedisStore({ client: client!, prefix, timeoutMs: 5_000 });
    const perUser = createRateLimiter({
      name: 'combined-user',
      limit: 5,
      windowMs: 60_000,
      algorithm: 'sliding-log',
      countRejected: true,
      store,
    });
    const perIp = createRateLimiter({
      name: 'combined-ip',
      limit: 10,
      windowMs: 60_000,
      blockMs: 60_000,
      store,
    });
    const both = compileCombinedLimit([perUser, perIp]);
    const users = ['u0', 'u1', 'u2', 'u3'];
    const results = await many(1000, (i) => both([users[i % 4]!, '198.51.100.1']));
    expect(results.filter((r) => r.allowed).length).toBe(10);
    for (let u = 0; u < 4; u++) {
      expect(results.filter((r, i) => r.allowed && i % 4 === u).length).toBeLessThanOrEqual(5);
    }
    // One user on a fresh IP: the user's limit is the smaller one.
    const alone = await many(1000, () => both(['solo', '198.51.100.2']));
    expect(alone.filter((r) => r.allowed).length).toBe(5);
    // The refused requests left the admitting limit alone: exactly 5 on the second IP.
    const probe = createRateLimiter({
      name: 'combined-ip',
      limit: 10,
      windowMs: 60_000,
      blockMs: 60_000,
      store: new RedisStore({ client: client!, prefix, timeoutMs: 5_000 }),
      blockCache: false,
    });
    expect((await probe.consume('198.51.100.2', 5)).remaining).toBe(0);
    expect((await probe.consume('198.51.100.2')).allowed).toBe(false);
  });

  it('refunds interleaved with 1,000 concurrent combined decisions: exactly what was refunded is admitted again', async () => {
    const store = new RedisStore({ client: client!, prefix, timeoutMs: 5_000 });
    const perUser = createRateLimiter({ name: 'refund-user', limit: 5, windowMs: 60_000, store });
    const perIp = createRateLimiter({
      name: 'refund-ip',
      limit: 10,
      windowMs: 60_000,
      algorithm: 'fixed-window',
      store,
    });
    const both = compileCombinedLimit([perUser, perIp]);
    const users = ['u0', 'u1', 'u2', 'u3'];
    const wave = () => many(1000, (i) => both([users[i % 4]!, '203.0.113.1']));
    const admittedIn = (rs: readonly CombinedDecision[]) => rs.filter((r) => r.allowed).length;
    const first = await wave();
    expect(admittedIn(first)).toBe(10);
    // Four requests turn out not to count (skipSuccessfulRequests): taken back from both
    // limits while the next 1,000 arrive.
    const back = first
      .map((r, i) => ({ r, user: users[i % 4]! }))
      .filter(({ r }) => r.allowed)
      .slice(0, 4);
    const refunds = Promise.all(
      back.flatMap(({ r, user }) => [
        perUser.refund(user, r.decisions[0]!),
        perIp.refund('203.0.113.1', r.decisions[1]!),
      ]),
    );
    const second = await wave();
    await refunds;
    const third = await wave();
    // Never more than the four units given back, and all four once the refunds landed.
    expect(admittedIn(second) + admittedIn(third)).toBe(4);
    expect(admittedIn(await wave())).toBe(0);
  });

  it('two sliding windows keyed alike decide as on MemoryStore, and 1,000 at once admit exactly the smaller limit', async () => {
    let now = 1_800_000_030_000;
    const clock = () => now;
    const pair = (store: RedisStore | MemoryStore) =>
      compileCombinedLimit([
        createRateLimiter({
          name: 'alike-w1',
          limit: 4,
          windowMs: 60_000,
          store,
          clock,
          blockCache: false,
        }),
        createRateLimiter({
          name: 'alike-w2',
          limit: 6,
          windowMs: 3_600_000,
          store,
          clock,
          blockCache: false,
        }),
      ]);
    const redis = pair(new RedisStore({ client: client!, prefix, clock }));
    const memory = pair(new MemoryStore());
    // Across a window boundary, so the previous window's weight is exercised too.
    for (const at of [0, 10, 20, 30, 40, 59_990, 60_000, 70_000, 90_000, 100_000]) {
      now = 1_800_000_030_000 + at;
      const [r, m] = [await redis(['same', 'same']), await memory(['same', 'same'])];
      expect(r.allowed, String(at)).toBe(m.allowed);
      r.decisions.forEach((d, i) => {
        const expected = m.decisions[i];
        if (d === undefined || expected === undefined) return;
        expect(
          {
            allowed: d.allowed,
            remaining: d.remaining,
            resetMs: d.resetMs,
            retryAfterMs: d.retryAfterMs,
          },
          `${String(at)} limit ${String(i)}`,
        ).toEqual({
          allowed: expected.allowed,
          remaining: expected.remaining,
          resetMs: expected.resetMs,
          retryAfterMs: expected.retryAfterMs,
        });
      });
    }
    const store = new RedisStore({ client: client!, prefix, timeoutMs: 5_000 });
    const both = compileCombinedLimit([
      createRateLimiter({ name: 'alike-many-1', limit: 7, windowMs: 60_000, store }),
      createRateLimiter({ name: 'alike-many-2', limit: 12, windowMs: 3_600_000, store }),
    ]);
    const all = await Promise.all(
      Array.from({ length: 1000 }, () => Promise.resolve(both(['many', 'many']))),
    );
    expect(all.filter((c) => c.allowed)).toHaveLength(7);
    const second = createRateLimiter({
      name: 'alike-many-2',
      limit: 12,
      windowMs: 3_600_000,
      store,
    });
    expect((await second.consume('many')).remaining).toBe(4);
  });

  it('one script run mixing combinations and spelled-out requests decides each as MemoryStore does', async () => {
    // Requests keyed alike with cost 1 and no sliding log travel as a combination (one key,
    // one number); the rest spell out every limit. One turn's requests share one script run,
    // so a wrong argument offset between the two shapes would misread every later request.
    let now = 1_800_000_070_000;
    const clock = () => now;
    const build = (store: RedisStore | MemoryStore) => {
      const make = (
        name: string,
        limit: number,
        algorithm: 'sliding-window' | 'sliding-log' | 'fixed-window' | 'token-bucket',
      ) =>
        createRateLimiter({
          name: `mix-${name}`,
          limit,
          windowMs: 60_000,
          algorithm,
          store,
          clock,
          blockCache: false,
        });
      const a = make('a', 5, 'sliding-window');
      const b = make('b', 7, 'sliding-window');
      const c = make('c', 4, 'fixed-window');
      const t = make('t', 6, 'token-bucket');
      const l = make('l', 3, 'sliding-log');
      return { a, b, c, t, l, store };
    };
    const redis = build(new RedisStore({ client: client!, prefix, clock, timeoutMs: 5_000 }));
    const memory = build(new MemoryStore());
    type Set = typeof redis;
    const requests: ((s: Set) => Promise<boolean[] | undefined>)[] = [
      // A combination of sliding windows (the one-pass path).
      (s) => call(s, [s.a, 'k1', 1], [s.b, 'k1', 1]),
      // A combination taking the general path.
      (s) => call(s, [s.c, 'k1', 1], [s.t, 'k1', 1]),
      // Spelled out: a sliding log, different keys, a cost of 2.
      (s) => call(s, [s.a, 'k2', 1], [s.l, 'k2', 1]),
      (s) => call(s, [s.a, 'k3', 1], [s.b, 'k4', 1]),
      (s) => call(s, [s.b, 'k1', 2], [s.c, 'k1', 1]),
      // Three limits, a combination of its own.
      (s) => call(s, [s.a, 'k5', 1], [s.c, 'k5', 1], [s.t, 'k5', 1]),
    ];
    async function call(
      s: Set,
      ...limits: [RateLimiter, string, number][]
    ): Promise<boolean[] | undefined> {
      const ds = await s.store.consumeAll(
        limits.map(([l, key, cost]) => ({ policy: l.policy, key, cost })),
        now,
      );
      return ds?.map((d) => d.allowed);
    }
    for (const at of [0, 1, 2, 30_000, 61_000]) {
      now = 1_800_000_070_000 + at;
      // Every request three times, all in one turn: one script run on Redis.
      const order = [...requests, ...requests, ...requests];
      const onRedis = await Promise.all(order.map((r) => r(redis)));
      const onMemory = [];
      for (const r of order) onMemory.push(await r(memory));
      expect(onRedis, String(at)).toEqual(onMemory);
    }
    // The counts left behind agree too.
    for (const name of ['a', 'b', 'c', 't'] as const) {
      for (const key of ['k1', 'k3', 'k4', 'k5']) {
        const [r, m] = [await redis[name].consume(key), await memory[name].consume(key)];
        expect(r.remaining, `${name} ${key}`).toBe(m.remaining);
      }
    }
  });

  it('limits keyed alike share one hash; a blocked limit refuses a combined decision and the other counts nothing', async () => {
    const store = new RedisStore({ client: client!, prefix, timeoutMs: 5_000 });
    const burst = createRateLimiter({
      name: 'alike-burst',
      limit: 2,
      windowMs: 60_000,
      blockMs: 300_000,
      store,
      blockCache: false,
    });
    const daily = createRateLimiter({
      name: 'alike-day',
      limit: 100,
      windowMs: 86_400_000,
      algorithm: 'token-bucket',
      store,
      blockCache: false,
    });
    const both = compileCombinedLimit([burst, daily]);
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await both(['alike', 'alike']));
    expect(results.map((r) => r.allowed)).toEqual([true, true, false, false, false]);
    // The third was refused by the burst limit and blocked it; the fourth and fifth met the
    // block itself, and the daily limit counted none of the three.
    const blocked = results[4]!.decisions[0]!;
    expect(blocked.retryAfterMs).toBeGreaterThan(290_000);
    const hash = store.hashFor('alike');
    const fields = await client!.hgetall(hash);
    expect(Object.keys(fields).sort()).toEqual(
      [
        '~e',
        'alike-burst:a',
        'alike-burst:b',
        'alike-burst:c',
        'alike-burst:l',
        'alike-burst:u',
        'alike-day:t',
      ].sort(),
    );
    expect((await daily.consume('alike')).remaining).toBe(97);
    // The hash outlives the longest need of its fields: the block and one window after it.
    expect(await client!.pttl(hash)).toBeGreaterThan(300_000);
  });

  it('a refund of sliding-log after its stamp aged out takes nothing; one in the window takes one (Redis TIME)', async () => {
    const store = new RedisStore({ client: client!, prefix, timeoutMs: 5_000 });
    const l = createRateLimiter({
      name: 'refund-log',
      limit: 2,
      windowMs: 500,
      algorithm: 'sliding-log',
      store,
      blockCache: false,
    });
    const old = await l.consume('k');
    await new Promise((r) => setTimeout(r, 550));
    const a = await l.consume('k');
    await l.consume('k');
    await l.refund('k', old);
    expect((await l.consume('k')).allowed).toBe(false);
    await l.refund('k', a);
    expect((await l.consume('k')).allowed).toBe(true);
    expect((await l.consume('k')).allowed).toBe(false);
  });

  it('rejects bad options at creation', () => {
    expect(() => new RedisStore({ client: client!, timeoutMs: 0 })).toThrow(/such as 500/);
    expect(() => new RedisStore({ client: client!, prefix: 'a{b' })).toThrow(/hash tag/);
    expect(() => new RedisStore({ client: {} as RedisStoreClient })).toThrow(/ioredis/);
  });
});
