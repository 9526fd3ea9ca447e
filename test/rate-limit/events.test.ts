import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileCombinedLimit, createRateLimiter, MemoryStore } from 'bulwark';
import type { RateLimitEvent } from 'bulwark';
import { RedisStore } from 'bulwark/redis';
import { captureLog } from '../helpers/log-capture.js';
import { noRedis, redisUrl } from '../helpers/redis.js';

const quiet = { warn: () => undefined, error: () => undefined };

/** A limiter on a fake clock whose events are recorded. */
function recorded(options: { limit?: number; windowMs?: number; store?: MemoryStore } = {}) {
  const clock = { now: 1_000_000 };
  const decisions: RateLimitEvent[] = [];
  const reached: RateLimitEvent[] = [];
  const limiter = createRateLimiter({
    name: 'events',
    limit: options.limit ?? 2,
    windowMs: options.windowMs ?? 1000,
    algorithm: 'fixed-window',
    clock: () => clock.now,
    logger: quiet,
    onDecision: (e) => decisions.push(e),
    onLimitReached: (e) => reached.push(e),
    ...(options.store === undefined ? {} : { store: options.store }),
  });
  return { clock, decisions, reached, limiter };
}

describe('onDecision', () => {
  it('is called once per decision with the limiter, key and decision', async () => {
    const { decisions, limiter } = recorded();
    const made = [
      await limiter.consume('a'),
      await limiter.consume('a'),
      await limiter.consume('a'),
    ];
    expect(decisions.map((e) => [e.limiter, e.key, e.decision.allowed, e.cached])).toEqual([
      ['events', 'a', true, false],
      ['events', 'a', true, false],
      ['events', 'a', false, false],
    ]);
    expect(decisions.map((e) => e.decision)).toEqual(made);
    // decide() reports too (the middleware's path).
    void limiter.decide('b');
    expect(decisions).toHaveLength(4);
  });

  it('reports decisions made by the failure policy', async () => {
    const store = new MemoryStore();
    const { decisions, reached, limiter } = recorded({ store });
    store.close();
    expect((await limiter.consume('a')).storeUnavailable).toBe(true);
    expect(decisions.map((e) => e.decision.storeUnavailable)).toEqual([true]);
    // A store outage is not the client reaching its limit.
    expect(reached).toEqual([]);
  });

  it('reports each limit of a combined decision that counted; a limit that would have admitted what another refused is silent', async () => {
    const store = new MemoryStore();
    const seen: string[] = [];
    const make = (name: string, limit: number) =>
      createRateLimiter({
        name,
        limit,
        windowMs: 60_000,
        store,
        onDecision: (e) => seen.push(`${e.limiter}:${e.key}:${String(e.decision.allowed)}`),
      });
    const both = compileCombinedLimit([make('user', 1), make('ip', 5)]);
    await both(['alice', '192.0.2.1']);
    await both(['alice', '192.0.2.1']);
    expect(seen).toEqual(['user:alice:true', 'ip:192.0.2.1:true', 'user:alice:false']);
  });
});

describe('onLimitReached', () => {
  it('fires once per key per window, again after the window passed and after a reset', async () => {
    const { clock, reached, limiter } = recorded({ limit: 1, windowMs: 1000 });
    await limiter.consume('a');
    for (let i = 0; i < 5; i++) await limiter.consume('a');
    expect(reached.map((e) => e.key)).toEqual(['a']);
    expect(reached[0]?.decision.allowed).toBe(false);
    // Another key is its own alert.
    await limiter.consume('b');
    await limiter.consume('b');
    expect(reached.map((e) => e.key)).toEqual(['a', 'b']);
    // The window passed: a new refusal is a new alert.
    clock.now += 1000;
    await limiter.consume('a');
    await limiter.consume('a');
    await limiter.consume('a');
    expect(reached.map((e) => e.key)).toEqual(['a', 'b', 'a']);
    // A reset (a successful login) forgets the alert as well as the count.
    await limiter.reset('a');
    await limiter.consume('a');
    await limiter.consume('a');
    expect(reached.map((e) => e.key)).toEqual(['a', 'b', 'a', 'a']);
  });

  it('fires once for a block, for as long as the block lasts', async () => {
    const clock = { now: 0 };
    const reached: number[] = [];
    const limiter = createRateLimiter({
      limit: 1,
      windowMs: 1000,
      blockMs: 10_000,
      clock: () => clock.now,
      onLimitReached: () => reached.push(clock.now),
    });
    await limiter.consume('a');
    for (let t = 0; t < 10_000; t += 500) {
      clock.now = t;
      await limiter.consume('a');
    }
    expect(reached).toEqual([0]);
  });
});

