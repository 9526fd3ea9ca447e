// End to end: for Express, Koa and Fastify, each variant's server in its own process on
// loopback and autocannon as the client, in interleaved rounds, requests/s, p99 latency and
// the server's CPU time per request, and the ratios to the bare server measured in the same
// round. On Linux with taskset, the servers run on the last core and autocannon on the
// first, so client and server do not trade places on a core mid-run; in a full run each
// variant has two server processes, used in alternate rounds, so one process's luck (JIT
// decisions, memory layout) cannot colour a variant.
// Two parts: `headers` (security headers + rate limit against the framework's usual peers,
// GET /status) and `cors` (bulwark's cors against the framework's usual CORS package, for a
// simple GET with an allowed Origin and for a preflight; every stack's answers are checked
// before and after the rounds, and a run with any other status fails).
//   npx tsx bench/http.bench.ts [--quick|--smoke] [--json=file] [--frameworks=koa,fastify]
//     [--parts=headers,cors]
// Uses REDIS_URL when set, else starts its own redis-server on a free port (headers part only).
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import { cpus } from 'node:os';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { startRedisServer } from '../test/helpers/redis-server.js';
import type { RedisServer } from '../test/helpers/redis-server.js';
import { CORS_KINDS, CORS_OPTIONS, CORS_VARIANTS, corsProblems } from './http/cors.js';
import type { CorsVariant, RequestKind } from './http/cors.js';
import { FRAMEWORKS, VARIANTS } from './http/server.js';
import type { Framework, Variant } from './http/server.js';
import { builtEnv, ensureBuilt } from './lib/built.js';
import { medianInterval } from './lib/interval.js';
import { benchMode, formatRate } from './lib/measure.js';
import { emit } from './lib/report.js';
import type { Bar, Chart, Table, Target } from './lib/report.js';

const mode = benchMode();
// maxRounds: the headers part goes on past `rounds` until the 95% interval of bulwark's
// ratio to the floor is narrower than INTERVAL_GOAL, or says it could not get there.
const PLAN = {
  smoke: { rounds: 1, maxRounds: 1, seconds: 0, amount: 200, warmupSeconds: 0, replicas: 1 },
  quick: { rounds: 2, maxRounds: 2, seconds: 1, amount: 0, warmupSeconds: 1, replicas: 1 },
  full: { rounds: 10, maxRounds: 24, seconds: 2, amount: 0, warmupSeconds: 2, replicas: 2 },
}[mode];
const INTERVAL_GOAL = 0.05;
const CONNECTIONS = 50;
const LABELS: Record<Variant | CorsVariant, string> = {
  bare: 'bare',
  floor: 'floor: one middleware setting the same 5 headers',
  'bulwark-memory': 'bulwark headers + rate limit (memory)',
  'bulwark-protect': 'bulwark protect(): headers + rate limit in one (memory)',
  'bulwark-redis': 'bulwark headers + rate limit (Redis)',
  peers: '',
  'cors-bare': 'bare (no CORS)',
  'cors-bulwark': 'bulwark cors',
  'cors-peer': '',
};
const PEERS: Record<Framework, string> = {
  express: 'helmet + express-rate-limit',
  koa: 'koa-helmet + koa-ratelimit',
  fastify: '@fastify/helmet + @fastify/rate-limit',
  hono: 'hono/secure-headers + hono-rate-limiter',
  nest: 'helmet + @nestjs/throttler',
};
const CORS_PEERS: Record<Framework, string> = {
  express: 'cors (expressjs/cors)',
  koa: '@koa/cors',
  fastify: '@fastify/cors',
  hono: 'hono/cors',
  nest: 'Nest enableCors() (the cors package)',
};
const NAMES: Record<Framework, string> = {
  express: 'Express 5',
  koa: 'Koa 3',
  fastify: 'Fastify 5',
  hono: 'Hono 4 (@hono/node-server)',
  nest: 'NestJS 12 (Express platform)',
};
const label = (f: Framework, v: Variant | CorsVariant): string =>
  v === 'peers' ? PEERS[f] : v === 'cors-peer' ? CORS_PEERS[f] : LABELS[v];

interface Server {
  readonly port: number;
  readonly child: ChildProcess;
}

