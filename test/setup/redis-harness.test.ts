import { Cluster, Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canStartRedis, noRedis, redisUrl } from '../helpers/redis.js';
import { startRedisCluster } from '../helpers/redis-server.js';
import type { RedisCluster } from '../helpers/redis-server.js';

describe.skipIf(noRedis)('redis harness: standalone', () => {
  it('hands the tests a live server', async () => {
    const client = new Redis(redisUrl, { lazyConnect: true });
    await client.connect();
    await client.set('harness:probe', 'yes', 'PX', 5000);
    expect(await client.get('harness:probe')).toBe('yes');
    await client.quit();
  });
});

describe.skipIf(!canStartRedis)('redis harness: three-node cluster', () => {
  let cluster: RedisCluster;
  let client: Cluster;
  beforeAll(async () => {
    cluster = await startRedisCluster();
    client = new Cluster([...cluster.startupNodes]);
  });
  afterAll(async () => {
    await client.quit();
    await cluster.stop();
  });

  it('spreads keys over three masters', async () => {
    const keys = Array.from({ length: 30 }, (_, i) => `harness:${i}`);
    for (const k of keys) await client.set(k, k);
    expect(client.nodes('master')).toHaveLength(3);
    const counts = await Promise.all(client.nodes('master').map((n) => n.dbsize()));
    expect(counts.filter((c) => c > 0)).toHaveLength(3);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(keys.length);
  });
});
