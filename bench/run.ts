// `npm run bench [-- --quick|--smoke] [--out=dir] [--only=rate-limit,http]`: every benchmark
// group in its own child process (so one group's garbage and JIT state cannot colour the
// next), then bench/RESULTS.md with every table and SVG bar charts of the comparisons.
// Groups run one after another, except in --smoke mode (a correctness check of this code,
// not a measurement), where they run side by side to finish sooner.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { builtEnv, ensureBuilt } from './lib/built.js';
import { benchMode } from './lib/measure.js';
import { markdownTable } from './lib/report.js';
import type { GroupReport, Target } from './lib/report.js';
import { barChart } from './lib/svg.js';

const GROUPS = ['rate-limit', 'abuse', 'webhook', 'redact', 'http'] as const;
const PEERS = [
  'express',
  'koa',
  'fastify',
  'ioredis',
  'rate-limiter-flexible',
  'express-rate-limit',
  '@octokit/webhooks-methods',
  'standardwebhooks',
  'svix',
  'discord-interactions',
  'twilio',
  'fast-redact',
  '@pinojs/redact',
  'pino',
  'raw-body',
  'helmet',
  'koa-helmet',
  'koa-ratelimit',
  '@fastify/helmet',
  '@fastify/rate-limit',
  'cors',
  '@koa/cors',
  '@fastify/cors',
  'autocannon',
];

const root = fileURLToPath(new URL('..', import.meta.url));
const mode = benchMode();
const outArg = process.argv.find((a) => a.startsWith('--out='))?.slice('--out='.length);
const out = outArg ?? join(root, 'bench');
const onlyArg = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
const groups = GROUPS.filter((g) => onlyArg === undefined || onlyArg.split(',').includes(g));

function version(pkg: string): string {
  try {
    const json = JSON.parse(
      readFileSync(join(root, 'node_modules', pkg, 'package.json'), 'utf8'),
    ) as { version?: string };
    return json.version ?? '?';
  } catch {
    return 'not installed';
  }
}

function runGroup(group: string, jsonFile: string): Promise<GroupReport> {
  const script = join(root, 'bench', `${group}.bench.ts`);
  const args = ['--import', 'tsx', script, `--${mode}`, `--json=${jsonFile}`];
  return new Promise((resolve, reject) => {
    // Tables go to the child's stdout (dropped: they are in RESULTS.md); progress to stderr.
    const child = spawn(process.execPath, args, {
      cwd: root,
      env: builtEnv(),
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (code !== 0) {
        reject(new Error(`bench group ${group} failed (${signal ?? String(code)})`));
        return;
      }
      resolve(JSON.parse(readFileSync(jsonFile, 'utf8')) as GroupReport);
    });
  });
}

