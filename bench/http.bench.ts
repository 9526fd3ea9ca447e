// End to end: for Express, Koa and Fastify, each variant's server in its own process on
// loopback and autocannon as the client, in interleaved rounds, requests/s and p99 latency,
// and the ratio to the bare server measured in the same round.
//   npx tsx bench/http.bench.ts [--quick|--smoke] [--json=file]
// Uses REDIS_URL when set, else starts its own redis-server on a free port.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { startRedisServer } from '../test/helpers/redis-server.js';
import type { RedisServer } from '../test/helpers/redis-server.js';
import { FRAMEWORKS, VARIANTS } from './http/server.js';
import type { Framework, Variant } from './http/server.js';
import { benchMode, formatRate } from './lib/measure.js';
import { emit } from './lib/report.js';
import type { Bar, Chart, Table, Target } from './lib/report.js';

const mode = benchMode();
const PLAN = {
  smoke: { rounds: 1, seconds: 0, amount: 200, warmupSeconds: 0 },
  quick: { rounds: 2, seconds: 1, amount: 0, warmupSeconds: 1 },
  full: { rounds: 5, seconds: 4, amount: 0, warmupSeconds: 3 },
}[mode];
const CONNECTIONS = 50;
const LABELS: Record<Variant, string> = {
  bare: 'bare',
  floor: 'floor: one middleware setting the same 5 headers',
  'bulwark-memory': 'bulwark headers + rate limit (memory)',
  'bulwark-redis': 'bulwark headers + rate limit (Redis)',
  peers: '',
};
const PEERS: Record<Framework, string> = {
  express: 'helmet + express-rate-limit',
  koa: 'koa-helmet + koa-ratelimit',
  fastify: '@fastify/helmet + @fastify/rate-limit',
};
const NAMES: Record<Framework, string> = {
  express: 'Express 5',
  koa: 'Koa 3',
  fastify: 'Fastify 5',
};
const label = (f: Framework, v: Variant): string => (v === 'peers' ? PEERS[f] : LABELS[v]);

interface Server {
  readonly port: number;
  readonly child: ChildProcess;
}

const serverScript = fileURLToPath(new URL('./http/server.ts', import.meta.url));

async function startServer(
  framework: Framework,
  variant: Variant,
  redisUrl: string,
): Promise<Server> {
  const child = spawn(process.execPath, ['--import', 'tsx', serverScript, framework, variant], {
    env: { ...process.env, REDIS_URL: redisUrl, NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening (\d+)/.exec(out);
      if (match !== null) resolve(Number(match[1]));
    });
    child.once('exit', (code) => {
      reject(new Error(`${framework} ${variant} server exited with ${String(code)}`));
    });
  });
  return { port, child };
}

interface Run {
  readonly rps: number;
  readonly p99: number;
}

