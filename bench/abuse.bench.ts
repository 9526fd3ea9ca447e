// Abuse protection on Redis, per second, in one run:
// - a blocked key hammered: bulwark on RedisStore (the block cache answers a key this process
//   saw refused, with no Redis call) against rate-limiter-flexible's RateLimiterRedis with
//   blockDuration and no in-memory block (a Redis call per attempt), and against bulwark on
//   MemoryStore;
// - two limits combined into one decision (compileCombinedLimit, one script run on one
//   RedisStore) against one limit.
//   npx tsx bench/abuse.bench.ts [--quick|--smoke] [--json=file]
// Uses REDIS_URL when set, else starts its own redis-server on a free port.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterUnion } from 'rate-limiter-flexible';
import { compileCombinedLimit, createRateLimiter, MemoryStore } from 'bulwark';
import type { RateLimitDecision, RateLimiter, RateLimiterOptions } from 'bulwark';
import { RedisStore } from 'bulwark/redis';
import { startRedisServer } from '../test/helpers/redis-server.js';
import type { RedisServer } from '../test/helpers/redis-server.js';
import { formatRatioInterval, ratioInterval } from './lib/interval.js';
import type { RatioInterval } from './lib/interval.js';
import {
  benchMode,
  formatRate,
  formatSpread,
  measureOptions,
  measureRounds,
  progressTo,
} from './lib/measure.js';
import type { BenchCase, MeasuredRounds } from './lib/measure.js';
import { emit } from './lib/report.js';
import type { Table, Target } from './lib/report.js';

const mode = benchMode();
const progress = progressTo('abuse');
const IN_FLIGHT = [1, 64] as const;
// Blocked: a small limit, refused once before measuring, and a block far longer than any run,
// so every measured call is a refusal of a key under its block (a full run lasts minutes).
const BLOCK_LIMIT = 5;
const BLOCK_MS = 3_600_000;
const BLOCKED_KEY = '198.51.100.23';
// Combined: limits no call reaches, so every decision admits and counts on both limits.
const LIMIT = 1_000_000_000;
const KEYS = Array.from({ length: 10_000 }, (_, i) => `10.1.${i >> 8}.${i & 255}`);
const PAIRS = KEYS.map((k) => [k, k] as const);

// The rows the targets compare.
const RLF_BLOCKED = 'rate-limiter-flexible RateLimiterRedis, blockDuration';
const CACHED = 'bulwark RedisStore, blockMs (block cache)';
const MEMORY = 'bulwark MemoryStore, blockMs';
const ONE = 'bulwark one limit, limiter.decide()';
const COMBINED = 'bulwark two limits, compileCombinedLimit';
const RLF_ONE = 'rate-limiter-flexible one RateLimiterRedis';

const runId = randomUUID().slice(0, 8);
const prefix = (what: string): string => `bench:${runId}:${what}:`;

// Every case settles its call with exactly one then(), and fails loudly on the wrong answer:
// a store failure would be a fast refusal (or a fast admission) and flatter the numbers.
const refusedBy = (p: Promise<RateLimitDecision>): Promise<RateLimitDecision> =>
  p.then((d) => {
    if (d.allowed || d.storeUnavailable) throw new Error('a blocked key was not refused');
    return d;
  });
const refusedByRlf = (p: Promise<unknown>): Promise<unknown> =>
  p.then(
    () => {
      throw new Error('rate-limiter-flexible admitted a blocked key');
    },
    (r: unknown) => {
      // RateLimiterRes is its refusal; an Error is a Redis failure.
      if (r instanceof Error) throw r;
      return r;
    },
  );
const admitted = (d: RateLimitDecision): RateLimitDecision => {
  if (!d.allowed) throw new Error('a limit refused a call under a huge limit');
  return d;
};

async function refuseOnce(limiter: RateLimiter): Promise<void> {
  for (let i = 0; i <= BLOCK_LIMIT; i++) await limiter.consume(BLOCKED_KEY);
  const d = await limiter.consume(BLOCKED_KEY);
  if (d.allowed) throw new Error(`${limiter.name}: the key was not blocked`);
}

async function refuseOnceRlf(rlf: RateLimiterRedis): Promise<void> {
  for (let i = 0; i <= BLOCK_LIMIT; i++) await rlf.consume(BLOCKED_KEY).catch(() => undefined);
}

