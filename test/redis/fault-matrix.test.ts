import { Cluster, Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORE_RECOVERED, STORE_UNAVAILABLE, createRateLimiter } from 'bulwark';
import type { RateLimiter } from 'bulwark';
import { RedisStore } from 'bulwark/redis';
import { canStartRedis } from '../helpers/redis.js';
import { startRedisCluster, startRedisServer } from '../helpers/redis-server.js';
import type { RedisServer } from '../helpers/redis-server.js';
import { trackEscapes } from '../helpers/escapes.js';

// The fault matrix of docs/reference/reliability.md: every Redis failure, under steady load
// from several concurrent clients, for every failure policy. Each row records what the
// clients saw, how often it was logged, and whether exact limits came back afterwards.

const LIMIT = 40;
const CLIENTS = 4;
const TIMEOUT_MS = 200;
const POLICIES = ['allow', 'deny', 'fallback'] as const;
type Policy = (typeof POLICIES)[number];

interface Row {
  readonly fault: string;
  readonly policy: Policy;
  readonly ok: number;
  readonly limited: number;
  readonly unavailable: number;
  readonly outageLogs: number;
  readonly recoveryLogs: number;
  readonly resumed: boolean;
}
const rows: Row[] = [];

const escaped = trackEscapes();
afterAll(() => {
  if (rows.length === 0) return;
  const head = [
    'fault',
    'policy',
    '200',
    '429',
    '503',
    'outage logs',
    'recovery logs',
    'exact limit after',
  ];
  const lines = rows.map((r) => [
    r.fault,
    r.policy,
    String(r.ok),
    String(r.limited),
    String(r.unavailable),
    String(r.outageLogs),
    String(r.recoveryLogs),
    r.resumed ? 'yes' : 'NO',
  ]);
  const table = [head, head.map(() => '---'), ...lines]
    .map((c) => `| ${c.join(' | ')} |`)
    .join('\n');
  console.log(
    `\nRedis fault matrix (limit ${String(LIMIT)}, ${String(CLIENTS)} clients, timeoutMs ${String(TIMEOUT_MS)})\n${table}\n`,
  );
  expect(escaped).toEqual([]);
});

/** What happened when, in ms since the row started: printed when a row fails, to tell why. */
type Timeline = string[];

