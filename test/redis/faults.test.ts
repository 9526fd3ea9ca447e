import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRateLimiter } from 'bulwark';
import type { RateLimiter } from 'bulwark';
import { RedisStore } from 'bulwark/redis';
import { canStartRedis } from '../helpers/redis.js';
import { startRedisServer } from '../helpers/redis-server.js';
import type { RedisServer } from '../helpers/redis-server.js';
import { stall } from '../helpers/stall.js';

/** A pino-shaped logger (object first, then message) that records the event codes. */
function recordingLogger() {
  const codes: string[] = [];
  const record = (fields: Readonly<Record<string, unknown>>) => {
    codes.push(String(fields.code));
  };
  return { codes, warn: record, error: record, bindings: () => ({}), child: () => ({}) };
}

async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.skipIf(!canStartRedis)('RedisStore faults (a private redis-server)', () => {
  let server: RedisServer;
  let client: Redis;
  let store: RedisStore;
  const logger = recordingLogger();
  let allow: RateLimiter;
  let deny: RateLimiter;
  let fallback: RateLimiter;

  beforeAll(async () => {
    server = await startRedisServer();
    client = new Redis(server.url, {
      enableOfflineQueue: false,
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => 50,
    });
    client.on('error', () => undefined);
    await client.connect();
    store = new RedisStore({ client, timeoutMs: 300 });
    const common = { limit: 3, windowMs: 60_000, store, logger } as const;
    allow = createRateLimiter({ ...common, name: 'allow' });
    deny = createRateLimiter({ ...common, name: 'deny', onStoreError: 'deny' });
    fallback = createRateLimiter({
      ...common,
      name: 'fallback',
      onStoreError: { fallback: createRateLimiter({ name: 'memory', limit: 1, windowMs: 60_000 }) },
    });
  });
  afterAll(async () => {
    client.disconnect();
    await server.stop();
  });

  it('counts while Redis is up', async () => {
    expect(await allow.consume('k')).toMatchObject({ allowed: true, remaining: 2 });
    expect(await deny.consume('k')).toMatchObject({ allowed: true, remaining: 2 });
  });

  it('stopped mid-run: each policy does what it says, logged once per outage', async () => {
    await server.kill();
    for (let i = 0; i < 3; i++) {
      expect(await allow.consume('k')).toMatchObject({ allowed: true, storeUnavailable: true });
      expect(await deny.consume('k')).toMatchObject({ allowed: false, storeUnavailable: true });
    }
    expect(await fallback.consume('k')).toMatchObject({ allowed: true, storeUnavailable: false });
    expect((await fallback.consume('k')).allowed).toBe(false);
    expect(logger.codes.filter((c) => c === 'rate_limit.store_unavailable')).toHaveLength(3);
    await expect(store.ready(300)).rejects.toThrow(/is not reachable/);
  });

  it('restarted: scripts reload, limits resume and recovery is logged', async () => {
    await server.start();
    await until(() => client.status === 'ready', 'the client to reconnect');
    // A fresh server has no scripts cached: EVALSHA answers NOSCRIPT and the store reloads.
    expect(await allow.consume('k')).toMatchObject({
      allowed: true,
      storeUnavailable: false,
      remaining: 2,
    });
    expect(await deny.consume('k')).toMatchObject({ allowed: true, storeUnavailable: false });
    // Recovery is announced once the store has answered for STORE_RECOVERY_QUIET_MS without a failure.
    await until(async () => {
      await Promise.all([allow.consume('r'), deny.consume('r')]);
      return logger.codes.filter((c) => c === 'rate_limit.store_recovered').length === 2;
    }, 'recovery to be logged');
    expect(logger.codes.filter((c) => c === 'rate_limit.store_recovered')).toHaveLength(2);
  });

  it.each([
    ['before the batch was sent', false],
    ['after it was sent, while Redis answered', true],
  ])('this process stalled past timeoutMs %s: no timeout, no outage', async (_when, afterSend) => {
    // Fresh keys per case: each limiter allows 3 per key.
    const [s, t] = afterSend ? ['s2', 't2'] : ['s1', 't1'];
    await until(async () => !(await allow.consume('probe')).storeUnavailable, 'a healthy store');
    const before = logger.codes.length;
    const pending = Promise.all([allow.consume(s), deny.consume(s), allow.consume(t)]);
    // The turn's batch goes out in the check phase; this immediate runs right after it.
    if (afterSend) await new Promise((r) => setImmediate(r));
    // Longer than timeoutMs (300 ms). Before the send, Redis has not seen the calls yet;
    // after it, Redis answers at once but the replies wait unread, and Node runs the due
    // timer before it reads the socket. Either way Redis was in time.
    stall(500);
    const results = await pending;
    for (const d of results) expect(d).toMatchObject({ allowed: true, storeUnavailable: false });
    expect(logger.codes.slice(before)).toEqual([]);
  });

  it('paused past timeoutMs: decisions come from the policy instead of waiting', async () => {
    server.pause();
    try {
      const results = await Promise.all([allow.consume('p'), deny.consume('p')]);
      // The server is still frozen, so these answers can only come from the timeout.
      expect(results[0]).toMatchObject({ allowed: true, storeUnavailable: true });
      expect(results[1]).toMatchObject({ allowed: false, storeUnavailable: true });
    } finally {
      server.resume();
    }
    await until(async () => !(await allow.consume('p')).storeUnavailable, 'recovery');
  });
});