async function load(port: number, seconds: number, amount: number): Promise<Run> {
  const result = await autocannon({
    url: `http://127.0.0.1:${port}/status`,
    connections: CONNECTIONS,
    ...(amount > 0 ? { amount } : { duration: seconds }),
  });
  // A rejected or failed request would measure the wrong thing (a 429 is cheaper than a 200).
  if (result.non2xx > 0 || result.errors > 0 || result.timeouts > 0)
    throw new Error(`port ${port}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return {
    rps:
      amount > 0
        ? result.requests.total / Math.max(result.duration, 1e-3)
        : result.requests.average,
    p99: result.latency.p99,
  };
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

async function framework(
  f: Framework,
  servers: ReadonlyMap<string, Server>,
): Promise<{ table: Table; bars: Bar[]; target: Target }> {
  const port = (v: Variant): number => servers.get(`${f} ${v}`)!.port;
  const runs = new Map<Variant, Run[]>(VARIANTS.map((v) => [v, []]));
  const ratios = new Map<Variant, number[]>(VARIANTS.map((v) => [v, []]));
  if (PLAN.warmupSeconds > 0) for (const v of VARIANTS) await load(port(v), PLAN.warmupSeconds, 0);
  for (let round = 1; round <= PLAN.rounds; round++) {
    const bare: Run[] = [];
    for (const v of VARIANTS) {
      process.stderr.write(`[http] ${NAMES[f]} round ${round}/${PLAN.rounds}  ${label(f, v)}\n`);
      const run = await load(port(v), PLAN.seconds, PLAN.amount);
      runs.get(v)!.push(run);
      if (v === 'bare') bare.push(run);
      ratios.get(v)!.push(run.rps / (bare[0]?.rps ?? run.rps));
    }
  }
  const rows = VARIANTS.map((v) => {
    const list = runs.get(v)!;
    return {
      v,
      rps: median(list.map((r) => r.rps)),
      p99: median(list.map((r) => r.p99)),
      ratio: median(ratios.get(v)!),
      low: Math.min(...list.map((r) => r.rps)),
      high: Math.max(...list.map((r) => r.rps)),
    };
  });
  return {
    table: {
      title: `HTTP, ${NAMES[f]}: GET returning a small JSON, ${CONNECTIONS} connections`,
      columns: ['stack', 'requests/s', 'range', 'p99 ms', 'x bare'],
      rows: rows.map((r) => [
        label(f, r.v),
        formatRate(r.rps),
        `${formatRate(r.low)}-${formatRate(r.high)}`,
        r.p99.toFixed(0),
        `${r.ratio.toFixed(2)}x`,
      ]),
    },
    target: {
      label: `HTTP ${NAMES[f]}: bulwark headers + memory rate limit vs bare`,
      ratio: rows.find((r) => r.v === 'bulwark-memory')?.ratio ?? 0,
      goal: 0.9,
    },
    bars: rows.map((r) => ({
      label: `${NAMES[f]}: ${label(f, r.v)}`,
      value: r.ratio,
      ours: r.v.startsWith('bulwark'),
    })),
  };
}

async function main(): Promise<void> {
  let redis: RedisServer | undefined;
  let url = process.env.REDIS_URL ?? '';
  if (url === '') {
    redis = await startRedisServer();
    url = redis.url;
  }
  const tables: Table[] = [];
  const bars: Bar[] = [];
  const targets: Target[] = [];
  const servers = new Map<string, Server>();
  try {
    // Started together (an idle server costs nothing), each in its own process.
    const pairs = FRAMEWORKS.flatMap((f) => VARIANTS.map((v) => [f, v] as const));
    const started = await Promise.allSettled(pairs.map(([f, v]) => startServer(f, v, url)));
    for (const [i, s] of started.entries())
      if (s.status === 'fulfilled') servers.set(pairs[i]!.join(' '), s.value);
    for (const s of started) if (s.status === 'rejected') throw s.reason;
    for (const f of FRAMEWORKS) {
      const result = await framework(f, servers);
      tables.push(result.table);
      bars.push(...result.bars);
      targets.push(result.target);
    }
  } finally {
    for (const s of servers.values()) s.child.kill();
    await redis?.stop();
  }
  const last = tables[tables.length - 1];
  if (last !== undefined)
    tables[tables.length - 1] = {
      ...last,
      notes: [
        `Each server runs in its own process; autocannon runs in the benchmark process on the same machine. Requests/s and p99 are medians of ${PLAN.rounds} run(s); "x bare" is the median of the per-round ratios to the bare server measured in the same round. Limits are far above what a run sends, so no request is rejected (a run with any non-2xx fails). Targets: bulwark headers + memory rate limit >= 0.9x bare on every framework.`,
      ],
    };
  const chart: Chart = {
    file: 'http',
    title: 'HTTP throughput relative to the bare framework',
    unit: 'x bare, same round',
    bars,
  };
  emit({ group: 'HTTP', tables, charts: [chart], targets });
}

await main();
