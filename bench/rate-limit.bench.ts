// Rate limiting, decisions per second: bulwark's four algorithms on MemoryStore and RedisStore
// beside rate-limiter-flexible (RateLimiterMemory, RateLimiterRedis) and express-rate-limit's
// MemoryStore, on the same keys, in the same run, with the floor of a bare auto-pipelined
// ioredis INCR in the Redis table.
//   npx tsx bench/rate-limit.bench.ts [--quick|--smoke] [--only=memory|redis] [--json=file]
// Uses REDIS_URL when set, else starts its own redis-server on a free port.
import { randomUUID } from 'node:crypto';
import { MemoryStore as ExpressRateLimitMemoryStore } from 'express-rate-limit';
import type { Options as ExpressRateLimitOptions } from 'express-rate-limit';
import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import { createRateLimiter, MemoryStore } from 'bulwark';
import type { RateLimitAlgorithm } from 'bulwark';
import { RedisStore } from 'bulwark/redis';
import { startRedisServer } from '../test/helpers/redis-server.js';
import type { RedisServer } from '../test/helpers/redis-server.js';
import { formatRatioInterval, ratioInterval } from './lib/interval.js';
import type { RatioInterval } from './lib/interval.js';
import {
  benchMode,
  formatRate,
  formatRatio,
  formatSpread,
  measureOptions,
  measureRounds,
  progressTo,
} from './lib/measure.js';
import type { BenchCase, BenchResult, MeasuredRounds } from './lib/measure.js';
import { emit } from './lib/report.js';
import type { Bar, Chart, Table, Target } from './lib/report.js';

const mode = benchMode();
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
const progress = progressTo('rate-limit');
const ALGORITHMS: readonly RateLimitAlgorithm[] = [
  'sliding-window',
  'sliding-log',
  'fixed-window',
  'token-bucket',
];
// Limits high enough that every call is admitted everywhere, so every library does the same
// work (rate-limiter-flexible rejects by throwing). The sliding log keeps one timestamp per
// unit, so its limit is capped; on the hot key it fills and then measures rejections.
const LIMIT = 1_000_000_000;
const LOG_LIMIT = 100_000;
const WINDOW_MS = 60_000;
const limitFor = (a: RateLimitAlgorithm): number => (a === 'sliding-log' ? LOG_LIMIT : LIMIT);
const KEYS = Array.from(
  { length: 100_000 },
  (_, i) => `10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`,
);
const REDIS_KEYS = KEYS.slice(0, 10_000);
const HOT = '203.0.113.7';

type KeyOf = (i: number) => string;
const hot: KeyOf = () => HOT;
const spread: KeyOf = (i) => KEYS[i % KEYS.length]!;
const redisSpread: KeyOf = (i) => REDIS_KEYS[i % REDIS_KEYS.length]!;

// rate-limiter-flexible rejects with a result object; a rejection still counts as a decision.
const settle = (p: Promise<unknown>): Promise<unknown> => p.catch((r: unknown) => r);

function memoryCases(key: KeyOf): BenchCase[] {
  const rlf = new RateLimiterMemory({ points: LIMIT, duration: WINDOW_MS / 1000 });
  const erl = new ExpressRateLimitMemoryStore();
  erl.init({ windowMs: WINDOW_MS } as ExpressRateLimitOptions);
  const cases: BenchCase[] = [
    // Awaited as it is, the same shape as bulwark's awaited consume() row: its limit is never
    // reached here, so it never rejects (a rejection would fail the run, not flatter it).
    { name: 'rate-limiter-flexible RateLimiterMemory', run: (i) => rlf.consume(key(i)) },
    { name: 'express-rate-limit MemoryStore', run: (i) => erl.increment(key(i)) },
  ];
  for (const algorithm of ALGORITHMS) {
    const limiter = createRateLimiter({
      name: `mem-${algorithm}`,
      limit: limitFor(algorithm),
      windowMs: WINDOW_MS,
      algorithm,
      store: new MemoryStore(),
    });
    // decide() is what the middleware calls: synchronous on a MemoryStore.
    cases.push({ name: `bulwark ${algorithm}`, run: (i) => limiter.decide(key(i)) });
    if (algorithm === 'sliding-window')
      cases.push({
        name: `bulwark ${algorithm}, awaited consume()`,
        run: (i) => limiter.consume(key(i)),
      });
  }
  return cases;
}