/** What the headers part sends: a plain GET, no Origin. */
const PLAIN_GET: RequestKind = {
  label: 'GET',
  title: 'GET returning a small JSON',
  method: 'GET',
  headers: {},
  status: 200,
  preflight: false,
};

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
const listArg = (name: string): string[] | undefined =>
  process.argv
    .find((a) => a.startsWith(`--${name}=`))
    ?.slice(`--${name}=`.length)
    .split(',');
// --frameworks=fastify,koa measures some frameworks only; --parts=cors one part only.
const onlyFrameworks = listArg('frameworks');
const frameworks = FRAMEWORKS.filter((f) => onlyFrameworks?.includes(f) ?? true);
const PARTS = ['headers', 'cors', 'alloc'] as const;
const onlyParts = listArg('parts');
const parts = PARTS.filter((p) => onlyParts?.includes(p) ?? true);
if (parts.length === 0 || frameworks.length === 0)
  throw new Error(`--parts= takes ${PARTS.join(',')}; --frameworks= takes ${FRAMEWORKS.join(',')}`);

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

/**
 * Node flags of an allocation-probe server: `gc()` for a clean start, and a young generation
 * (semi-spaces of 128 MB) that holds a whole sample, so no collection runs inside one.
 */
const ALLOC_FLAGS = ['--expose-gc', '--min-semi-space-size=128', '--max-semi-space-size=128'];

async function startServer(
  framework: Framework,
  variant: Variant | CorsVariant,
  redisUrl: string,
  alloc = false,
): Promise<Server> {
  // Started under taskset when pinning, so every thread the server ever creates is pinned
  // (taskset execs node: the pid is the server's own).
  const args = [
    process.execPath,
    ...(alloc ? ALLOC_FLAGS : []),
    '--import',
    'tsx',
    serverScript,
    framework,
    variant,
  ];
  const command = PIN ? ['taskset', '-c', String(CORES - 1), ...args] : args;
  const child = spawn(command[0]!, command.slice(1), {
    env: builtEnv({
      REDIS_URL: redisUrl,
      NODE_ENV: 'production',
      ...(alloc ? { BENCH_ALLOC: '1' } : {}),
    }),
    stdio: ['ignore', 'pipe', 'inherit', alloc ? 'ipc' : 'ignore'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    // stdout is a pipe (stdio[1] above).
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening (\d+) (\S+)/.exec(out);
      if (match === null) return;
      // The servers must run what users install, never the sources through tsx.
      if (!match[2]!.includes('/dist/')) {
        child.kill();
        reject(
          new Error(`${framework} ${variant} server loaded bulwark from ${match[2]!}, not dist/`),
        );
      } else resolve(Number(match[1]));
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

async function load(
  server: Server,
  seconds: number,
  amount: number,
  kind: RequestKind = PLAIN_GET,
  warmup = false,
): Promise<Run> {
  const { port } = server;
  const before = cpuMicros(server.child.pid);
  const result = await autocannon({
    url: `http://127.0.0.1:${port}/status`,
    connections: CONNECTIONS,
    method: kind.method,
    headers: { ...kind.headers },
    // autocannon ends a run at a tick of its sampling interval (1 s by default, the unit of
    // requests.average): a smoke run, which counts requests, and a warm-up, which reads no
    // rate, tick often enough to end when their requests or seconds are done.
    ...(amount > 0 ? { amount, sampleInt: 20 } : { duration: seconds }),
    ...(warmup ? { sampleInt: 100 } : {}),
  });
  // A rejected or failed request would measure the wrong thing (a 429 is cheaper than a 200),
  // and so would a preflight that falls through to the app (a 200 or 404 instead of 204).
  const wrong = Object.entries(result.statusCodeStats ?? {})
    .filter(([code, stats]) => Number(code) !== kind.status && (stats.count ?? 0) > 0)
    .map(([code, stats]) => `${String(stats.count)} x ${code}`);
  if (result.non2xx > 0 || wrong.length > 0 || result.errors > 0 || result.timeouts > 0)
    throw new Error(
      `port ${port} ${kind.method}: expected only ${kind.status}, got ${wrong.join(', ') || 'none other'}; ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`,
    );
  return {
    rps:
      amount > 0
        ? result.requests.total / Math.max(result.duration, 1e-3)
        : result.requests.average,
    p99: result.latency.p99,
    cpu: (cpuMicros(server.child.pid) - before) / Math.max(result.requests.total, 1),
  };
}

/** One request of a kind with node:http: the status and the response headers. */
function probe(
  server: Server,
  kind: RequestKind,
): Promise<{ status: number; headers: IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port: server.port,
        path: '/status',
        method: kind.method,
        headers: kind.headers,
      },
      (res) => {
        res.resume();
        res.once('end', () => {
          resolve({ status: res.statusCode ?? 0, headers: res.headers });
        });
      },
    );
    req.once('error', reject);
    req.end();
  });
}

