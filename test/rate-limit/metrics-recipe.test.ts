import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeEach, describe, expect, it } from 'vitest';
import { compileCombinedLimit, MemoryStore } from 'bulwark';
import { captureLog } from '../helpers/log-capture.js';
// The metrics recipe of docs/guide/rate-limiting.md ("Events and metrics"), with the real
// prom-client. The lines between the two markers are the guide's snippet exactly: the last
// test fails when the guide and this code drift apart.
// recipe:start
import { Counter, Registry } from 'prom-client';
import { createRateLimiter } from 'bulwark';
import type { RateLimitEvent } from 'bulwark';

const registry = new Registry(); // or prom-client's default `register`
const decisions = new Counter({
  name: 'rate_limit_decisions_total',
  help: 'Rate-limit decisions, by limiter and outcome.',
  labelNames: ['limiter', 'outcome'] as const,
  registers: [registry],
});
const limitsReached = new Counter({
  name: 'rate_limit_reached_total',
  help: 'Keys that reached their limit: once per key per window, per process.',
  labelNames: ['limiter'] as const,
  registers: [registry],
});

function outcomeOf({ decision }: RateLimitEvent): string {
  if (decision.storeUnavailable) return 'store_unavailable'; // the onStoreError policy answered
  return decision.allowed ? 'allowed' : 'refused';
}

// Labels never carry the key: one time series per client IP would swamp Prometheus.
const metrics = {
  onDecision: (event: RateLimitEvent) => {
    decisions.inc({ limiter: event.limiter, outcome: outcomeOf(event) });
  },
  onLimitReached: (event: RateLimitEvent) => {
    limitsReached.inc({ limiter: event.limiter });
  },
};

const limiter = createRateLimiter({ name: 'api', limit: 100, windowMs: 60_000, ...metrics });
// recipe:end

const quiet = { warn: () => undefined, error: () => undefined };

/** The value of one sample line in Prometheus's text format, or undefined when absent. */
async function sample(line: string): Promise<number | undefined> {
  const text = await registry.metrics();
  const found = text.split('\n').find((l) => l.startsWith(`${line} `));
  return found === undefined ? undefined : Number(found.slice(line.length + 1));
}

let nextKey = 0;
/** A key no earlier test counted under (the recipe's limiter lives for the whole file). */
const freshKey = (): string => `203.0.113.${String(nextKey++)}`;

beforeEach(() => {
  registry.resetMetrics();
});

describe('the prom-client metrics recipe', () => {
  it('counts every decision under its limiter and outcome', async () => {
    const key = freshKey();
    for (let i = 0; i < 103; i++) await limiter.consume(key);
    expect(await sample('rate_limit_decisions_total{limiter="api",outcome="allowed"}')).toBe(100);
    expect(await sample('rate_limit_decisions_total{limiter="api",outcome="refused"}')).toBe(3);
    expect(await sample('rate_limit_reached_total{limiter="api"}')).toBe(1);
  });

  it('counts a key reaching its limit once per window, however often it is refused', async () => {
    const [a, b] = [freshKey(), freshKey()];
    for (const key of [a, b]) {
      for (let i = 0; i < 150; i++) await limiter.consume(key);
    }
    expect(await sample('rate_limit_decisions_total{limiter="api",outcome="refused"}')).toBe(100);
    expect(await sample('rate_limit_reached_total{limiter="api"}')).toBe(2);
    // A reset forgets that the key reached its limit: reaching it again is a new event.
    await limiter.reset(a);
    for (let i = 0; i < 101; i++) await limiter.consume(a);
    expect(await sample('rate_limit_reached_total{limiter="api"}')).toBe(3);
  });

  it('labels the decisions a store outage made, and never counts them as limits reached', async () => {
    const make = (name: string, onStoreError: 'allow' | 'deny') => {
      const store = new MemoryStore();
      const l = createRateLimiter({
        name,
        limit: 1,
        windowMs: 60_000,
        store,
        onStoreError,
        logger: quiet,
        ...metrics,
      });
      store.close(); // a closed store throws on every call: the failure policy answers
      return l;
    };
    const open = make('open', 'allow');
    const closed = make('closed', 'deny');
    for (let i = 0; i < 3; i++) {
      expect((await open.consume('k')).allowed).toBe(true);
      expect((await closed.consume('k')).allowed).toBe(false);
    }
    expect(
      await sample('rate_limit_decisions_total{limiter="open",outcome="store_unavailable"}'),
    ).toBe(3);
    expect(
      await sample('rate_limit_decisions_total{limiter="closed",outcome="store_unavailable"}'),
    ).toBe(3);
    expect(await sample('rate_limit_reached_total{limiter="closed"}')).toBeUndefined();
  });

  it('reports each limit of a combined decision under its own name', async () => {
    const store = new MemoryStore();
    const burst = createRateLimiter({
      name: 'burst',
      limit: 2,
      windowMs: 1_000,
      store,
      ...metrics,
    });
    const hourly = createRateLimiter({
      name: 'hourly',
      limit: 50,
      windowMs: 3_600_000,
      store,
      ...metrics,
    });
    const both = compileCombinedLimit([burst, hourly]);
    const results = [];
    for (let i = 0; i < 3; i++) results.push((await both(['k', 'k'])).allowed);
    expect(results).toEqual([true, true, false]);
    expect(await sample('rate_limit_decisions_total{limiter="burst",outcome="allowed"}')).toBe(2);
    expect(await sample('rate_limit_decisions_total{limiter="burst",outcome="refused"}')).toBe(1);
    // Decided in one store call: the hourly limit would have admitted the third request, but
    // the burst limit refused it, so the hourly limit counted nothing and reports nothing.
    expect(await sample('rate_limit_decisions_total{limiter="hourly",outcome="allowed"}')).toBe(2);
    expect(await sample('rate_limit_reached_total{limiter="burst"}')).toBe(1);
    expect((await hourly.consume('k')).remaining).toBe(47);
  });

  it('never lets a failing listener reach the request: logged once as misuse.rate_limit_event', async () => {
    const log = captureLog();
    // A label the counter was not declared with: prom-client throws on every call.
    const byKey = new Counter<string>({
      name: 'rate_limit_decisions_by_key_total',
      help: 'A counter missing the label its listener sets.',
      labelNames: ['limiter'],
      registers: [],
    });
    const l = createRateLimiter({
      name: 'mislabelled',
      limit: 2,
      windowMs: 60_000,
      logger: log.logger,
      onDecision: (event) => {
        byKey.inc({ limiter: event.limiter, key: event.key });
      },
    });
    const made = [];
    for (let i = 0; i < 5; i++) made.push((await l.consume('k')).allowed);
    expect(made).toEqual([true, true, false, false, false]);
    const misuse = log.misuse();
    expect(misuse).toHaveLength(1);
    expect(misuse[0]).toContain('misuse.rate_limit_event');
    expect(misuse[0]).toContain('"mislabelled"');
    expect(misuse[0]).toContain('not included in initial labelset');
  });

  it('is the code the guide shows', () => {
    const own = readFileSync(fileURLToPath(import.meta.url), 'utf8');
    const recipe = own.slice(
      own.indexOf('// recipe:start\n') + '// recipe:start\n'.length,
      own.indexOf('// recipe:end\n'),
    );
    expect(recipe.length).toBeGreaterThan(500);
    const guide = readFileSync(
      fileURLToPath(new URL('../../docs/guide/rate-limiting.md', import.meta.url)),
      'utf8',
    );
    expect(guide).toContain('```ts\n' + recipe + '```\n');
  });
});