function redisCases(client: Redis, pipelined: Redis, inFlight: number): BenchCase[] {
  const run = randomUUID().slice(0, 8);
  const rlf = new RateLimiterRedis({
    storeClient: client,
    points: LIMIT,
    duration: WINDOW_MS / 1000,
    keyPrefix: `bench:${run}:rlf`,
  });
  const cases: BenchCase[] = [
    {
      name: 'ioredis INCR, auto-pipelined (floor)',
      inFlight,
      run: (i) => pipelined.incr(`bench:${run}:incr:${redisSpread(i)}`),
    },
    {
      name: 'rate-limiter-flexible RateLimiterRedis',
      inFlight,
      run: (i) => settle(rlf.consume(redisSpread(i))),
    },
  ];
  for (const algorithm of ALGORITHMS) {
    const limiter = createRateLimiter({
      name: `${algorithm}-${inFlight}`,
      limit: limitFor(algorithm),
      windowMs: WINDOW_MS,
      algorithm,
      store: new RedisStore({ client, prefix: `bench:${run}:`, timeoutMs: 5_000 }),
      onStoreError: 'deny',
    });
    cases.push({
      name: `bulwark ${algorithm}`,
      inFlight,
      run: async (i) => {
        const d = await limiter.consume(redisSpread(i));
        // A store failure would be a fast denial and flatter the numbers: fail loudly instead.
        if (!d.allowed) throw new Error(`${algorithm} on Redis denied a call under a huge limit`);
        return d;
      },
    });
  }
  // The same store on a client with ioredis auto-pipelining: concurrent decisions share writes.
  const piped = createRateLimiter({
    name: `piped-${inFlight}`,
    limit: LIMIT,
    windowMs: WINDOW_MS,
    store: new RedisStore({ client: pipelined, prefix: `bench:${run}:`, timeoutMs: 5_000 }),
    onStoreError: 'deny',
  });
  cases.push({
    name: 'bulwark sliding-window, auto-pipelining client',
    inFlight,
    run: (i) => piped.consume(redisSpread(i)),
  });
  return cases;
}

const peerName = (r: BenchResult, prefix: string): boolean => r.name.startsWith(prefix);

/**
 * A row's ratio to the first row whose name starts with `peer`, taken round by round (both
 * measured moments apart, so the machine's load moves them alike), with its 95% interval.
 */
function perRound(m: MeasuredRounds, row: BenchResult, peer: string): RatioInterval {
  const at = (r: BenchResult | undefined): readonly number[] =>
    r === undefined ? [] : (m.rounds[m.results.indexOf(r)] ?? []);
  return ratioInterval(at(row), at(m.results.find((r) => peerName(r, peer))));
}

function table(title: string, m: MeasuredRounds, redis: boolean): Table {
  const { results } = m;
  const erl = results.find((r) => peerName(r, 'express-rate-limit'))?.opsPerSec ?? 0;
  const floor = results.find((r) => peerName(r, 'ioredis'))?.opsPerSec ?? 0;
  const columns = ['case', 'decisions/s', 'spread', 'x rate-limiter-flexible, per round'];
  columns.push(redis ? 'x INCR floor' : 'x express-rate-limit');
  return {
    title,
    columns,
    rows: results.map((r) => [
      r.name,
      formatRate(r.opsPerSec),
      formatSpread(r),
      formatRatioInterval(perRound(m, r, 'rate-limiter-flexible')),
      formatRatio(r.opsPerSec, redis ? floor : erl),
    ]),
  };
}

const bars = (results: readonly BenchResult[]): Bar[] =>
  results.map((r) => ({ label: r.name, value: r.opsPerSec, ours: r.name.startsWith('bulwark') }));