// What limits a target when it is missed, from profiling (node --cpu-prof) and Redis
// INFO commandstats on this machine; printed under the targets table for each missed one.
const LIMITS: readonly (readonly [prefix: string, why: string])[] = [
  [
    'RedisStore',
    "RedisStore and RateLimiterRedis both send one EVALSHA per decision through the same ioredis client, so the Node-side cost per call is the same machinery (an ioredis Command, its promise, RESP encoding: `writeUtf8String` is 13% of a CPU profile at 256 in flight and garbage collection 15%). In Redis, bulwark's scripts cost about 9.4 µs per call against 6.0 µs for rate-limiter-flexible's (INFO commandstats): they read Redis TIME and keep exact sliding-window, log or bucket state, where rate-limiter-flexible increments a fixed-window counter; the token bucket and fixed window are the cheapest. Neither process was saturated at 256 in flight (Redis near 40% of a core, the Node process a third idle): the two shared cores were. Sending a tick's decisions as one ioredis `pipeline()` from inside the store was tried and measured slower (34,000-39,000 against 45,000-50,000 decisions/s, A/B in one run), because the Pipeline object costs more than the writes it saves; it was not kept. The auto-pipelining row shows what ioredis's own batching gives. Reaching 1.5x would need a store-owned RESP writer on its own connection, bypassing ioredis.",
  ],
  [
    'MemoryStore',
    "express-rate-limit's MemoryStore counts a fixed window only (a Map lookup and an increment, with one timer sweeping all keys). Each bulwark decision also computes remaining, reset and retry-after exactly for its algorithm and moves the key to the fresh end of the least-recently-used list that bounds memory at maxKeys and reclaims idle keys without timers. With 100,000 keys round-robin every decision touches a cold entry and its list neighbours; the sliding log (the slowest, 0.88x-1.28x of express-rate-limit across runs, where the default sliding window stays at 1.2x-1.5x) also keeps up to 100,000 timestamps per key in this benchmark. Reading the clock, which exact windows need and a fixed-window sweep does not, costs about 53 ns per call on this virtual machine (kvm-clock), an eighth of a sliding-log decision. A second-chance (CLOCK) recency list that flags instead of moving was measured and not kept: with keys in round-robin every entry reaches the stale end flagged, so it saved nothing.",
  ],
  [
    'Combined limits',
    "Two limits keyed alike (10 a second and 100 a minute on one client IP) are one COMBINED script run per batch of requests: each policy's constants are sent once per batch, both limits' state sits in the client key's one hash (one HMGET, one HSET), and sliding windows that all admit are decided in one pass with no per-limit tables or closures in Lua; in Node, one promise step per store call. That took the 64-in-flight ratio from 0.36x to 0.70x (0.67x-0.71x), and 1 in flight, where the round trip dominates, to 0.80x: met. Under load both processes share the two cores. With INFO commandstats and process.cpuUsage on a quiet machine, a batch of 64 costs Redis about 6.3-7.3 µs per decision for one limit and 8.1-8.9 µs per request for two combined (1.3x), and Node about 4.5-5.6 µs against 5.8-8.4 µs: the second limit's state and decision, and the all-or-nothing bookkeeping (the refund path on a refusal, the per-limit decisions returned for the RateLimit headers). Separate runs of that loop measured 0.66x-0.86x; the benchmark's own run on the shared machine, 0.70x. The combined decision is well ahead of deciding the two limits one after the other (0.49x) and of rate-limiter-flexible's RateLimiterUnion against its own single limit (0.50x), which also counts in every limit when one refuses.",
  ],
  [
    'HTTP',
    "Read bulwark's rows against the floor row: one trivial middleware (a Fastify onRequest hook) setting the same five headers with no counting, the least any headers + rate-limit stack can cost. An earlier RESULTS.md said bulwark's stack sat at or near the floor; it did not (0.81x Express, 0.93x Koa, 0.80x Fastify in the full run before this one), and the floor row it leaned on (0.74x of bare on Fastify) was an outlier. Profiles (node --cpu-prof on a pinned server under autocannon, and the heap table below) found where the extra microseconds went, and this is what was cut. (1) The benchmark ran bulwark from its TypeScript sources through tsx, whose keepNames transform wraps every function created per request in a naming call: 2-3 µs per request, on bulwark's rows only. The servers now run dist/, as users do, and the run fails if they do not. (2) Two symbol properties added per request to Express's req and res (which marks had been applied, what was counted) turned those objects into dictionary-mode objects: about 3 KB allocated per request, and the likeliest reason the memory-backed stack once cost more CPU than the Redis-backed one. The marks now live in WeakMaps: Express's heap above the floor went from +4.9 KB to under +1 KB per request (Koa is at the floor, Fastify +1.1 to 1.3 KB). (3) Three router layers, middleware steps or hooks and, on Fastify, a routeOptions read per part: protect() applies headers, CORS and the rate limit from one, reading the route's config once; the separate middlewares are measured beside it. (4) No closure per counted request; Fastify's header names are lowered once, at compile time. (5) The two per-request marks (which headers a reply got, what a request was counted as) were WeakMap entries: cheap to write, but each is an ephemeron the garbage collector traces in every young-generation collection while the request lives, and a Fastify profile put the collector at 6.5% of protect()'s busy time against 2.5% for the floor. On Fastify they are now properties bulwark declares with decorateReply and decorateRequest, which Fastify sets in its constructors: protect()'s CPU ratio to the floor went from 0.88x in the previous full run to 0.96x in this one, and interleaved A/B runs of the same server measured 11% to 45% less server CPU per request in four rounds of four. Express and Koa have no such declaration, and a property added per request is what turned Express's objects into dictionary-mode objects, so their marks stay in WeakMaps: A/B runs on Koa with the marks as plain properties measured 0-12% less CPU, within this machine's noise, and with the one-entry-per-request variant (both marks in one WeakMap entry) no difference at all. What remains there is small and per request: the rate-limit decision (well under 1 µs), its two header strings, the two WeakMap marks, and the reads that keep a header the app set itself. The Fastify goal of 2x the peers needs bulwark above the floor's own ratio to the peers (1.3x-1.9x across runs here, 1.55x in this run, where the bare server measured 1.78x and protect() 1.73x): in this run 2x the peers is 1.12x of a bare Fastify server, faster than Fastify with nothing added, and in the run before, where bare measured 2.24x, it was within 12% of bare when the floor measured 23% below it. No stack that adds anything to Fastify reaches it on this machine. The servers and autocannon are pinned to separate cores, but the two cores are shared with the host: in this run a stack's rounds spread by 2x and more (see the range column), so even after 24 rounds the 95% intervals of the ratios to the floor stayed 0.07-0.26 wide, and the medians move by several hundredths between runs. Shorter interleaved A/B runs of the built package during this work put protect() at 0.86x-1.02x of the floor on Koa, 0.85x-0.93x on Fastify and 0.79x-0.87x on Express: the same picture, and as wide. In this run (one full `npm run bench`, every framework, each framework's servers started only for its own parts) protect() measured 1.08x of the floor on Fastify (1.05-1.17), 1.05x on Koa (0.93-1.09) and 1.02x on Hono (0.92-1.06), met; 0.95x on NestJS (0.88-0.97, just under at 0.949x) and 0.91x on Express (0.87-0.99), missed. The run before it, of the same code with every framework's servers alive at once (90 processes pinned to one core), measured 0.92x on Fastify, 1.04x on Koa, 0.94x on Hono, 0.94x on NestJS and 0.90x on Express, and a run of Fastify alone 1.13x: which servers share the core moved Fastify and Hono by more than anything cut in the code. The full run before those two, without the cuts in (9), measured 0.95x, 1.00x, 0.94x, 0.95x and 0.93x. (6) Koa went from 0.85x to 0.98x: its marks now live on the context (`ctx`, which every middleware and a mounted sub-app share) in two slots bulwark declares once on `app.context`, Koa's own place for additions to every context, and the handler that keeps bulwark's headers on error answers goes onto `app.context` once, in front of the `onerror` there, instead of a property added to every context; an admitted request whose limits settle nothing no longer allocates the two arrays of a settle call. (7) On Express neither alternative to the WeakMaps helped: the marks as properties of `req` and `res` cost 4-10% more server CPU in six interleaved A/B rounds, and kept in `res.locals` (a per-request dictionary Express already builds) the same as the WeakMaps. Express's floor costs 130-150 µs of server CPU per request here and bulwark adds 10-13 µs to it, of which the profile attributes about 6 µs to bulwark's own functions (the two WeakMap marks, the client-address read, the decision, the header writes and the reads that keep the app's own headers, and removing `X-Powered-By`) and the rest to the garbage collector and the response write, which move by as much between rounds of the same server. (8) On Hono served by @hono/node-server the counted mark is a property in a slot bulwark declares on node-server's own request prototype (the standard Request.prototype is never touched), protect() runs the rate limit inline in one async function, and no edit of an answer allocates a closure: 0.82x to 0.87x of the floor. The security headers and the rate limit's fields then fill the answer after one pass over the header names it carries, instead of a has() per header (each checks and lowers its name again in undici, about 80 ns): 0.90x to 0.94x in an interleaved A/B of eight rounds, and 0.94x in this run. On NestJS the guard pipeline itself costs about 3% (bulwark's guard returning true at once measured 0.97x of the floor's CPU in an A/B); the rest is the rate limit's own work inside the guard, dearer on Nest's heavier request path than in a loop of its own (10-14 µs against under 2 µs). The guard stopped reading a `raw` property Express's objects lack and building a route's list of checks per request: 0.87x to 0.90x. (9) On Express (and Nest's Express platform) `removePoweredBy` now turns Express's own `x-powered-by` setting off on the app serving the request, so Express no longer writes the header bulwark then removed on every request, and a response that carries no header yet (the first middleware's usual case) gets the security headers after one `getHeaderNames()` instead of a `getHeader()` per header and a read of an earlier layer's mark; a direct IPv4 peer equal to the last one seen skips `isIPv4`'s pattern. By profile (own time of the middleware, next() excluded) bulwark's Express middleware does about 6.7 µs of work per request against the floor's 1.6 µs, spread over some twenty items of 0.1-1.2 µs: the two WeakMap marks (a loop that builds Express's request and response objects puts two entries at about 0.5 µs), five header writes and their validation, the client-address read, the decision and its header strings.",
  ],
  [
    'CORS',
    "bulwark's cors and the three packages do the same work per request: one lookup of the Origin in the allowed list (a Map in bulwark, a short array scan in cors and @fastify/cors, a function over a Set for @koa/cors) and three to six response headers. That is a few percent of a small request (the CORS code's own time was 1-8% of the server's CPU in profiles of every stack), so the ratio to the peer sits near 1.0 and a run can land on either side of it. In a focused A/B on this machine (10 interleaved rounds of 2 s per stack) bulwark measured 0.97x (Express), 0.99x (Koa) and 1.01x (Fastify) of the package on the simple GET and 1.01x, 0.97x and 0.96x on the preflight, while the bare server, with no CORS at all, measured 0.95x-1.04x of the same packages: the per-round ratios of one pair spread by 10-25%, more when the machine is busy (see the x peer, rounds column). The one cost bulwark has that the packages do not is on preflights: it checks the requested headers (Access-Control-Request-Headers: each name an HTTP token, lower-cased, listed once, at most 64) before reflecting them, where the packages reflect the header as sent. That check is about 0.3 µs of a 0.5 µs preflight decision (30 ns with allowedHeaders given as a fixed list), 0.5-1% of the server CPU of a Koa or Fastify preflight here. On NestJS the difference is where CORS runs, not what it does. Nest's enableCors() puts the cors package in front of everything, so a preflight is answered before Nest's body parsers and the app's own middleware. bulwark's module runs CORS after them, on purpose: the conformance suite holds every framework to the order the app mounts, so an app middleware that sets Vary or a header runs first, and CORS merges into it. A preflight therefore passes Nest's parsers first: this run's bulwark preflight measured 1.07x of Nest's own bare OPTIONS route and 0.89x of enableCors(), which measured 1.19x of that route. The module's CORS became a plain Express middleware instead of a route of Nest's middleware consumer (matched against each path and wrapped in a promise): the simple GET from 0.85x to 1.00x of enableCors() between full runs, and the preflight from 0.85x to 0.89x-0.93x.",
  ],
  [
    'Webhook',
    "An HMAC verification is one HMAC over the body with a key decoded once, plus a constant-time compare. At 1 KiB that floor takes 3.3-5 µs here (2-2.6 µs for GitLab, one SHA-256 of a short token), so 0.95x leaves 0.15-0.25 µs for everything else a verifier must do, and bulwark spends 0.3-1.2 µs depending on the scheme. CPU profiles (node --cpu-prof) of each prepared verifier in a loop put that time in many steps of 60-300 ns, none dominant: reading and bounding each header (GitHub and Slack read two, Standard Webhooks three, Twilio four), decoding the claimed digest, the clock read of the timestamp check (about 60 ns), the parse result and the verdict objects, and the garbage they make (about a tenth of a profile, against the floor's own digest buffers). What was cut while these rows were added: the printable-character check on signature headers whose decoder accepts only its own alphabet (about 90 ns a header), Stripe's split-and-trim of its header (walked in place now), the custom scheme's two replaceAll calls per delivery (its template is compiled into pieces), a context object per parse, and, on Twilio, the second HMAC-SHA1 for the port variant (now computed only when the URL as configured fails) and a Map of Sets per form (the parsed pairs are sorted once): Twilio went from 0.55x-0.61x to 0.86x-0.88x, 1.1x twilio's own validateRequest. The one-shot verifyWebhook() looks its prepared verifier up by the secret and the scheme (and replay) without building a key, and now measures the same as the prepared verifier. What remains is the checks that turn malformed input into a clean 403 and keep control characters out of delivery ids, and they were kept. Across the full webhook runs of this round the HMAC rows landed at 0.77x-0.92x (GitHub 0.79x-0.88x, Slack 0.85x-0.90x, Shopify 0.84x-0.91x, Stripe 0.77x-0.90x, Standard Webhooks 0.78x-0.82x, GitLab 0.74x-1.06x), with rounds of one case spreading by 20-70% on this shared machine, so no HMAC row except GitLab's is shown at 0.95x here. Part of the gap is this benchmark's own process: it verifies ten schemes and runs four peer libraries side by side, so the verifier's calls into the scheme, the header reads and the delivery reads see many shapes. Deliveries and schemes are now built with one shape each, but the header objects still differ per scheme. The same GitHub verifier measured 0.98x-1.09x of the same floor in a loop of its own and 0.88x-1.00x after the other nine schemes had run in that process. Ed25519 verification (about 90 µs) is at its floor (0.98x-1.00x), and bulwark's discord verifier is 2.2x-3.0x discord-interactions' verifyKey, which imports the hex key through WebCrypto on every call (1.4x given a CryptoKey imported once). At 64 KiB the hash dominates and every ratio is about 1.",
  ],
  [
    'createRedactor',
    'Both produce the same JSON. bulwark copies only the objects along the paths and lets the native JSON.stringify do the rest; fast-redact compiles the paths into generated code (bulwark must also run with code generation from strings disabled). The two are within the noise of each other on this machine: across runs the ratio moved between about 0.9x and 1.2x, with rounds spreading by up to ±25%.',
  ],
];

