// Decisions per second: bulwark's four algorithms on MemoryStore and RedisStore beside
// rate-limiter-flexible (RateLimiterMemory, RateLimiterRedis) and express-rate-limit's
// MemoryStore, on the same keys, in the same run.
//   npx tsx bench/rate-limit.bench.ts [--quick] [--only=memory|redis]
// Uses REDIS_URL when set, else starts its own redis-server on a free port. Every candidate
// is measured in several interleaved rounds and its best round is kept, so a burst of load
// from elsewhere on the machine does not decide the comparison.
import { randomUUID } from 'node:crypto';
import { MemoryStore as ExpressRateLimitMemoryStore } from 'express-rate-limit';
import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import { createRateLimiter, MemoryStore } from 'bulwark';
import type { RateLimitAlgorithm } from 'bulwark';
import { RedisStore } from 'bulwark/redis';
import { startRedisServer } from '../test/helpers/redis-server.js';
import type { RedisServer } from '../test/helpers/redis-server.js';
import { measure, printTable } from './lib/concurrent.js';

const quick = process.argv.includes('--quick');
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
const durationMs = quick ? 300 : 1000;
const rounds = quick ? 2 : 3;
const ALGORITHMS: readonly RateLimitAlgorithm[] = [
  'sliding-window',
  'sliding-log',
  'fixed-window',
  'token-bucket',
];
// Enough keys and a high enough limit that nearly every call is admitted everywhere, so
// every library does the same work (rate-limiter-flexible rejects by throwing).
const LIMIT = 1000;
const WINDOW_MS = 60_000;
const MEMORY_KEYS = Array.from({ length: 50_000 }, (_, i) => `10.0.${i >> 8}.${i & 255}`);
const REDIS_KEYS = MEMORY_KEYS.slice(0, 10_000);
const memKey = (i: number): string => MEMORY_KEYS[i % MEMORY_KEYS.length]!;
const redisKey = (i: number): string => REDIS_KEYS[i % REDIS_KEYS.length]!;

interface Candidate {
  readonly library: string;
  readonly store: 'memory' | 'redis';
  readonly inFlight: number;
  /** Rows with the same group are compared with that group's rate-limiter-flexible row. */
  readonly group: string;
  readonly op: (i: number) => Promise<unknown>;
  best: number;
}

function memoryCandidates(): Candidate[] {
  const list: Candidate[] = [];
  const rlf = new RateLimiterMemory({ points: LIMIT, duration: WINDOW_MS / 1000 });
  list.push({
    library: 'rate-limiter-flexible RateLimiterMemory',
    store: 'memory',
    inFlight: 1,
    group: 'memory',
    op: (i) => rlf.consume(memKey(i)),
    best: 0,
  });
  const erl = new ExpressRateLimitMemoryStore();
  erl.init({ windowMs: WINDOW_MS } as Parameters<typeof erl.init>[0]);
  list.push({
    library: 'express-rate-limit MemoryStore',
    store: 'memory',
    inFlight: 1,
    group: 'memory',
    op: (i) => erl.increment(memKey(i)),
    best: 0,
  });
  for (const algorithm of ALGORITHMS) {
    const limiter = createRateLimiter({
      name: algorithm,
      limit: LIMIT,
      windowMs: WINDOW_MS,
      algorithm,
      store: new MemoryStore(),
    });
    list.push({
      library: `bulwark ${algorithm}`,
      store: 'memory',
      inFlight: 1,
      group: 'memory',
      op: (i) => limiter.consume(memKey(i)),
      best: 0,
    });
  }
  return list;
}

function redisCandidates(client: Redis): Candidate[] {
  const run = randomUUID().slice(0, 8);
  const list: Candidate[] = [];
  for (const inFlight of [1, 256]) {
    const rlf = new RateLimiterRedis({
      storeClient: client,
      points: LIMIT,
      duration: WINDOW_MS / 1000,
      keyPrefix: `bench:${run}:rlf:${inFlight}`,
    });
    list.push({
      library: 'rate-limiter-flexible RateLimiterRedis',
      store: 'redis',
      inFlight,
      group: `redis-${inFlight}`,
      op: (i) => rlf.consume(redisKey(i)),
      best: 0,
    });
    for (const algorithm of ALGORITHMS) {
      const limiter = createRateLimiter({
        name: `${algorithm}-${inFlight}`,
        limit: LIMIT,
        windowMs: WINDOW_MS,
        algorithm,
        store: new RedisStore({ client, prefix: `bench:${run}:`, timeoutMs: 5_000 }),
        onStoreError: 'deny',
      });
      list.push({
        library: `bulwark ${algorithm}`,
        store: 'redis',
        inFlight,
        group: `redis-${inFlight}`,
        op: (i) => limiter.consume(redisKey(i)),
        best: 0,
      });
    }
  }
  return list;
}

async function measureAll(candidates: readonly Candidate[]): Promise<void> {
  for (let round = 0; round < rounds; round++) {
    for (const c of candidates) {
      const ops = await measure(c.op, { durationMs, concurrency: c.inFlight });
      c.best = Math.max(c.best, ops);
    }
  }
}

function report(candidates: readonly Candidate[]): void {
  const baselines = new Map<string, number>();
  for (const c of candidates) {
    if (c.library.startsWith('rate-limiter-flexible')) baselines.set(c.group, c.best);
  }
  console.log(
    `\nrate limiting: decisions per second, best of ${rounds} rounds of ${durationMs} ms (Node ${process.version})\n`,
  );
  printTable(
    ['library', 'store', 'in flight', 'decisions/s', 'x rate-limiter-flexible'],
    candidates.map((c) => [
      c.library,
      c.store,
      String(c.inFlight),
      Math.round(c.best).toLocaleString('en-US'),
      `${(c.best / (baselines.get(c.group) ?? c.best)).toFixed(2)}x`,
    ]),
  );
  console.log(
    '\ntargets: bulwark memory >= 2.00x RateLimiterMemory; bulwark redis at 256 in flight >= 1.00x RateLimiterRedis',
  );
}

async function main(): Promise<void> {
  const all: Candidate[] = [];
  if (only !== 'redis') {
    const memory = memoryCandidates();
    await measureAll(memory);
    all.push(...memory);
  }
  if (only !== 'memory') {
    let server: RedisServer | undefined;
    let url = process.env.REDIS_URL ?? '';
    if (url === '') {
      server = await startRedisServer();
      url = server.url;
    }
    const client = new Redis(url, { enableOfflineQueue: false, lazyConnect: true });
    try {
      await client.connect();
      const redis = redisCandidates(client);
      await measureAll(redis);
      all.push(...redis);
    } finally {
      client.disconnect();
      await server?.stop();
    }
  }
  report(all);
  // express-rate-limit's MemoryStore keeps an interval timer; exit without waiting for it.
  process.exit(0);
}

await main();