async function main(): Promise<void> {
  const tables: Table[] = [];
  const charts: Chart[] = [];
  const targets: Target[] = [];
  // The slowest bulwark algorithm against a peer (its median per-round ratio): every
  // algorithm must meet the target.
  const worst = (m: MeasuredRounds, peer: string): number => {
    // The middleware's path (decide) on the client the peer uses is what is held to the
    // target; the awaited consume() row and the auto-pipelining client row are shown beside
    // it, for callers who await every decision or turn ioredis auto-pipelining on.
    const ours = m.results
      .filter(
        (r) =>
          r.name.startsWith('bulwark') && !r.name.includes('awaited') && !r.name.includes('auto-'),
      )
      .map((r) => perRound(m, r, peer).median);
    const least = Math.min(...ours);
    return Number.isFinite(least) ? least : 0;
  };
  const options = measureOptions(mode);
  if (only !== 'redis') {
    for (const [label, key, file] of [
      ['1 hot key', hot, 'rate-limit-memory-hot'],
      ['100,000 keys round-robin', spread, 'rate-limit-memory-keys'],
    ] as const) {
      const m = await measureRounds(memoryCases(key), options, progress);
      const { results } = m;
      const title = `Rate limiting, MemoryStore, ${label}`;
      tables.push(table(title, m, false));
      targets.push(
        {
          label: `MemoryStore, ${label}: slowest bulwark algorithm vs RateLimiterMemory`,
          ratio: worst(m, 'rate-limiter-flexible'),
          goal: 2,
        },
        {
          label: `MemoryStore, ${label}: slowest bulwark algorithm vs express-rate-limit MemoryStore`,
          ratio: worst(m, 'express-rate-limit'),
          goal: 1,
        },
      );
      const consume = results.find((r) => r.name.includes('awaited consume()'));
      if (key === hot && consume !== undefined)
        targets.push({
          label: `MemoryStore, ${label}: awaited limiter.consume() vs RateLimiterMemory`,
          ratio: perRound(m, consume, 'rate-limiter-flexible').median,
          goal: 1.5,
        });
      charts.push({ file, title, unit: 'decisions/s', bars: bars(results) });
    }
    const last = tables[tables.length - 1];
    if (last !== undefined)
      tables[tables.length - 1] = {
        ...last,
        notes: [
          `Limits: ${LIMIT.toLocaleString('en-US')} per ${WINDOW_MS / 1000} s (sliding log: ${LOG_LIMIT.toLocaleString('en-US')}, its maximum; on the hot key it fills and the rest are rejections). Targets: bulwark >= 2x rate-limiter-flexible and >= 1x express-rate-limit (which only counts a fixed window). The bulwark rows call \`limiter.decide()\`, which the middleware calls and which is synchronous on a MemoryStore; the peers' APIs return promises, awaited one at a time. The \`awaited consume()\` row is the same decision behind a promise, awaited the same way as rate-limiter-flexible's \`consume()\`; on the hot key it is held to >= 1.5x RateLimiterMemory. "x rate-limiter-flexible, per round" is the median of the ratios taken round by round (each row against rate-limiter-flexible measured in the same round), with its 95% interval (the whole range of the rounds below 6 rounds); the targets use those medians.`,
        ],
      };
  }
  if (only !== 'memory') {
    let server: RedisServer | undefined;
    let url = process.env.REDIS_URL ?? '';
    if (url === '') {
      server = await startRedisServer();
      url = server.url;
    }
    const client = new Redis(url, { enableOfflineQueue: false, lazyConnect: true });
    const pipelined = new Redis(url, { enableAutoPipelining: true, lazyConnect: true });
    try {
      await Promise.all([client.connect(), pipelined.connect()]);
      for (const inFlight of [1, 256]) {
        const m = await measureRounds(
          redisCases(client, pipelined, inFlight),
          measureOptions(mode, 2),
          progress,
        );
        const title = `Rate limiting, RedisStore, ${inFlight} in flight, 10,000 keys`;
        tables.push(table(title, m, true));
        if (inFlight === 256)
          targets.push({
            label: 'RedisStore, 256 in flight: slowest bulwark algorithm vs RateLimiterRedis',
            ratio: worst(m, 'rate-limiter-flexible'),
            goal: 1.5,
          });
        charts.push({
          file: `rate-limit-redis-${inFlight}`,
          title,
          unit: 'decisions/s',
          bars: bars(m.results),
        });
      }
      const last = tables[tables.length - 1];
      if (last !== undefined)
        tables[tables.length - 1] = {
          ...last,
          notes: [
            'One ioredis client shared by bulwark and rate-limiter-flexible; the floor is one INCR per call on its own auto-pipelining client, the least any Redis-backed counter can cost. Target: every bulwark algorithm at 256 in flight >= 1.5x rate-limiter-flexible on the same client. The last row is RedisStore on a client with ioredis auto-pipelining turned on: RedisStore already sends one command per event-loop turn, and auto-pipelining then only adds its own queueing, so leave it off for the client you give RedisStore.',
          ],
        };
    } finally {
      client.disconnect();
      pipelined.disconnect();
      await server?.stop();
    }
  }
  emit({ group: 'Rate limiting', tables, charts, targets });
  // express-rate-limit's MemoryStore keeps an interval timer; exit without waiting for it.
  process.exit(0);
}

await main();