async function blockedCases(client: Redis, inFlight: number): Promise<BenchCase[]> {
  const blocked = (name: string, extra: Partial<RateLimiterOptions>): RateLimiter =>
    createRateLimiter({
      name: `${name}-${inFlight}`,
      limit: BLOCK_LIMIT,
      windowMs: 60_000,
      blockMs: BLOCK_MS,
      onStoreError: 'deny',
      ...extra,
    });
  const redisStore = (): RedisStore =>
    new RedisStore({ client, prefix: prefix('block'), timeoutMs: 5_000 });
  const cached = blocked('cached', { store: redisStore() });
  const memory = blocked('memory', { store: new MemoryStore() });
  const uncached = blocked('uncached', { store: redisStore(), blockCache: false });
  const backoff = blocked('backoff', { store: redisStore(), blockMultiplier: 2 });
  const rlfOptions = {
    storeClient: client,
    points: BLOCK_LIMIT,
    duration: 60,
    blockDuration: BLOCK_MS / 1000,
  };
  const rlf = new RateLimiterRedis({ ...rlfOptions, keyPrefix: `${prefix('rlf')}${inFlight}` });
  const rlfInMemory = new RateLimiterRedis({
    ...rlfOptions,
    keyPrefix: `${prefix('rlf-mem')}${inFlight}`,
    inMemoryBlockOnConsumed: BLOCK_LIMIT + 1,
    inMemoryBlockDuration: BLOCK_MS / 1000,
  });
  await Promise.all([cached, memory, uncached, backoff].map(refuseOnce));
  await Promise.all([rlf, rlfInMemory].map(refuseOnceRlf));
  return [
    {
      name: RLF_BLOCKED,
      inFlight,
      run: () => refusedByRlf(rlf.consume(BLOCKED_KEY)),
    },
    {
      name: CACHED,
      inFlight,
      run: () => refusedBy(cached.consume(BLOCKED_KEY)),
    },
    {
      name: MEMORY,
      inFlight,
      run: () => refusedBy(memory.consume(BLOCKED_KEY)),
    },
    {
      name: 'bulwark RedisStore, blockMs, blockCache: false',
      inFlight,
      run: () => refusedBy(uncached.consume(BLOCKED_KEY)),
    },
    {
      name: 'bulwark RedisStore, blockMs, blockMultiplier: 2 (refusals forwarded)',
      inFlight,
      run: () => refusedBy(backoff.consume(BLOCKED_KEY)),
    },
    {
      name: 'rate-limiter-flexible RateLimiterRedis, inMemoryBlockOnConsumed',
      inFlight,
      run: () => refusedByRlf(rlfInMemory.consume(BLOCKED_KEY)),
    },
  ];
}

function combinedCases(client: Redis, inFlight: number): BenchCase[] {
  const store = (): RedisStore =>
    new RedisStore({ client, prefix: prefix('combined'), timeoutMs: 5_000 });
  const limit = (name: string, windowMs: number, s: RedisStore): RateLimiter =>
    createRateLimiter({
      name: `${name}-${inFlight}`,
      limit: LIMIT,
      windowMs,
      store: s,
      onStoreError: 'deny',
    });
  const one = limit('one', 60_000, store());
  const shared = store();
  const combined = compileCombinedLimit([
    limit('second', 1_000, shared),
    limit('minute', 60_000, shared),
  ]);
  const sequential = store();
  const first = limit('seq-second', 1_000, sequential);
  const then = limit('seq-minute', 60_000, sequential);
  const rlfOne = new RateLimiterRedis({
    storeClient: client,
    points: LIMIT,
    duration: 60,
    keyPrefix: `${prefix('rlf-one')}${inFlight}`,
  });
  const rlfUnion = new RateLimiterUnion(
    new RateLimiterRedis({
      storeClient: client,
      points: LIMIT,
      duration: 1,
      keyPrefix: `${prefix('rlf-second')}${inFlight}`,
    }),
    new RateLimiterRedis({
      storeClient: client,
      points: LIMIT,
      duration: 60,
      keyPrefix: `${prefix('rlf-minute')}${inFlight}`,
    }),
  );
  const key = (i: number): string => KEYS[i % KEYS.length]!;
  return [
    {
      name: ONE,
      inFlight,
      run: async (i) => admitted(await one.decide(key(i))),
    },
    {
      name: COMBINED,
      inFlight,
      run: async (i) => {
        const c = await combined(PAIRS[i % PAIRS.length]!);
        if (!c.allowed) throw new Error('two combined limits refused a call under huge limits');
        return c;
      },
    },
    {
      name: 'bulwark two limits, two awaited decide() calls',
      inFlight,
      run: async (i) => {
        admitted(await first.decide(key(i)));
        return admitted(await then.decide(key(i)));
      },
    },
    {
      name: RLF_ONE,
      inFlight,
      run: (i) => rlfOne.consume(key(i)),
    },
    {
      name: 'rate-limiter-flexible RateLimiterUnion of two RateLimiterRedis',
      inFlight,
      run: (i) => rlfUnion.consume(key(i)),
    },
  ];
}

/** The per-round ratio of case `a` to case `b` (by name), with its interval. */
function ratio(m: MeasuredRounds, a: string, b: string): RatioInterval {
  const of = (name: string): readonly number[] =>
    m.rounds[m.results.findIndex((r) => r.name === name)] ?? [];
  return ratioInterval(of(a), of(b));
}

