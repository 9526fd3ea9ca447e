// End to end: for Express, Koa and Fastify, each variant's server in its own process on
// loopback and autocannon as the client, in interleaved rounds, requests/s, p99 latency and
// the server's CPU time per request, and the ratios to the bare server measured in the same
// round. On Linux with taskset, the servers run on the last core and autocannon on the
// first, so client and server do not trade places on a core mid-run; in a full run each
// variant has two server processes, used in alternate rounds, so one process's luck (JIT
// decisions, memory layout) cannot colour a variant.
//   npx tsx bench/http.bench.ts [--quick|--smoke] [--json=file]
// Uses REDIS_URL when set, else starts its own redis-server on a free port.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
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
  smoke: { rounds: 1, seconds: 0, amount: 200, warmupSeconds: 0, replicas: 1 },
  quick: { rounds: 2, seconds: 1, amount: 0, warmupSeconds: 1, replicas: 1 },
  full: { rounds: 10, seconds: 2, amount: 0, warmupSeconds: 2, replicas: 2 },
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

// Pinning: taskset on Linux with two or more cores; elsewhere the scheduler decides.
const CORES = cpus().length;
const PIN =
  mode !== 'smoke' &&
  process.platform === 'linux' &&
  CORES >= 2 &&
  spawnSync('taskset', ['-V']).status === 0;
// -a: every thread of the process (V8's GC and compiler threads, libuv's pool), not only
// the main one, or they would run on the other side's core.
const pin = (pid: number | undefined, core: number): void => {
  if (PIN && pid !== undefined) spawnSync('taskset', ['-a', '-pc', String(core), String(pid)]);
};
pin(process.pid, 0);
// --frameworks=fastify,koa measures some frameworks only.
const onlyFrameworks = process.argv
  .find((a) => a.startsWith('--frameworks='))
  ?.slice('--frameworks='.length)
  .split(',');
const frameworks = FRAMEWORKS.filter((f) => onlyFrameworks?.includes(f) ?? true);

/** The process's user + system CPU time in microseconds, from /proc (Linux); NaN elsewhere. */
function cpuMicros(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${String(pid)}/stat`, 'utf8')
      .split(') ')[1]!
      .split(' ');
    // utime and stime, fields 14 and 15 of stat(5), in clock ticks (100 per second on Linux).
    return (Number(fields[11]) + Number(fields[12])) * 10_000;
  } catch {
    return Number.NaN;
  }
}

const serverScript = fileURLToPath(new URL('./http/server.ts', import.meta.url));

async function startServer(
  framework: Framework,
  variant: Variant,
  redisUrl: string,
): Promise<Server> {
  // Started under taskset when pinning, so every thread the server ever creates is pinned
  // (taskset execs node: the pid is the server's own).
  const args = [process.execPath, '--import', 'tsx', serverScript, framework, variant];
  const command = PIN ? ['taskset', '-c', String(CORES - 1), ...args] : args;
  const child = spawn(command[0]!, command.slice(1), {
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
  /** Server CPU microseconds per request (NaN where /proc is missing). */
  readonly cpu: number;
}

async function load(server: Server, seconds: number, amount: number): Promise<Run> {
  const { port } = server;
  const before = cpuMicros(server.child.pid);
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
    cpu: (cpuMicros(server.child.pid) - before) / Math.max(result.requests.total, 1),
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
  const server = (v: Variant, round: number): Server =>
    servers.get(`${f} ${v} ${round % PLAN.replicas}`)!;
  const runs = new Map<Variant, Run[]>(VARIANTS.map((v) => [v, []]));
  const ratios = new Map<Variant, number[]>(VARIANTS.map((v) => [v, []]));
  const cpuRatios = new Map<Variant, number[]>(VARIANTS.map((v) => [v, []]));
  if (PLAN.warmupSeconds > 0)
    for (let r = 0; r < PLAN.replicas; r++)
      for (const v of VARIANTS) await load(server(v, r), PLAN.warmupSeconds, 0);
  for (let round = 1; round <= PLAN.rounds; round++) {
    // The order rotates every round, so no stack always runs first (on a fresh client) or
    // right after the heaviest one; ratios are taken once the round is complete.
    const order = VARIANTS.map((_, i) => VARIANTS[(i + round - 1) % VARIANTS.length]!);
    const measured = new Map<Variant, Run>();
    for (const v of order) {
      process.stderr.write(`[http] ${NAMES[f]} round ${round}/${PLAN.rounds}  ${label(f, v)}\n`);
      const run = await load(server(v, round), PLAN.seconds, PLAN.amount);
      runs.get(v)!.push(run);
      measured.set(v, run);
    }
    const bare = measured.get('bare')!;
    for (const [v, run] of measured) {
      ratios.get(v)!.push(run.rps / bare.rps);
      cpuRatios.get(v)!.push(bare.cpu / run.cpu);
    }
  }
  const rows = VARIANTS.map((v) => {
    const list = runs.get(v)!;
    return {
      v,
      rps: median(list.map((r) => r.rps)),
      p99: median(list.map((r) => r.p99)),
      cpu: median(list.map((r) => r.cpu)),
      ratio: median(ratios.get(v)!),
      cpuRatio: median(cpuRatios.get(v)!),
      low: Math.min(...list.map((r) => r.rps)),
      high: Math.max(...list.map((r) => r.rps)),
    };
  });
  const hasCpu = rows.every((r) => Number.isFinite(r.cpu) && r.cpu > 0);
  return {
    table: {
      title: `HTTP, ${NAMES[f]}: GET returning a small JSON, ${CONNECTIONS} connections`,
      columns: [
        'stack',
        'requests/s',
        'range',
        'p99 ms',
        'x bare',
        ...(hasCpu ? ['server CPU µs/req', 'x bare (CPU)'] : []),
      ],
      rows: rows.map((r) => [
        label(f, r.v),
        formatRate(r.rps),
        `${formatRate(r.low)}-${formatRate(r.high)}`,
        r.p99.toFixed(0),
        `${r.ratio.toFixed(2)}x`,
        ...(hasCpu ? [r.cpu.toFixed(1), `${r.cpuRatio.toFixed(2)}x`] : []),
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
    const replicas = Array.from({ length: PLAN.replicas }, (_, r) => r);
    const triples = frameworks.flatMap((f) =>
      VARIANTS.flatMap((v) => replicas.map((r) => [f, v, r] as const)),
    );
    const started = await Promise.allSettled(triples.map(([f, v]) => startServer(f, v, url)));
    for (const [i, s] of started.entries())
      if (s.status === 'fulfilled') servers.set(triples[i]!.join(' '), s.value);
    for (const s of started) if (s.status === 'rejected') throw s.reason;
    for (const f of frameworks) {
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
        `Each server runs in its own process (${PLAN.replicas} per stack, used in alternate rounds)${PIN ? `, pinned to core ${CORES - 1}` : ''}; autocannon runs in the benchmark process${PIN ? ' on core 0' : ''}. Requests/s, p99 and server CPU per request are medians of ${PLAN.rounds} run(s); "x bare" is the median of the per-round ratios to the bare server measured in the same round, and "x bare (CPU)" the same for CPU time per request (bare's over the stack's: the throughput a saturated server would keep). Limits are far above what a run sends, so no request is rejected (a run with any non-2xx fails). Targets: bulwark headers + memory rate limit >= 0.9x bare on every framework.`,
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