/** Checks every CORS server's answer to every kind; throws, naming the stack, on any problem. */
async function checkCors(
  f: Framework,
  server: (v: CorsVariant, round: number) => Server,
  when: string,
): Promise<void> {
  for (let r = 0; r < PLAN.replicas; r++)
    for (const v of CORS_VARIANTS)
      for (const kind of CORS_KINDS) {
        const { status, headers } = await probe(server(v, r), kind);
        const problems = corsProblems(v, kind, status, headers);
        if (problems.length > 0)
          throw new Error(
            `${NAMES[f]} ${label(f, v)}, ${kind.label} (${when}): ${problems.join('; ')}`,
          );
      }
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

/** Rotates a list by `by`, so no stack always runs first or after the same one. */
const rotate = <T>(list: readonly T[], by: number): T[] =>
  list.map((_, i) => list[(i + by) % list.length]!);

/** Per-round samples of one stack: runs, and ratios to other stacks of the same round. */
class Samples {
  readonly runs: Run[] = [];
  readonly ratios = new Map<string, number[]>();

  addRatio(name: string, value: number): void {
    const list = this.ratios.get(name) ?? [];
    list.push(value);
    this.ratios.set(name, list);
  }

  ratio(name: string): number {
    return median(this.ratios.get(name) ?? []);
  }

  /** The 95% interval of the median ratio, as `0.91-0.97`. */
  ratioInterval(name: string): string {
    const [lo, hi] = medianInterval(this.ratios.get(name) ?? []);
    return Number.isNaN(lo) ? '' : `${lo.toFixed(2)}-${hi.toFixed(2)}`;
  }

  ratioWidth(name: string): number {
    const [lo, hi] = medianInterval(this.ratios.get(name) ?? []);
    return hi - lo;
  }

  ratioRange(name: string): string {
    const list = this.ratios.get(name) ?? [];
    return list.length === 0
      ? ''
      : `${Math.min(...list).toFixed(2)}-${Math.max(...list).toFixed(2)}`;
  }

  get rps(): number {
    return median(this.runs.map((r) => r.rps));
  }

  get cpu(): number {
    return median(this.runs.map((r) => r.cpu));
  }

  get p99(): number {
    return median(this.runs.map((r) => r.p99));
  }

  get range(): string {
    const rates = this.runs.map((r) => r.rps);
    return `${formatRate(Math.min(...rates))}-${formatRate(Math.max(...rates))}`;
  }
}

/**
 * Records one complete round: every stack's ratio to each reference stack of the same round
 * (`refs`: the ratio's name and the stack it is taken to), for requests/s and CPU per request.
 */
function addRound<V extends string>(
  samples: ReadonlyMap<V, Samples>,
  measured: ReadonlyMap<V, Run>,
  refs: Readonly<Record<string, V>>,
): void {
  for (const [v, run] of measured) {
    const s = samples.get(v)!;
    for (const [name, other] of Object.entries(refs)) {
      const ref = measured.get(other);
      if (ref === undefined) continue;
      s.addRatio(name, run.rps / ref.rps);
      s.addRatio(`${name} cpu`, ref.cpu / run.cpu);
    }
  }
}

const hasCpu = (list: readonly Samples[]): boolean =>
  list.every((s) => Number.isFinite(s.cpu) && s.cpu > 0);

async function headersPart(
  f: Framework,
  servers: ReadonlyMap<string, Server>,
): Promise<{ table: Table; bars: Bar[]; targets: Target[]; rounds: number }> {
  const server = (v: Variant, round: number): Server =>
    servers.get(`${f} ${v} ${round % PLAN.replicas}`)!;
  const samples = new Map<Variant, Samples>(VARIANTS.map((v) => [v, new Samples()]));
  if (PLAN.warmupSeconds > 0)
    for (let r = 0; r < PLAN.replicas; r++)
      for (const v of VARIANTS) await load(server(v, r), PLAN.warmupSeconds, 0);
  // The targets read protect(), the one mount point; the separate middlewares are measured
  // beside it.
  const ours = samples.get('bulwark-protect')!;
  const separate = samples.get('bulwark-memory')!;
  let round = 0;
  // PLAN.rounds at least; then on, up to PLAN.maxRounds, while the interval of bulwark's ratio
  // to the floor is wider than INTERVAL_GOAL: the run says how sure it is, not just a median.
  while (
    round < PLAN.rounds ||
    (round < PLAN.maxRounds &&
      Math.max(ours.ratioWidth('floor'), separate.ratioWidth('floor')) >= INTERVAL_GOAL)
  ) {
    round++;
    // The order rotates every round, so no stack always runs first (on a fresh client) or
    // right after the heaviest one; ratios are taken once the round is complete.
    const measured = new Map<Variant, Run>();
    for (const v of rotate(VARIANTS, round - 1)) {
      process.stderr.write(
        `[http] ${NAMES[f]} round ${round}/${round <= PLAN.rounds ? PLAN.rounds : PLAN.maxRounds}  ${label(f, v)}\n`,
      );
      const run = await load(server(v, round), PLAN.seconds, PLAN.amount);
      samples.get(v)!.runs.push(run);
      measured.set(v, run);
    }
    addRound(samples, measured, { base: 'bare', floor: 'floor', peers: 'peers' });
  }
  const cpu = hasCpu([...samples.values()]);
  return {
    table: {
      title: `HTTP, ${NAMES[f]}: ${PLAIN_GET.title}, ${CONNECTIONS} connections`,
      columns: [
        'stack',
        'requests/s',
        'range',
        'p99 ms',
        'x bare',
        'x floor',
        'x floor, 95% interval',
        ...(cpu ? ['server CPU µs/req', 'x bare (CPU)', 'x floor (CPU)'] : []),
      ],
      rows: VARIANTS.map((v) => {
        const s = samples.get(v)!;
        return [
          label(f, v),
          formatRate(s.rps),
          s.range,
          s.p99.toFixed(0),
          `${s.ratio('base').toFixed(2)}x`,
          `${s.ratio('floor').toFixed(2)}x`,
          s.ratioInterval('floor'),
          ...(cpu
            ? [
                s.cpu.toFixed(1),
                `${s.ratio('base cpu').toFixed(2)}x`,
                `${s.ratio('floor cpu').toFixed(2)}x`,
              ]
            : []),
        ];
      }),
      notes: [
        [ours, separate].every((x) => x.ratioWidth('floor') < INTERVAL_GOAL)
          ? `${round} rounds: the 95% intervals of bulwark's ratios to the floor (protect() ${ours.ratioInterval('floor')}, separate middlewares ${separate.ratioInterval('floor')}) are narrower than ${INTERVAL_GOAL}.`
          : `${round} rounds: the 95% intervals of bulwark's ratios to the floor (protect() ${ours.ratioInterval('floor')}, separate middlewares ${separate.ratioInterval('floor')}) could not both be narrowed below ${INTERVAL_GOAL} within ${PLAN.maxRounds} rounds on this machine.`,
        // What the peers target can be at most: no stack that adds work to the bare server
        // serves more than it does.
        ...(f === 'fastify'
          ? [
              `Against ${PEERS[f]}, the bare server itself measured ${samples.get('bare')!.ratio('peers').toFixed(2)}x (95% interval ${samples.get('bare')!.ratioInterval('peers')}) and the floor ${samples.get('floor')!.ratio('peers').toFixed(2)}x: the most a stack that adds anything to a bare Fastify can reach against the peers.`,
            ]
          : []),
      ],
    },
    targets: [
      {
        label: `HTTP ${NAMES[f]}: bulwark protect() (headers + memory rate limit) vs floor`,
        ratio: ours.ratio('floor'),
        goal: 0.95,
      },
      ...(f === 'fastify'
        ? [
            {
              label: `HTTP ${NAMES[f]}: bulwark protect() (headers + memory rate limit) vs ${PEERS[f]}`,
              ratio: ours.ratio('peers'),
              goal: 2,
            },
          ]
        : []),
    ],
    rounds: round,
    bars: VARIANTS.map((v) => ({
      label: `${NAMES[f]}: ${label(f, v)}`,
      value: samples.get(v)!.ratio('base'),
      ours: v.startsWith('bulwark'),
    })),
  };
}

async function corsPart(
  f: Framework,
  servers: ReadonlyMap<string, Server>,
): Promise<{ tables: Table[]; bars: Bar[]; targets: Target[] }> {
  const server = (v: CorsVariant, round: number): Server =>
    servers.get(`${f} ${v} ${round % PLAN.replicas}`)!;
  await checkCors(f, server, 'before the runs');
  const samples = new Map<RequestKind, Map<CorsVariant, Samples>>(
    CORS_KINDS.map((k) => [k, new Map(CORS_VARIANTS.map((v) => [v, new Samples()]))]),
  );
  // Each server warms up as long as a headers-part server does, split between the kinds.
  const warmup = PLAN.warmupSeconds / CORS_KINDS.length;
  if (warmup > 0)
    for (let r = 0; r < PLAN.replicas; r++)
      for (const v of CORS_VARIANTS)
        for (const kind of CORS_KINDS) await load(server(v, r), warmup, 0, kind, true);
  for (let round = 1; round <= PLAN.rounds; round++) {
    // Both kinds in every round, each with every stack in a rotating order.
    for (const kind of rotate(CORS_KINDS, round - 1)) {
      const measured = new Map<CorsVariant, Run>();
      for (const v of rotate(CORS_VARIANTS, round - 1)) {
        process.stderr.write(
          `[http] ${NAMES[f]} CORS round ${round}/${PLAN.rounds}  ${kind.label}  ${label(f, v)}\n`,
        );
        const run = await load(server(v, round), PLAN.seconds, PLAN.amount, kind);
        samples.get(kind)!.get(v)!.runs.push(run);
        measured.set(v, run);
      }
      addRound(samples.get(kind)!, measured, { base: 'cors-bare', peer: 'cors-peer' });
    }
  }
  // The same answers after the load as before it.
  await checkCors(f, server, 'after the runs');
  const tables: Table[] = [];
  const bars: Bar[] = [];
  const targets: Target[] = [];
  for (const kind of CORS_KINDS) {
    const byStack = samples.get(kind)!;
    const cpu = hasCpu([...byStack.values()]);
    tables.push({
      title: `CORS, ${NAMES[f]}: ${kind.title}, ${CONNECTIONS} connections`,
      columns: [
        'stack',
        'requests/s',
        'range',
        'p99 ms',
        'x bare',
        'x peer',
        'x peer, rounds',
        ...(cpu ? ['server CPU µs/req', 'x bare (CPU)', 'x peer (CPU)'] : []),
      ],
      rows: CORS_VARIANTS.map((v) => {
        const s = byStack.get(v)!;
        return [
          label(f, v),
          formatRate(s.rps),
          s.range,
          s.p99.toFixed(0),
          `${s.ratio('base').toFixed(2)}x`,
          `${s.ratio('peer').toFixed(2)}x`,
          s.ratioRange('peer'),
          ...(cpu
            ? [
                s.cpu.toFixed(1),
                `${s.ratio('base cpu').toFixed(2)}x`,
                `${s.ratio('peer cpu').toFixed(2)}x`,
              ]
            : []),
        ];
      }),
    });
    targets.push({
      label: `CORS ${NAMES[f]}, ${kind.label}: bulwark cors vs ${CORS_PEERS[f]}`,
      ratio: byStack.get('cors-bulwark')!.ratio('peer'),
      goal: 1,
    });
    bars.push(
      ...CORS_VARIANTS.map((v) => ({
        label: `${NAMES[f]}, ${kind.label}: ${label(f, v)}`,
        value: byStack.get(v)!.ratio('base'),
        ours: v === 'cors-bulwark',
      })),
    );
  }
  return { tables, bars, targets };
}

/** Asks an allocation-probe server something over IPC and waits for its answer. */
function ask(server: Server, message: string): Promise<unknown> {
  return new Promise((resolve) => {
    server.child.once('message', resolve);
    server.child.send(message);
  });
}

const ALLOC_PLAN = {
  smoke: { requests: 200, samples: 1, warmup: 200 },
  quick: { requests: 2_000, samples: 3, warmup: 5_000 },
  full: { requests: 2_000, samples: 7, warmup: 20_000 },
}[mode];

/**
 * Bytes of JavaScript heap each stack allocates per request, from a heap-delta loop: the
 * server (its own process, nothing else running in it) collects garbage, serves a fixed
 * number of requests with no collection in between, and reports how much its heap grew.
 * Samples in which a collection ran are repeated with half the requests (a bounded number of times).
 */
async function allocPart(f: Framework, redisUrl: string): Promise<Table> {
  const rows: string[][] = [];
  const perRequest = new Map<Variant, number>();
  for (const v of VARIANTS) {
    const server = await startServer(f, v, redisUrl, true);
    try {
      process.stderr.write(`[http] ${NAMES[f]} allocations  ${label(f, v)}\n`);
      await load(server, 0, ALLOC_PLAN.warmup);
      const bytes: number[] = [];
      // A sample in which a collection ran undercounts: it is repeated with half the requests
      // (a stack that allocates more needs smaller samples to fit in the young generation).
      let requests = ALLOC_PLAN.requests;
      for (let tries = 0; bytes.length < ALLOC_PLAN.samples; tries++) {
        if (tries >= ALLOC_PLAN.samples * 4)
          throw new Error(`${NAMES[f]} ${label(f, v)}: a collection ran inside every sample`);
        await ask(server, 'start');
        await load(server, 0, requests);
        const { grown, collections } = (await ask(server, 'stop')) as {
          grown: number;
          collections: number;
        };
        if (collections === 0) bytes.push(grown / requests);
        else requests = Math.max(100, Math.floor(requests / 2));
      }
      perRequest.set(v, median(bytes));
      rows.push([
        label(f, v),
        median(bytes).toFixed(0),
        `${Math.min(...bytes).toFixed(0)}-${Math.max(...bytes).toFixed(0)}`,
      ]);
    } finally {
      server.child.kill();
    }
  }
  const floor = perRequest.get('floor') ?? 0;
  const bare = perRequest.get('bare') ?? 0;
  return {
    title: `Heap allocated per request, ${NAMES[f]}: ${PLAIN_GET.title}`,
    columns: ['stack', 'bytes/request', 'range', 'above bare', 'above the floor'],
    rows: rows.map((r, i) => {
      const b = perRequest.get(VARIANTS[i]!) ?? 0;
      return [...r, (b - bare).toFixed(0), (b - floor).toFixed(0)];
    }),
  };
}

/** Adds `note` under the last table of a list. */
function noteLast(tables: Table[], note: string): void {
  const last = tables[tables.length - 1];
  if (last !== undefined)
    tables[tables.length - 1] = { ...last, notes: [...(last.notes ?? []), note] };
}

async function main(): Promise<void> {
  ensureBuilt();
  const headers = parts.includes('headers');
  const cors = parts.includes('cors');
  const alloc = parts.includes('alloc');
  let redis: RedisServer | undefined;
  let url = process.env.REDIS_URL ?? '';
  if (url === '' && (headers || alloc)) {
    redis = await startRedisServer();
    url = redis.url;
  }
  const headerTables: Table[] = [];
  const corsTables: Table[] = [];
  const allocTables: Table[] = [];
  const bars: Bar[] = [];
  const corsBars: Bar[] = [];
  const targets: Target[] = [];
  const servers = new Map<string, Server>();
  const variants = [...(headers ? VARIANTS : []), ...(cors ? CORS_VARIANTS : [])];
  const replicas = Array.from({ length: PLAN.replicas }, (_, r) => r);
  try {
    // One framework's servers at a time, each in its own process, started together and
    // stopped once its parts are measured: a framework's numbers should not depend on which
    // others run with it. In a full run with every framework's servers alive at once (90
    // processes pinned to one core) Fastify's protect() measured 0.92x of the floor, and in
    // a run of Fastify alone 1.13x: the same code, on the same day.
    for (const f of frameworks) {
      const pairs = variants.flatMap((v) => replicas.map((r) => [f, v, r] as const));
      const started = await Promise.allSettled(pairs.map(([, v]) => startServer(f, v, url)));
      for (const [i, s] of started.entries())
        if (s.status === 'fulfilled') servers.set(pairs[i]!.join(' '), s.value);
      for (const s of started) if (s.status === 'rejected') throw s.reason;
      if (headers) {
        const result = await headersPart(f, servers);
        headerTables.push(result.table);
        bars.push(...result.bars);
        targets.push(...result.targets);
      }
      if (cors) {
        const result = await corsPart(f, servers);
        corsTables.push(...result.tables);
        corsBars.push(...result.bars);
        targets.push(...result.targets);
      }
      for (const s of servers.values()) s.child.kill();
      servers.clear();
    }
    // Last, and one server at a time: the probe servers are started only now.
    if (alloc) for (const f of frameworks) allocTables.push(await allocPart(f, url));
  } finally {
    for (const s of servers.values()) s.child.kill();
    await redis?.stop();
  }
  const processes = `Each server runs in its own process (${PLAN.replicas} per stack, used in alternate rounds)${PIN ? `, pinned to core ${CORES - 1}` : ''}; autocannon runs in the benchmark process${PIN ? ' on core 0' : ''}. Requests/s, p99 and server CPU per request are medians of their runs (${PLAN.rounds} rounds, more for the headers part where its interval needs them: see the line under each table)`;
  noteLast(
    headerTables,
    `${processes}; "x bare" and "x floor" are the medians of the per-round ratios to the bare server and to the floor measured in the same round, "x floor, 95% interval" a distribution-free 95% confidence interval of that median (order statistics of the rounds), and the (CPU) columns the same for CPU time per request (the reference's over the stack's: the throughput a saturated server would keep). A full run adds rounds, up to ${PLAN.maxRounds}, until the intervals of bulwark's ratios to the floor are narrower than ${INTERVAL_GOAL}. Limits are far above what a run sends, so no request is rejected (a run with any non-2xx fails). Every server runs the built package (dist/), as users do. Targets: bulwark's protect() (security headers + memory rate limit in one middleware or hook) >= 0.95x the floor on every framework, and >= 2x the peers' stack on Fastify; the same two capabilities mounted as separate middlewares are measured beside it.`,
  );
  noteLast(
    corsTables,
    `${processes}, each round running both kinds of request. Every CORS stack is configured alike: origins ${CORS_OPTIONS.origins.join(', ')} (the requests come from ${CORS_OPTIONS.requestOrigin}), no credentials, methods ${CORS_OPTIONS.methods.join(', ')}, exposed headers ${CORS_OPTIONS.exposedHeaders.join(', ')}, maxAge ${CORS_OPTIONS.maxAge}, requested headers reflected; @koa/cors, which takes one origin or a function, gets a function over the same list. The app answers OPTIONS /status 204 itself (the bare row's preflight answer; the CORS stacks answer before it). Before and after the rounds each stack's answers are checked (the simple GET: 200, the origin allowed, the exposed headers; the preflight: 204 with the methods, the requested headers and maxAge; bare: no CORS headers), and every response of a run must carry the expected status, so no stack is timed doing less. "x bare" and "x peer" are medians of the per-round ratios to the bare server and to the framework's CORS package measured in the same round ("x peer, rounds": the lowest and highest round), and the (CPU) columns the same for CPU time per request. Targets: bulwark cors >= 1.0x the framework's CORS package, for both kinds of request, on every framework.`,
  );
  const charts: Chart[] = [
    ...(bars.length > 0
      ? [
          {
            file: 'http',
            title: 'HTTP throughput relative to the bare framework',
            unit: 'x bare, same round',
            bars,
          },
        ]
      : []),
    ...(corsBars.length > 0
      ? [
          {
            file: 'http-cors',
            title: 'CORS throughput relative to the bare framework',
            unit: 'x bare, same round',
            bars: corsBars,
          },
        ]
      : []),
  ];
  noteLast(
    allocTables,
    `Each stack in its own server process${PIN ? ` pinned to core ${CORES - 1}` : ''}, run with --expose-gc and 128 MB semi-spaces, warmed up with ${ALLOC_PLAN.warmup} requests; then, ${ALLOC_PLAN.samples} time(s), the server collects garbage, serves ${ALLOC_PLAN.requests} requests (autocannon, ${CONNECTIONS} connections) with no collection in between (a sample with one is repeated with half as many), and reports its heap growth. bytes/request is the median sample, range the lowest and highest. JavaScript heap only: socket buffers and other native memory are not counted.`,
  );
  emit({
    group: 'HTTP',
    tables: [...headerTables, ...corsTables, ...allocTables],
    charts,
    targets,
  });
}

await main();
