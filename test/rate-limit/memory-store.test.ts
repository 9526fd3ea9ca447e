import { describe, expect, it } from 'vitest';
import { createRateLimiter, MemoryStore } from 'bulwark';
import { algorithmSuite } from './algorithm-suite.js';

algorithmSuite('MemoryStore', () => ({ store: new MemoryStore(), clock: { now: 0 } }));

describe('MemoryStore', () => {
  it('a million distinct keys stay within maxKeys (the stalest go first)', () => {
    const store = new MemoryStore();
    const { policy } = createRateLimiter({ limit: 5, windowMs: 3_600_000, store });
    const now = 1_000;
    for (let i = 0; i < 1_000_000; i++) store.consume(policy, `k${i}`, 1, now);
    expect(store.size).toBe(100_000);
    // The most recent keys are kept, the oldest were evicted.
    expect(store.consume(policy, 'k999999', 1, now).remaining).toBe(3);
    expect(store.consume(policy, 'k0', 1, now).remaining).toBe(4);
  });

  it('evicts the least recently used key, not the oldest inserted', () => {
    const store = new MemoryStore({ maxKeys: 2 });
    const { policy } = createRateLimiter({ limit: 5, windowMs: 60_000, store });
    store.consume(policy, 'a', 1, 0);
    store.consume(policy, 'b', 1, 0);
    store.consume(policy, 'a', 1, 1);
    store.consume(policy, 'c', 1, 2); // evicts b
    expect(store.consume(policy, 'a', 1, 3).remaining).toBe(2);
    expect(store.consume(policy, 'b', 1, 3).remaining).toBe(4);
  });

  it('reclaims expired keys as requests arrive, without a timer', () => {
    const store = new MemoryStore();
    const { policy } = createRateLimiter({ limit: 5, windowMs: 1000, store });
    for (let i = 0; i < 10; i++) store.consume(policy, `old${i}`, 1, 0);
    expect(store.size).toBe(10);
    for (let i = 0; i < 5; i++) store.consume(policy, `new${i}`, 1, 5000);
    expect(store.size).toBe(5);
  });

  it('several limiters share one store, kept apart by name', async () => {
    const store = new MemoryStore();
    const a = createRateLimiter({ name: 'a', limit: 1, windowMs: 1000, store });
    const b = createRateLimiter({ name: 'b', limit: 1, windowMs: 1000, store });
    expect((await a.consume('k')).allowed).toBe(true);
    expect((await b.consume('k')).allowed).toBe(true);
    expect((await a.consume('k')).allowed).toBe(false);
    expect(store.size).toBe(2);
  });

  it('close() drops every key and refuses further decisions', () => {
    const store = new MemoryStore();
    const { policy } = createRateLimiter({ limit: 5, windowMs: 1000, store });
    store.consume(policy, 'k', 1, 0);
    store.close();
    expect(store.size).toBe(0);
    expect(() => store.consume(policy, 'k', 1, 0)).toThrow(/closed/);
  });

  it('rejects a bad maxKeys with what to write', () => {
    expect(() => new MemoryStore({ maxKeys: 0 })).toThrow(/write a bound such as 100000/);
    expect(() => new MemoryStore({ maxKeys: 1.5 })).toThrow(TypeError);
  });
});
