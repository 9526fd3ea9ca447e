import { Cluster, Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileCombinedLimit, createRateLimiter } from 'bulwark';
import { RedisStore } from 'bulwark/redis';
import { canStartRedis } from '../helpers/redis.js';
import { startRedisCluster } from '../helpers/redis-server.js';
import type { RedisCluster } from '../helpers/redis-server.js';

const quiet = { warn: () => undefined, error: () => undefined };

describe.skipIf(!canStartRedis)('RedisStore on a three-node Redis Cluster', () => {
  let cluster: RedisCluster;
  let client: Cluster;

  beforeAll(async () => {
    cluster = await startRedisCluster();
    client = new Cluster([...cluster.startupNodes], { enableOfflineQueue: true });
    client.on('error', () => undefined);
    await client.ping();
  });
  afterAll(async () => {
    // disconnect, not quit: the last test stops a node, which would never answer QUIT.
    client.disconnect();
    await cluster.stop();
  });

  it('decides correctly for every algorithm and spreads keys across slots and nodes', async () => {
    const store = new RedisStore({ client, prefix: 'cluster:' });
    for (const algorithm of [
      'sliding-window',
      'sliding-log',
      'fixed-window',
      'token-bucket',
    ] as const) {
      const l = createRateLimiter({
        name: algorithm,
        limit: 3,
        windowMs: 60_000,
        store,
        algorithm,
      });
      for (let k = 0; k < 20; k++) {
        const key = `client-${k}`;
        const results = await Promise.all(Array.from({ length: 5 }, () => l.consume(key)));
        expect(results.filter((r) => r.allowed).length, `${algorithm} ${key}`).toBe(3);
        expect(results.every((r) => !r.storeUnavailable)).toBe(true);
      }
    }
    const slots = new Set<number>();
    for (let k = 0; k < 20; k++) {
      slots.add(await client.cluster('KEYSLOT', `cluster:fixed-window:{client-${k}}`));
    }
    expect(slots.size).toBeGreaterThan(10);
    const perNode = await Promise.all(client.nodes('master').map((n) => n.dbsize()));
    expect(perNode.filter((n) => n > 0).length).toBe(3);
  });

  it('combined limits under one key share a slot: one COMBINED script decides them, exactly', async () => {
    const store = new RedisStore({ client, prefix: 'cluster-combined:', timeoutMs: 5_000 });
    const burst = createRateLimiter({ name: 'burst', limit: 5, windowMs: 10_000, store });
    const sustained = createRateLimiter({
      name: 'sustained',
      limit: 8,
      windowMs: 60_000,
      algorithm: 'sliding-log',
      store,
    });
    // The store decides both in one call (one script run), not one limit after another.
    const direct = store.consumeAll([
      { policy: burst.policy, key: 'probe', cost: 1 },
      { policy: sustained.policy, key: 'probe', cost: 1 },
    ]);
    expect(direct).toBeInstanceOf(Promise);
    expect((await direct)?.map((d) => d.allowed)).toEqual([true, true]);
    const both = compileCombinedLimit([burst, sustained]);
    for (let k = 0; k < 10; k++) {
      const key = `client-${k}`;
      const results = await Promise.all(
        Array.from({ length: 100 }, () => Promise.resolve(both([key, key]))),
      );
      expect(results.filter((r) => r.allowed).length, key).toBe(5);
      // The refused requests took nothing from the sustained limit: 3 of 8 left.
      const probe = createRateLimiter({
        name: 'sustained',
        limit: 8,
        windowMs: 60_000,
        algorithm: 'sliding-log',
        store: new RedisStore({ client, prefix: 'cluster-combined:', timeoutMs: 5_000 }),
        blockCache: false,
      });
      expect((await probe.consume(key, 3)).remaining, key).toBe(0);
    }
  });

  it('two windows keyed alike travel as one combination (one key per request) and decide exactly on every node', async () => {
    const store = new RedisStore({ client, prefix: 'cluster-combo:', timeoutMs: 5_000 });
    const second = createRateLimiter({ name: 'second', limit: 4, windowMs: 60_000, store });
    const minute = createRateLimiter({ name: 'minute', limit: 6, windowMs: 3_600_000, store });
    const both = compileCombinedLimit([second, minute]);
    const keys = Array.from({ length: 12 }, (_, k) => `combo-${k}`);
    // The store sends one key for such a request (the client's hash), which fixes its slot.
    const direct = await store.consumeAll([
      { policy: second.policy, key: 'combo-probe', cost: 1 },
      { policy: minute.policy, key: 'combo-probe', cost: 1 },
    ]);
    expect(direct?.map((d) => d.allowed)).toEqual([true, true]);
    const results = await Promise.all(
      keys.flatMap((key) =>
        Array.from({ length: 50 }, () =>
          Promise.resolve(both([key, key])).then((r) => [key, r] as const),
        ),
      ),
    );
    for (const key of keys) {
      const mine = results.filter(([k]) => k === key).map(([, r]) => r);
      expect(mine.filter((r) => r.allowed).length, key).toBe(4);
      // Nothing else counted: the hour's limit holds exactly the four admitted.
      const probe = createRateLimiter({
        name: 'minute',
        limit: 6,
        windowMs: 3_600_000,
        store: new RedisStore({ client, prefix: 'cluster-combo:', timeoutMs: 5_000 }),
        blockCache: false,
      });
      expect((await probe.consume(key)).remaining, key).toBe(1);
    }
    // The keys landed on every node: each node decided its own requests' combinations.
    const perNode = await Promise.all(
      client.nodes('master').map((n) => n.keys('cluster-combo:*').then((k) => k.length)),
    );
    expect(perNode.filter((n) => n > 0).length).toBe(3);
  });

  it('combined limits under keys in different slots: decided one by one with refunds, never over either limit', async () => {
    const store = new RedisStore({ client, prefix: 'cluster-split:', timeoutMs: 5_000 });
    const user = createRateLimiter({ name: 'user', limit: 5, windowMs: 60_000, store });
    const ip = createRateLimiter({ name: 'ip', limit: 10, windowMs: 60_000, store });
    const users = ['u0', 'u1', 'u2', 'u3'];
    const address = '198.51.100.77';
    const slots = new Set<number>();
    for (const k of [...users, address]) slots.add(await client.cluster('KEYSLOT', `{${k}}`));
    expect(slots.size).toBe(5);
    // Different slots cannot be decided in one script: the store says so.
    expect(
      store.consumeAll([
        { policy: user.policy, key: 'u0', cost: 1 },
        { policy: ip.policy, key: address, cost: 1 },
      ]),
    ).toBeUndefined();

    const both = compileCombinedLimit([user, ip]);
    const results = await Promise.all(
      Array.from({ length: 1000 }, (_, i) => Promise.resolve(both([users[i % 4]!, address]))),
    );
    const admitted = results.filter((r) => r.allowed).length;
    const perUser = users.map((_, u) => results.filter((r, i) => r.allowed && i % 4 === u).length);
    // Counts briefly held and given back may refuse a request the limit had room for, but
    // nothing is ever admitted over either limit.
    expect(admitted).toBeGreaterThan(0);
    expect(admitted).toBeLessThanOrEqual(10);
    for (const n of perUser) expect(n).toBeLessThanOrEqual(5);
    // Once the refunds landed, Redis holds exactly what was admitted, under each key.
    const fresh = (name: string, limit: number) =>
      createRateLimiter({
        name,
        limit,
        windowMs: 60_000,
        store: new RedisStore({ client, prefix: 'cluster-split:', timeoutMs: 5_000 }),
        blockCache: false,
      });
    const countOf = async (name: string, limit: number, key: string) => {
      const d = await fresh(name, limit).consume(key, limit);
      return d.allowed ? 0 : limit - d.remaining;
    };
    // Each key lives on its own node, so its refunds land in their own time: each is read
    // until it holds what was admitted (a probe refused, as it is while counts are held, adds
    // nothing), for up to a second.
    const settledCount = async (name: string, limit: number, key: string, expected: number) => {
      for (let attempt = 0; ; attempt++) {
        const count = await countOf(name, limit, key);
        if (count === expected || attempt === 50) return count;
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    expect(await settledCount('ip', 10, address, admitted)).toBe(admitted);
    for (const [u, name] of users.entries()) {
      expect(await settledCount('user', 5, name, perUser[u]!), name).toBe(perUser[u]);
    }
  });

  // Last: it stops a node for good. Measures (logs, never asserts) how long each kind of
  // call takes for keys on a stopped node, per client configuration.
  it('a stopped node: decisions, refunds and cached refusals fail over to the policy (timings logged)', async () => {
    const variants = [
      { label: 'enableOfflineQueue: false', options: { enableOfflineQueue: false } },
      { label: 'ioredis default', options: {} },
    ];
    const clients = variants.map((v) => {
      const c = new Cluster([...cluster.startupNodes], v.options);
      c.on('error', () => undefined);
      return c;
    });
    const survivor = new Redis(cluster.nodes[0]!.port, '127.0.0.1', { lazyConnect: true });
    survivor.on('error', () => undefined);
    try {
      for (const c of clients) {
        while (c.status !== 'ready') await new Promise((r) => setTimeout(r, 20));
      }
      // Keys whose slots the second node serves (one to measure, one on which the outage is
      // met), and one a live node serves.
      const port = cluster.nodes[1]!.port;
      const ranges = await client.cluster('SLOTS');
      const served = (slot: number, byStopped: boolean) =>
        ranges.some(
          ([lo, hi, master]) => slot >= lo && slot <= hi && (master?.[1] === port) === byStopped,
        );
      const onNode = async (from: number): Promise<number> => {
        for (let i = from; ; i++) {
          const slot = await client.cluster('KEYSLOT', `{victim-${i}}`);
          if (served(slot, true)) return i;
        }
      };
      const onLive = async (): Promise<string> => {
        for (let i = 0; ; i++) {
          const slot = await client.cluster('KEYSLOT', `{alive-${i}}`);
          if (served(slot, false)) return `alive-${i}`;
        }
      };
      const live = await onLive();
      const first = await onNode(0);
      const key = `victim-${first}`;
      const other = `victim-${await onNode(first + 1)}`;

      const setups = await Promise.all(
        clients.map(async (c, v) => {
          const store = new RedisStore({ client: c, prefix: `cluster-stopped-${v}:` });
          const make = (name: string, limit: number) =>
            createRateLimiter({ name, limit, windowMs: 60_000, store, logger: quiet });
          const both = compileCombinedLimit([make('burst', 5), make('sustained', 50)]);
          const refunding = make('refunding', 5);
          const admitted = await refunding.consume(key);
          // The refusal the block cache holds must come from the store, not from a setup call
          // that exceeded the 500 ms timeout on a loaded machine: a limiter that met a failure
          // treats the store as down for a while and bypasses its cache, which is not the
          // state measured here. So a limiter whose setup met a timeout is set up afresh.
          const refusedByStore = async (attempt: number): Promise<typeof refunding> => {
            const l = make(`cached-${attempt}`, 1);
            const first = await l.consume(key);
            const second = await l.consume(key);
            if (first.storeUnavailable || second.storeUnavailable) {
              if (attempt === 4) throw new Error('five setups in a row met the store timeout');
              return refusedByStore(attempt + 1);
            }
            expect(second.allowed).toBe(false);
            return l;
          };
          const cached = await refusedByStore(0);
          const plain = make('plain', 1000);
          // Its own limiter, so its outage and recovery are its own.
          const live = make('live', 1000);
          return { both, refunding, admitted, cached, plain, live };
        }),
      );

      const timed = async <T>(f: () => Promise<T>): Promise<[T, number]> => {
        const start = performance.now();
        const value = await f();
        return [value, Math.round(performance.now() - start)];
      };
      const rows: string[] = [];
      const measure = async (phase: string, firstPass: boolean) => {
        // The clients and the independent calls run side by side: each is bounded by the
        // store's timeout, so this costs one timeout per step, not one per call.
        const cells = await Promise.all(
          setups.map(async (s) => {
            const [
              [combined, combinedMs],
              [, refundMs],
              [hit, cachedMs],
              [, concurrentMs],
              [elsewhere, liveMs],
            ] = await Promise.all([
              timed(() => Promise.resolve(s.both([key, key]))),
              timed(() => s.refunding.refund(key, s.admitted)),
              timed(() => s.cached.consume(key)),
              timed(() => Promise.all(Array.from({ length: 100 }, () => s.plain.consume(key)))),
              timed(() => s.live.consume(live)),
            ]);
            // The limiter meets the outage on another key: its cache is bypassed from then on.
            const [miss, otherMs] = await timed(() => s.cached.consume(other));
            const [bypassed, bypassedMs] = await timed(() => s.cached.consume(key));
            expect(combined.allowed).toBe(true);
            expect(combined.decisions.every((d) => d?.storeUnavailable === true)).toBe(true);
            // Refused from the cache until the limiter has met the outage, then fail open.
            if (firstPass) expect(hit).toMatchObject({ allowed: false, storeUnavailable: false });
            expect(miss).toMatchObject({ allowed: true, storeUnavailable: true });
            expect(bypassed).toMatchObject({ allowed: true, storeUnavailable: true });
            const liveCell = `${liveMs} (${elsewhere.storeUnavailable ? 'fail open' : 'counted'})`;
            return [combinedMs, refundMs, cachedMs, concurrentMs, otherMs, bypassedMs, liveCell];
          }),
        );
        cells.forEach((c, v) =>
          rows.push(`| ${phase} | ${variants[v]!.label} | ${c.join(' | ')} |`),
        );
      };

      await cluster.nodes[1]!.kill();
      await measure('just stopped', true);
      // Once the other masters mark it failed (cluster-node-timeout 2 s), the cluster is down.
      await survivor.connect();
      for (;;) {
        const info = await survivor.cluster('INFO');
        if (info.includes('cluster_state:fail')) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      await measure('cluster_state:fail', false);
      console.log(
        [
          '\nRedis Cluster, one master of three stopped; RedisStore timeoutMs 500; milliseconds',
          '| phase | client | combined decision | refund | cached refusal | 100 concurrent consumes | consume (outage met) | cached key after outage met | key on a live node |',
          '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
          ...rows,
          '',
        ].join('\n'),
      );
    } finally {
      survivor.disconnect();
      for (const c of clients) c.disconnect();
    }
  });
});