describe('listeners that fail', () => {
  it('a throwing listener is logged once (misuse.rate_limit_event) and the decision still comes back', async () => {
    const log = captureLog();
    const limiter = createRateLimiter({
      name: 'throwing',
      limit: 1,
      windowMs: 60_000,
      logger: log.logger,
      onDecision: () => {
        throw new Error('metrics exporter down');
      },
      onLimitReached: () => {
        throw new Error('pager down');
      },
    });
    expect(await limiter.consume('k')).toMatchObject({ allowed: true });
    expect(await limiter.consume('k')).toMatchObject({ allowed: false });
    expect(limiter.decide('k')).toMatchObject({ allowed: false });
    expect(log.misuse()).toEqual([
      expect.stringMatching(
        /^error: misuse\.rate_limit_event: rate limiter "throwing": an onDecision or onLimitReached listener failed \(metrics exporter down\); the request went on/,
      ),
    ]);
  });

  it('a rejecting listener is logged once, and never becomes an unhandled rejection', async () => {
    const log = captureLog();
    const escaped: unknown[] = [];
    const onEscape = (e: unknown) => escaped.push(e);
    process.on('unhandledRejection', onEscape);
    try {
      const limiter = createRateLimiter({
        name: 'rejecting',
        limit: 1,
        windowMs: 60_000,
        logger: log.logger,
        // A listener returning a rejected promise is exactly what is under test.
        // eslint-disable-next-line @typescript-eslint/no-misused-promises
        onLimitReached: () => Promise.reject(new Error('webhook refused')),
      });
      await limiter.consume('k');
      expect((await limiter.consume('k')).allowed).toBe(false);
      expect((await limiter.consume('other')).allowed).toBe(true);
      expect((await limiter.consume('other')).allowed).toBe(false);
      await new Promise((r) => setTimeout(r, 10));
      expect(log.misuse()).toEqual([
        expect.stringMatching(/^error: misuse\.rate_limit_event: .*\(webhook refused\)/),
      ]);
      expect(escaped).toEqual([]);
    } finally {
      process.off('unhandledRejection', onEscape);
    }
  });
});

describe.skipIf(noRedis)('events with the block cache (RedisStore)', () => {
  const client = noRedis
    ? undefined
    : new Redis(redisUrl, { lazyConnect: true, enableOfflineQueue: false });
  beforeAll(async () => {
    await client?.connect();
  });
  afterAll(async () => {
    await client?.quit();
  });

  it('cached is true for refusals the cache answered, and the alert fires once', async () => {
    const decisions: RateLimitEvent[] = [];
    const reached: RateLimitEvent[] = [];
    const limiter = createRateLimiter({
      name: 'events-cache',
      limit: 1,
      windowMs: 60_000,
      store: new RedisStore({ client: client!, prefix: `test:events:${randomUUID()}:` }),
      onDecision: (e) => decisions.push(e),
      onLimitReached: (e) => reached.push(e),
    });
    await limiter.consume('k');
    await limiter.consume('k');
    await limiter.consume('k');
    await limiter.consume('k');
    expect(decisions.map((e) => [e.decision.allowed, e.cached])).toEqual([
      [true, false],
      [false, false],
      [false, true],
      [false, true],
    ]);
    expect(reached.map((e) => e.cached)).toEqual([false]);
  });
});
