import { Cluster, Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebhookVerifier, signWebhook } from 'bulwark';
import { RedisReplayStore } from 'bulwark/redis';
import { canStartRedis, noRedis, redisUrl } from '../helpers/redis.js';
import { startRedisCluster, startRedisServer } from '../helpers/redis-server.js';
import type { RedisCluster, RedisServer } from '../helpers/redis-server.js';
import { stall } from '../helpers/stall.js';

const PREFIX = `test:replay-store:${process.pid}:`;
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const body = Buffer.from('{"type":"order.created"}');

function headersFor(deliveryId: string): Record<string, string> {
  return signWebhook(body, SECRET, { scheme: 'standard-webhooks', deliveryId });
}

describe.skipIf(noRedis)('RedisReplayStore on the shared server', () => {
  let client: Redis;
  beforeAll(() => {
    client = new Redis(redisUrl);
  });
  afterAll(async () => {
    await client.quit();
  });

  it('claims a key once, with SET NX PX', async () => {
    const store = new RedisReplayStore({ client, prefix: PREFIX });
    expect(await store.claim('a', 10_000)).toBe(true);
    expect(await store.claim('a', 10_000)).toBe(false);
    const ttl = await client.pttl(`${PREFIX}a`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(10_000);
  });

  it('frees a key after its TTL', async () => {
    const store = new RedisReplayStore({ client, prefix: PREFIX });
    expect(await store.claim('short', 40)).toBe(true);
    await new Promise((r) => setTimeout(r, 80));
    expect(await store.claim('short', 40)).toBe(true);
  });

  it('refuses a replay seen by another process (another verifier on the same Redis)', async () => {
    const make = () =>
      createWebhookVerifier({
        scheme: 'standard-webhooks',
        secret: SECRET,
        replay: { store: new RedisReplayStore({ client, prefix: PREFIX }) },
      });
    const [one, two] = [make(), make()];
    const headers = headersFor(`msg_${Date.now()}`);
    const results = await Promise.all([
      one.verify({ body, headers }),
      two.verify({ body, headers }),
    ]);
    const statuses = results.map((r) => (r.ok ? 202 : r.error.status)).sort();
    expect(statuses).toEqual([202, 409]);
  });

  it('a claim Redis answered in time wins over a deadline passed while this process stalled', async () => {
    const store = new RedisReplayStore({ client, prefix: PREFIX, timeoutMs: 100 });
    await store.ready();
    const claimed = store.claim(`stall-${String(Date.now())}`, 10_000);
    // Redis answers within a millisecond; the reply waits unread while this loop is busy.
    stall(300);
    await expect(claimed).resolves.toBe(true);
  });

  it('answers ready() when Redis is up', async () => {
    await expect(new RedisReplayStore({ client }).ready()).resolves.toBeUndefined();
  });

  it('rejects a bad client or timeout with a TypeError', () => {
    expect(() => new RedisReplayStore({ client: undefined as unknown as Redis })).toThrow(
      /ioredis/,
    );
    expect(() => new RedisReplayStore({ client, timeoutMs: 0 })).toThrow(/timeoutMs/);
  });
});

describe.skipIf(!canStartRedis)('RedisReplayStore when Redis fails', () => {
  let server: RedisServer;
  let client: Redis;
  beforeAll(async () => {
    server = await startRedisServer();
    client = new Redis(server.url, { maxRetriesPerRequest: 1, retryStrategy: () => 50 });
    // Connection errors are expected here (the server is killed); the store reports them.
    client.on('error', () => undefined);
  });
  afterAll(async () => {
    client.disconnect();
    await server.stop();
  });

  it("times out on a hung Redis; 'deny' answers 503, 'allow' lets through and warns once", async () => {
    const store = new RedisReplayStore({ client, prefix: PREFIX, timeoutMs: 100 });
    // Before the pause and after it, a loaded machine may take longer than the 100 ms under
    // test: those claims go through a store with room to spare.
    const steady = new RedisReplayStore({ client, prefix: PREFIX, timeoutMs: 5000 });
    expect(await steady.claim('before', 1000)).toBe(true);
    server.pause();
    try {
      await expect(store.claim('during', 1000)).rejects.toThrow(/timed out after 100 ms/);
      const warnings: string[] = [];
      const logger = { warn: (m: string) => warnings.push(m) };
      const deny = createWebhookVerifier({
        scheme: 'standard-webhooks',
        secret: SECRET,
        replay: { store, onStoreError: 'deny', logger },
      });
      const denied = await deny.verify({ body, headers: headersFor('msg_deny') });
      expect(!denied.ok && denied.error.status).toBe(503);
      const allow = createWebhookVerifier({
        scheme: 'standard-webhooks',
        secret: SECRET,
        replay: { store, logger },
      });
      expect((await allow.verify({ body, headers: headersFor('msg_allow1') })).ok).toBe(true);
      expect((await allow.verify({ body, headers: headersFor('msg_allow2') })).ok).toBe(true);
      expect(warnings).toHaveLength(2); // one per verifier, once per outage each
      await expect(store.ready()).rejects.toThrow(/not reachable/);
    } finally {
      server.resume();
    }
    expect(await steady.claim('after', 1000)).toBe(true);
  });

  it('fails fast when Redis is gone', async () => {
    await server.kill();
    const store = new RedisReplayStore({ client, timeoutMs: 200 });
    await expect(store.claim('gone', 1000)).rejects.toThrow();
    await server.start();
  });
});

describe.skipIf(!canStartRedis)('RedisReplayStore on a three-node cluster', () => {
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

  it('claims keys that live on every master', async () => {
    // Room to spare: three Redis servers and the suite share two cores; this is about where
    // keys land, not about timeouts.
    const store = new RedisReplayStore({ client, prefix: PREFIX, timeoutMs: 5000 });
    const keys = Array.from({ length: 30 }, (_, i) => `cluster-${i}`);
    for (const k of keys) expect(await store.claim(k, 10_000)).toBe(true);
    for (const k of keys) expect(await store.claim(k, 10_000)).toBe(false);
    const counts = await Promise.all(client.nodes('master').map((n) => n.dbsize()));
    expect(counts.filter((c) => c > 0)).toHaveLength(3);
  });
});