function recordingLogger(timeline: Timeline, policy: Policy, t0: number) {
  const codes: string[] = [];
  const record = (fields: Readonly<Record<string, unknown>>) => {
    codes.push(String(fields.code));
    const error = typeof fields.error === 'string' ? ` (${fields.error})` : '';
    timeline.push(`${String(Date.now() - t0)} ms ${policy} ${String(fields.code)}${error}`);
  };
  return { codes, warn: record, error: record, bindings: () => ({}), child: () => ({}) };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(
  check: () => Promise<boolean>,
  what: string,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

interface Limiters {
  readonly limiters: Record<Policy, RateLimiter>;
  readonly logs: Record<Policy, string[]>;
}

function limitersFor(store: RedisStore, fault: string, timeline: Timeline, t0: number): Limiters {
  const logs = {} as Record<Policy, string[]>;
  const make = (policy: Policy): RateLimiter => {
    const logger = recordingLogger(timeline, policy, t0);
    logs[policy] = logger.codes;
    const name = `matrix-${fault}-${policy}`.replace(/\W+/g, '-');
    return createRateLimiter({
      name,
      limit: LIMIT,
      windowMs: 60_000,
      algorithm: 'sliding-window',
      store,
      logger,
      // The clients run past the limit: with the block cache their refusals would be answered
      // in-process and never meet the outage this matrix is about.
      blockCache: false,
      onStoreError:
        policy === 'fallback'
          ? {
              fallback: createRateLimiter({
                name: `${name}-memory`,
                limit: LIMIT,
                windowMs: 60_000,
              }),
            }
          : policy,
    });
  };
  return {
    limiters: { allow: make('allow'), deny: make('deny'), fallback: make('fallback') },
    logs,
  };
}

/** Steady load: every client consumes from every policy's limiter in a loop until stopped. */
function load(limiters: Record<Policy, RateLimiter>) {
  const counts = Object.fromEntries(
    POLICIES.map((p) => [p, { ok: 0, limited: 0, unavailable: 0 }]),
  ) as Record<Policy, { ok: number; limited: number; unavailable: number }>;
  let running = true;
  const client = async (i: number): Promise<void> => {
    while (running) {
      await Promise.all(
        POLICIES.map(async (policy) => {
          const d = await limiters[policy].consume(`client-${String(i)}`);
          const c = counts[policy];
          // What the adapters answer: 200 allowed, 429 over the limit, 503 store down under deny.
          if (d.allowed) c.ok++;
          else if (d.storeUnavailable) c.unavailable++;
          else c.limited++;
        }),
      );
      await sleep(5);
    }
  };
  const done = Promise.all(Array.from({ length: CLIENTS }, (_, i) => client(i)));
  return {
    counts,
    stop: async () => {
      running = false;
      await done;
    },
  };
}

/**
 * Runs one row set: load before, during and after the fault, then checks recovery and that
 * exactly LIMIT of LIMIT + 5 concurrent attempts on a fresh key pass under every policy.
 */
async function runFault(
  fault: string,
  store: RedisStore,
  inject: () => Promise<void>,
  recover: () => Promise<void>,
  expectOutage: boolean,
): Promise<void> {
  const t0 = Date.now();
  const timeline: Timeline = [];
  const mark = (what: string) => timeline.push(`${String(Date.now() - t0)} ms ${what}`);
  const { limiters, logs } = limitersFor(store, fault, timeline, t0);
  const traffic = load(limiters);
  await sleep(300);
  mark('fault injected');
  await inject();
  mark('fault in place');
  await sleep(800);
  await recover();
  mark('fault removed');
  // Recovered when a decision comes from Redis again under every policy.
  await until(async () => {
    const probes = await Promise.all(POLICIES.map((p) => limiters[p].consume('probe')));
    return (
      probes.every((d) => !d.storeUnavailable) &&
      (logs.fallback.includes(STORE_UNAVAILABLE) ? logs.fallback.includes(STORE_RECOVERED) : true)
    );
  }, `${fault}: recovery`);
  mark('recovered');
  await sleep(300);
  await traffic.stop();
  mark('load stopped');
  for (const policy of POLICIES) {
    const attempts = await Promise.all(
      Array.from({ length: LIMIT + 5 }, () => limiters[policy].consume('fresh-after-recovery')),
    );
    const passed = attempts.filter((d) => d.allowed && !d.storeUnavailable).length;
    const count = (code: string) => logs[policy].filter((c) => c === code).length;
    const row: Row = {
      fault,
      policy,
      ...traffic.counts[policy],
      outageLogs: count(STORE_UNAVAILABLE),
      recoveryLogs: count(STORE_RECOVERED),
      resumed: passed === LIMIT,
    };
    rows.push(row);
    expect(row.resumed, `${fault} / ${policy}: ${String(passed)} passed`).toBe(true);
    // Once per outage, and a recovery for each outage.
    expect(row.outageLogs, `${fault} / ${policy}: ${timeline.join('; ')}`).toBeLessThanOrEqual(1);
    expect(row.recoveryLogs).toBe(row.outageLogs);
    if (expectOutage) expect(row.outageLogs, `${fault} / ${policy}: outage seen`).toBe(1);
    else expect(row.outageLogs).toBe(0);
    // Only deny answers 503, and only while the store is down.
    if (policy !== 'deny') expect(row.unavailable).toBe(0);
    else if (expectOutage) expect(row.unavailable).toBeGreaterThan(0);
    expect(row.ok).toBeGreaterThan(0);
  }
}

function standaloneClient(url: string): Redis {
  const client = new Redis(url, {
    enableOfflineQueue: false,
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => 50,
  });
  client.on('error', () => undefined);
  return client;
}

describe.skipIf(!canStartRedis)('Redis fault matrix', { timeout: 60_000 }, () => {
  let server: RedisServer;
  let admin: Redis;
  const clients: (Redis | Cluster)[] = [];

  beforeAll(async () => {
    server = await startRedisServer();
    admin = new Redis(server.url, { lazyConnect: true, retryStrategy: () => 50 });
    admin.on('error', () => undefined);
  });
  afterAll(async () => {
    for (const c of clients) c.disconnect();
    admin.disconnect();
    await server.stop();
  });

  async function freshStore(): Promise<RedisStore> {
    const client = standaloneClient(server.url);
    clients.push(client);
    await client.connect().catch(() => undefined);
    return new RedisStore({ client, prefix: 'test:matrix:', timeoutMs: TIMEOUT_MS });
  }

  it('Redis absent at start', async () => {
    await server.kill();
    const store = await freshStore();
    await runFault(
      'absent at start',
      store,
      () => Promise.resolve(),
      () => server.start(),
      true,
    );
  });

  it('killed mid-traffic', async () => {
    const store = await freshStore();
    await runFault(
      'killed mid-traffic',
      store,
      () => server.kill(),
      () => server.start(),
      true,
    );
  });

  it('paused (CLIENT PAUSE) past the timeout', async () => {
    const store = await freshStore();
    await admin.connect().catch(() => undefined);
    await runFault(
      'CLIENT PAUSE 800 ms',
      store,
      async () => {
        await admin.call('CLIENT', 'PAUSE', '800', 'ALL');
      },
      () => Promise.resolve(),
      true,
    );
  });

  it('restarted: keys and scripts gone', async () => {
    const store = await freshStore();
    await runFault(
      'restarted',
      store,
      async () => {
        await server.kill();
        await server.start();
      },
      () => Promise.resolve(),
      true,
    );
  });

  it('SCRIPT FLUSH while up: scripts reload, no outage', async () => {
    const store = await freshStore();
    await runFault(
      'SCRIPT FLUSH',
      store,
      async () => {
        await admin.call('SCRIPT', 'FLUSH');
      },
      () => Promise.resolve(),
      false,
    );
  });

  it('connection reset mid-script (CLIENT KILL, repeatedly)', async () => {
    const store = await freshStore();
    let killing: NodeJS.Timeout | undefined;
    await runFault(
      'CLIENT KILL',
      store,
      () => {
        killing = setInterval(() => {
          admin.call('CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'yes').catch(() => undefined);
        }, 40);
        return Promise.resolve();
      },
      () => {
        clearInterval(killing);
        return Promise.resolve();
      },
      true,
    );
  });

  it('a Redis Cluster node stopped', async () => {
    const cluster = await startRedisCluster();
    const client = new Cluster([...cluster.startupNodes], {
      enableOfflineQueue: false,
      clusterRetryStrategy: () => 50,
      redisOptions: { maxRetriesPerRequest: 0 },
    });
    client.on('error', () => undefined);
    clients.push(client);
    await until(() => Promise.resolve(client.status === 'ready'), 'the cluster client');
    const node = cluster.nodes[1];
    try {
      const store = new RedisStore({ client, prefix: 'test:matrix:', timeoutMs: TIMEOUT_MS });
      await runFault(
        'Cluster node stopped',
        store,
        () => node?.kill() ?? Promise.resolve(),
        () => node?.start() ?? Promise.resolve(),
        true,
      );
    } finally {
      client.disconnect();
      await cluster.stop();
    }
  });
});