function blockedTable(inFlight: number, m: MeasuredRounds): Table {
  return {
    title: `Abuse, a blocked key hammered, ${inFlight} in flight`,
    columns: ['case', 'refusals/s', 'spread', 'x RateLimiterRedis', 'x bulwark MemoryStore'],
    rows: m.results.map((r) => [
      r.name,
      formatRate(r.opsPerSec),
      formatSpread(r),
      formatRatioInterval(ratio(m, r.name, RLF_BLOCKED)),
      formatRatioInterval(ratio(m, r.name, MEMORY)),
    ]),
  };
}

function combinedTable(inFlight: number, m: MeasuredRounds): Table {
  return {
    title: `Abuse, two limits combined on RedisStore, ${inFlight} in flight, 10,000 keys`,
    columns: ['case', 'decisions/s', 'spread', 'x one limit (same library)'],
    rows: m.results.map((r) => [
      r.name,
      formatRate(r.opsPerSec),
      formatSpread(r),
      formatRatioInterval(ratio(m, r.name, r.name.startsWith('bulwark') ? ONE : RLF_ONE)),
    ]),
  };
}

async function main(): Promise<void> {
  const tables: Table[] = [];
  const targets: Target[] = [];
  let server: RedisServer | undefined;
  let url = process.env.REDIS_URL ?? '';
  if (url === '') {
    server = await startRedisServer();
    url = server.url;
  }
  const client = new Redis(url, { enableOfflineQueue: false, lazyConnect: true });
  try {
    await client.connect();
    for (const inFlight of IN_FLIGHT) {
      const m = await measureRounds(
        await blockedCases(client, inFlight),
        measureOptions(mode, 2),
        progress,
      );
      tables.push(blockedTable(inFlight, m));
      targets.push(
        {
          label: `Blocked key, ${inFlight} in flight: bulwark RedisStore vs RateLimiterRedis (blockDuration, no in-memory block)`,
          ratio: ratio(m, CACHED, RLF_BLOCKED).median,
          goal: 5,
        },
        {
          label: `Blocked key, ${inFlight} in flight: bulwark RedisStore vs bulwark MemoryStore (within 2x)`,
          ratio: ratio(m, CACHED, MEMORY).median,
          goal: 0.5,
        },
      );
    }
    for (const inFlight of IN_FLIGHT) {
      const m = await measureRounds(
        combinedCases(client, inFlight),
        measureOptions(mode, 2),
        progress,
      );
      tables.push(combinedTable(inFlight, m));
      targets.push({
        label: `Combined limits on RedisStore, ${inFlight} in flight: two combined vs one limit, decisions/s (cost at most 1.3x)`,
        ratio: ratio(m, COMBINED, ONE).median,
        goal: 0.77,
      });
    }
  } finally {
    client.disconnect();
    await server?.stop();
  }
  const blockedNote = `Limit ${BLOCK_LIMIT} per minute, blockMs ${BLOCK_MS / 60_000} min (rate-limiter-flexible: blockDuration ${BLOCK_MS / 1000} s); the key is refused once before measuring, so every measured call is a refusal of a blocked key. Each case awaits \`consume()\` through one \`then()\` that fails the run on an admission or a store failure. One ioredis client (\`enableOfflineQueue: false\`) serves every Redis case. Targets: bulwark on RedisStore (block cache on, the default) >= 5x RateLimiterRedis without \`inMemoryBlockOnConsumed\`, and >= 0.5x bulwark on MemoryStore. The last three rows are for comparison: bulwark with the cache off (every refusal asks Redis), bulwark with \`blockMultiplier\` (refused attempts still reach Redis, gathered per key per event-loop turn, so the block keeps growing), and rate-limiter-flexible with its in-memory block on.`;
  const combinedNote = `Both limits (${LIMIT.toLocaleString('en-US')} per second and per minute, sliding window) on one RedisStore, keyed alike, admitting every call. Target: two combined limits cost at most 1.3x one limit, so their decisions/s is >= 0.77x one limit's, at the same number in flight. RedisStore sends the calls of one event-loop turn as one script run, and compileCombinedLimit's requests of one turn as one COMBINED script run. For comparison: the same two limits decided one after the other, and rate-limiter-flexible's RateLimiterUnion (both limits asked at once, each spending its points even when the other refuses) against one RateLimiterRedis.`;
  const withNote = (t: Table, note: string): Table => ({ ...t, notes: [note] });
  emit({
    group: 'Abuse protection',
    tables: tables.map((t, i) =>
      i === IN_FLIGHT.length - 1
        ? withNote(t, blockedNote)
        : i === tables.length - 1
          ? withNote(t, combinedNote)
          : t,
    ),
    charts: [],
    targets,
  });
  process.exit(0);
}

await main();