function targetsSection(targets: readonly Target[]): string {
  if (targets.length === 0) return '';
  // A ratio just under its goal gets a third decimal, so a missed target never reads 1.00x.
  const shown = (t: Target): string =>
    t.ratio < t.goal && Number(t.ratio.toFixed(2)) >= t.goal
      ? t.ratio.toFixed(3)
      : t.ratio.toFixed(2);
  const rows = targets.map((t) => [
    t.label,
    `${shown(t)}x`,
    `>= ${t.goal}x`,
    t.ratio >= t.goal ? 'met' : '**missed**',
  ]);
  const missed = targets.filter((t) => t.ratio < t.goal);
  const why = LIMITS.filter(([prefix]) => missed.some((t) => t.label.startsWith(prefix))).map(
    ([prefix, text]) => `- ${prefix}: ${text}`,
  );
  return [
    markdownTable({
      title: 'Targets (ratios measured side by side in this run)',
      columns: ['target', 'measured', 'goal', ''],
      rows,
    }),
    ...(why.length > 0 ? ['', '**What limits the missed targets**', '', ...why] : []),
    '',
  ].join('\n');
}

function machine(): string[] {
  const cpu = cpus();
  return [
    `- Date: ${new Date().toISOString()}`,
    `- Mode: ${mode}`,
    `- Machine: ${cpu[0]?.model ?? 'unknown CPU'}, ${cpu.length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ${process.platform} ${process.arch}`,
    `- Load average when the run started: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(', ')}`,
    `- Node ${process.version}; bulwark ${version('..')}`,
    `- Peers: ${PEERS.map((p) => `${p} ${version(p)}`).join(', ')}`,
  ];
}

