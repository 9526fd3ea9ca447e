import { describe, expect, expectTypeOf, it, onTestFinished, vi } from 'vitest';
import {
  createRateLimiter,
  isPromise,
  MemoryStore,
  MISSION_CONTROL_RATE_LIMITS,
  STORE_RECOVERY_QUIET_MS,
} from 'bulwark';
import type { RateLimitDecision, RateLimiter } from 'bulwark';

describe('createRateLimiter', () => {
  it('has the documented shape and defaults', async () => {
    const l = createRateLimiter({ limit: 2, windowMs: 1000 });
    expectTypeOf(l).toEqualTypeOf<RateLimiter>();
    expectTypeOf<RateLimiter['consume']>().returns.toEqualTypeOf<Promise<RateLimitDecision>>();
    expect(l).toMatchObject({ name: 'default', algorithm: 'sliding-window', limit: 2 });
    expect(await l.consume('k')).toMatchObject({ allowed: true, retryAfterMs: 0 });
  });

  it.each([
    [{ limit: 0, windowMs: 1000 }, /limit: 0 is not a whole number.*such as 20/],
    [{ limit: 2.5, windowMs: 1000 }, /limit: 2.5/],
    [{ limit: 5, windowMs: -1 }, /windowMs: -1 .*60_000/],
    [{ windowMs: 1000 }, /limit: is missing/],
    [{ limit: 5, windowMs: 1000, algorithm: 'sliding-windw' }, /did you mean "sliding-window"/],
    [{ limit: 5, windowMs: 1000, name: 'a b' }, /name: "a b"/],
    [{ limit: 5, windowMs: 1000, onStoreError: 'open' }, /write 'allow', 'deny'/],
    [{ limit: 200_000, windowMs: 1000, algorithm: 'sliding-log' }, /use 'sliding-window'/],
  ])('rejects bad options at creation: %j', (options, message) => {
    expect(() => createRateLimiter(options as never)).toThrow(TypeError);
    expect(() => createRateLimiter(options as never)).toThrow(message);
  });

  it.each([0, -1, 1.5, NaN, 11, '1'])('rejects cost %j at the call', (cost) => {
    const l = createRateLimiter({ limit: 10, windowMs: 1000 });
    expect(() => l.consume('k', cost as number)).toThrow(TypeError);
  });

  it('exposes the Mission Control presets exactly', async () => {
    expect(MISSION_CONTROL_RATE_LIMITS.agentAuth).toEqual({
      name: 'agent-auth',
      limit: 20,
      windowMs: 60_000,
      algorithm: 'sliding-log',
      countRejected: true,
    });
    expect(MISSION_CONTROL_RATE_LIMITS.webhookIngest).toMatchObject({
      limit: 60,
      windowMs: 60_000,
    });
    let now = 0;
    const l = createRateLimiter({ ...MISSION_CONTROL_RATE_LIMITS.agentAuth, clock: () => now });
    for (let i = 0; i < 20; i++) expect((await l.consume('ip')).allowed).toBe(true);
    expect((await l.consume('ip')).allowed).toBe(false);
    now = 30_000; // a brute-forcer keeps trying
    for (let i = 0; i < 20; i++) expect((await l.consume('ip')).allowed).toBe(false);
    now = 60_000; // the first 20 aged out, but the rejected attempts still count
    expect(await l.consume('ip')).toMatchObject({ allowed: false, retryAfterMs: 30_000 });
    now = 90_000;
    expect((await l.consume('ip')).allowed).toBe(true);
  });
});

/** A store the test can switch off: MemoryStore behind a switch (the store contract, not a mock). */
class SwitchableStore extends MemoryStore {
  up = true;
  override consume(...args: Parameters<MemoryStore['consume']>): RateLimitDecision {
    if (!this.up) throw new Error('connect ECONNREFUSED redis://user:hunter2@10.0.0.1:6379');
    return super.consume(...args);
  }
}

/** A pino-shaped logger (object first, then message) that records what it is given. */
function recordingLogger() {
  const lines: { level: string; message: string; fields: unknown }[] = [];
  return {
    lines,
    warn: (fields: unknown, message: string) => lines.push({ level: 'warn', message, fields }),
    error: (fields: unknown, message: string) => lines.push({ level: 'error', message, fields }),
    bindings: () => ({}),
    child: () => recordingLogger(),
  };
}

