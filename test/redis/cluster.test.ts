import { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRateLimiter } from 'bulwark';
import { RedisStore } from 'bulwark/redis';
import { canStartRedis } from '../helpers/redis.js';
import { startRedisCluster } from '../helpers/redis-server.js';
import type { RedisCluster } from '../helpers/redis-server.js';

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
    await client.quit();
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
});