async function main(): Promise<void> {
  ensureBuilt();
  const started = Date.now();
  const header = machine();
  const scratch = mkdtempSync(join(tmpdir(), 'bulwark-bench-'));
  const reports: GroupReport[] = [];
  try {
    const run = (g: string, i: number): Promise<GroupReport> => {
      process.stderr.write(`\n== [${i + 1}/${groups.length}] ${g} (${mode})\n`);
      return runGroup(g, join(scratch, `${g}.json`));
    };
    if (mode === 'smoke') reports.push(...(await Promise.all(groups.map(run))));
    else for (const [i, g] of groups.entries()) reports.push(await run(g, i));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  mkdirSync(out, { recursive: true });
  const sections: string[] = [];
  for (const report of reports) {
    const charts = report.charts.map((c) => {
      writeFileSync(join(out, `${c.file}.svg`), barChart(c));
      return `![${c.title}](${c.file}.svg)`;
    });
    sections.push(
      `## ${report.group}\n\n${charts.join('\n\n')}${charts.length > 0 ? '\n\n' : ''}${report.tables.map(markdownTable).join('\n\n')}`,
    );
  }
  const minutes = ((Date.now() - started) / 60_000).toFixed(1);
  const doc = [
    '# Benchmark results',
    '',
    `Generated by \`npm run bench${mode === 'full' ? '' : ` -- --${mode}`}\` in ${minutes} min. See docs/performance.md for what each number means and how to reproduce it.`,
    '',
    ...header,
    '',
    'The machine is shared with other developers running tests, so absolute numbers move from run to run. Compare the ratios: every ratio is between cases measured side by side in the same run, in interleaved rounds.',
    '',
    targetsSection(reports.flatMap((r) => r.targets)),
    ...sections.map((s) => `${s}\n`),
  ].join('\n');
  writeFileSync(join(out, 'RESULTS.md'), doc);
  process.stderr.write(`\nwrote ${join(out, 'RESULTS.md')} in ${minutes} min\n`);
}

await main();