describe('store failure policy', () => {
  it("'allow' lets requests through, logs once per outage and logs recovery", async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    onTestFinished(() => {
      vi.useRealTimers();
    });
    const store = new SwitchableStore();
    const logger = recordingLogger();
    const l = createRateLimiter({ name: 'auth', limit: 1, windowMs: 60_000, store, logger });
    store.up = false;
    for (let i = 0; i < 5; i++) {
      expect(await l.consume('k')).toMatchObject({ allowed: true, storeUnavailable: true });
    }
    expect(logger.lines).toHaveLength(1);
    expect(logger.lines[0]?.message).toMatch(/^rate_limit\.store_unavailable: rate limiter "auth"/);
    expect(logger.lines[0]?.message).toContain('redis://user:***@10.0.0.1');
    expect(logger.lines[0]?.message).not.toContain('hunter2');
    expect(logger.lines[0]?.fields).toMatchObject({
      code: 'rate_limit.store_unavailable',
      limiter: 'auth',
    });
    // Answers within the quiet period after a failure count, but do not end the outage yet.
    store.up = true;
    expect(await l.consume('k')).toMatchObject({ allowed: true, storeUnavailable: false });
    expect(logger.lines).toHaveLength(1);
    vi.setSystemTime(Date.now() + STORE_RECOVERY_QUIET_MS);
    expect((await l.consume('k')).allowed).toBe(false);
    expect(logger.lines).toHaveLength(2);
    expect(logger.lines[1]?.fields).toMatchObject({ code: 'rate_limit.store_recovered' });
    store.up = false;
    await l.consume('k');
    expect(logger.lines).toHaveLength(3);
  });

  it("'deny' refuses with a retry delay", async () => {
    const store = new SwitchableStore();
    store.up = false;
    const logger = recordingLogger();
    const l = createRateLimiter({ limit: 5, windowMs: 1000, store, logger, onStoreError: 'deny' });
    expect(await l.consume('k')).toMatchObject({
      allowed: false,
      storeUnavailable: true,
      retryAfterMs: 5000,
    });
  });

  it('{ fallback } counts with the fallback limiter while the store is away', async () => {
    const store = new SwitchableStore();
    store.up = false;
    const logger = recordingLogger();
    const fallback = createRateLimiter({ name: 'fb', limit: 2, windowMs: 60_000 });
    const l = createRateLimiter({
      limit: 5,
      windowMs: 1000,
      store,
      logger,
      onStoreError: { fallback },
    });
    expect(await l.consume('k')).toMatchObject({
      allowed: true,
      storeUnavailable: false,
      limit: 2,
    });
    expect((await l.consume('k')).allowed).toBe(true);
    expect((await l.consume('k')).allowed).toBe(false);
    expect(logger.lines[0]?.message).toContain('fallback limiter "fb"');
  });

  it('a closed MemoryStore falls under the policy too, never an exception', async () => {
    const store = new MemoryStore();
    const l = createRateLimiter({ limit: 5, windowMs: 1000, store, logger: recordingLogger() });
    store.close();
    expect((await l.consume('k')).storeUnavailable).toBe(true);
  });
});

describe('decide: synchronous when the store is', () => {
  it('answers a MemoryStore decision now, with the same counting as consume', async () => {
    const l = createRateLimiter({ limit: 2, windowMs: 60_000 });
    const first = l.decide('k');
    expect(isPromise(first)).toBe(false);
    expect(first).toMatchObject({ allowed: true, remaining: 1 });
    expect(await l.consume('k')).toMatchObject({ allowed: true, remaining: 0 });
    expect(l.decide('k')).toMatchObject({ allowed: false, remaining: 0 });
  });

  it('answers with a promise when the store does, and the failure policy still applies', async () => {
    class AsyncStore extends SwitchableStore {
      // @ts-expect-error -- an asynchronous store, as RedisStore is
      override consume(...args: Parameters<MemoryStore['consume']>): Promise<RateLimitDecision> {
        return Promise.resolve().then(() => super.consume(...args));
      }
    }
    const store = new AsyncStore();
    const l = createRateLimiter({ limit: 1, windowMs: 60_000, store, logger: recordingLogger() });
    const pending = l.decide('k');
    expect(isPromise(pending)).toBe(true);
    expect(await pending).toMatchObject({ allowed: true });
    store.up = false;
    expect(await l.decide('k')).toMatchObject({ allowed: true, storeUnavailable: true });
  });

  it('a synchronous store failure becomes the policy decision, synchronously', () => {
    const store = new SwitchableStore();
    store.up = false;
    const l = createRateLimiter({ limit: 5, windowMs: 1000, store, logger: recordingLogger() });
    expect(l.decide('k')).toMatchObject({ allowed: true, storeUnavailable: true });
  });

  it('a memory fallback answers synchronously while the store is away', () => {
    const store = new SwitchableStore();
    store.up = false;
    const fallback = createRateLimiter({ name: 'fb', limit: 1, windowMs: 60_000 });
    const l = createRateLimiter({
      limit: 5,
      windowMs: 1000,
      store,
      logger: recordingLogger(),
      onStoreError: { fallback },
    });
    expect(l.decide('k')).toMatchObject({ allowed: true, limit: 1 });
    expect(l.decide('k')).toMatchObject({ allowed: false, limit: 1 });
  });
});

describe('createRateLimiter: malformed options objects', () => {
  it('explains a missing options object or fallback instead of crashing on it', () => {
    expect(() => createRateLimiter(null as never)).toThrow(/pass an object/);
    expect(() => createRateLimiter({ limit: 1, windowMs: 1, onStoreError: {} as never })).toThrow(
      /fallback: createRateLimiter/,
    );
  });
});
