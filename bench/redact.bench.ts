/**
 * Redaction beside fast-redact and @pinojs/redact (pino's redactors) on the same object and
 * paths, plus redactText and wrapExternalData throughput and the safe-logger overhead.
 *
 *   npx tsx bench/redact.bench.ts [--quick|--smoke] [--json=file]
 */
import pinoRedact from '@pinojs/redact';
import pino from 'pino';
import fastRedact from 'fast-redact';
import {
  createFence,
  createRedactor,
  createSafeLogger,
  redact,
  redactText,
  wrapExternalData,
} from 'bulwark';
import {
  benchMode,
  formatRate,
  formatRatio,
  formatSpread,
  lastResult,
  measure,
  measureOptions,
  progressTo,
} from './lib/measure.js';
import type { BenchCase, BenchResult } from './lib/measure.js';
import { emit } from './lib/report.js';
import type { Table } from './lib/report.js';

const mode = benchMode();
const options = measureOptions(mode);
const progress = progressTo('redact');
const cases = (list: readonly (readonly [string, () => unknown])[]): BenchCase[] =>
  list.map(([name, run]) => ({ name, run }));

function rateTable(title: string, rows: readonly BenchResult[], baseline: string): Table {
  const base = rows.find((r) => r.name === baseline)?.opsPerSec ?? 0;
  return {
    title,
    columns: ['case', 'ops/s', 'spread', `x ${baseline}`],
    rows: rows.map((r) => [
      r.name,
      formatRate(r.opsPerSec),
      formatSpread(r),
      formatRatio(r.opsPerSec, base),
    ]),
  };
}

function throughputTable(title: string, rows: readonly BenchResult[], bytes: number): Table {
  return {
    title,
    columns: ['case', 'MB/s', 'spread'],
    rows: rows.map((r) => [
      r.name,
      ((bytes * r.opsPerSec) / (1 << 20)).toFixed(1),
      formatSpread(r),
    ]),
  };
}

const tables: Table[] = [];

const PATHS = ['token', 'gateway.token', 'agents[*].token'];

function gatewayObject(): Record<string, unknown> {
  return {
    id: 'f4c1a3e2-8b7d-4e19-9a55-0c2b7d1e6f30',
    name: 'production gateway',
    token: 'gw_live_9f8e7d6c5b4a39281706f5e4d3c2b1a0',
    organization_id: 'org_42',
    gateway: {
      url: 'wss://gateway.example.com/ws',
      token: 'gwtok_0123456789abcdef0123456789abcdef',
      region: 'eu-west-1',
      created_at: '2026-01-01T00:00:00.000Z',
    },
    agents: Array.from({ length: 20 }, (_, i) => ({
      id: `agent-${i}`,
      name: `Agent ${i}`,
      board_id: `board-${i % 4}`,
      token: `agt_${i}_5f4e3d2c1b0a9f8e7d6c5b4a`,
      status: i % 3 === 0 ? 'online' : 'offline',
      last_seen_at: '2026-11-20T10:00:00.000Z',
      capabilities: ['read', 'write'],
    })),
  };
}

const obj = gatewayObject();

// Parity check before timing: the same output from every library (censor mode).
const bulwarkCensor = createRedactor({ paths: PATHS, mode: 'censor' });
const bulwarkFlag = createRedactor({ paths: PATHS });
const fr = fastRedact({ paths: PATHS, censor: '[REDACTED]' });
const pr = pinoRedact({ paths: PATHS, censor: '[REDACTED]' });
const expected = JSON.stringify(redact(obj, { paths: PATHS, mode: 'censor' }));
for (const [name, out] of [
  ['bulwark createRedactor', bulwarkCensor.stringify(obj)],
  ['fast-redact', fr(obj)],
  ['@pinojs/redact', pr(obj)],
] as const) {
  if (out !== expected) throw new Error(`${name} disagrees with redact(): ${JSON.stringify(out)}`);
}

const rows = await measure(
  cases([
    ['JSON.stringify (no redaction, for scale)', () => JSON.stringify(obj)],
    ['bulwark createRedactor().stringify (censor)', () => bulwarkCensor.stringify(obj)],
    ['bulwark createRedactor().stringify (flag)', () => bulwarkFlag.stringify(obj)],
    [
      'bulwark JSON.stringify(createRedactor()(obj)) (deep copy)',
      () => JSON.stringify(bulwarkCensor(obj)),
    ],
    [
      'bulwark JSON.stringify(redact(obj, opts))',
      () => JSON.stringify(redact(obj, { paths: PATHS, mode: 'censor' })),
    ],
    ['fast-redact', () => fr(obj)],
    ['@pinojs/redact', () => pr(obj)],
  ]),
  options,
  progress,
);
const fastRedactRate = rows.find((r) => r.name === 'fast-redact')?.opsPerSec ?? 0;
const pinoRedactRate = rows.find((r) => r.name === '@pinojs/redact')?.opsPerSec ?? 0;
const ourRate =
  rows.find((r) => r.name === 'bulwark createRedactor().stringify (censor)')?.opsPerSec ?? 0;
tables.push({
  ...rateTable(
    'Redact a gateway object with 20 agents to JSON (paths token, gateway.token, agents[*].token)',
    rows,
    'fast-redact',
  ),
  notes: ['Target: bulwark createRedactor().stringify at least as fast as both.'],
});

// The matching features fast-redact lacks (`**`, key styles, patterns), beside fast-redact
// given every concrete path that the feature saves writing out.
const anyDepth = createRedactor({ paths: ['**.token'], mode: 'censor' });

function styledObject(): Record<string, unknown> {
  return {
    id: 'f4c1a3e2-8b7d-4e19-9a55-0c2b7d1e6f30',
    api_key: 'k_live_0123456789abcdef',
    headers: { 'X-Api-Key': 'k_live_fedcba9876543210', accept: 'application/json' },
    agents: Array.from({ length: 20 }, (_, i) => ({
      id: `agent-${i}`,
      name: `Agent ${i}`,
      accessToken: `at_${i}_5f4e3d2c1b0a9f8e7d6c5b4a`,
      status: i % 3 === 0 ? 'online' : 'offline',
    })),
    oauth: { access_token: 'at_root', 'Client-Secret': 'cs_0123456789', scope: 'read' },
  };
}
const styled = styledObject();
const STYLED_PATHS = [
  'api_key',
  'headers["X-Api-Key"]',
  'agents[*].accessToken',
  'oauth.access_token',
  'oauth["Client-Secret"]',
];
const crossStyle = createRedactor({
  fields: ['apiKey', 'x-api-key', 'accessToken', 'clientSecret'],
  caseInsensitive: true,
  mode: 'censor',
});
const byPattern = createRedactor({ fields: [/token|secret|key/i], mode: 'censor' });
const frStyled = fastRedact({ paths: STYLED_PATHS, censor: '[REDACTED]' });
const styledExpected = JSON.stringify(redact(styled, { paths: STYLED_PATHS, mode: 'censor' }));
for (const [name, out, want] of [
  ['bulwark **.token', anyDepth.stringify(obj), expected],
  ['bulwark caseInsensitive fields', crossStyle.stringify(styled), styledExpected],
  ['bulwark pattern fields', byPattern.stringify(styled), styledExpected],
  ['fast-redact (styled paths)', frStyled(styled), styledExpected],
] as const) {
  if (out !== want) throw new Error(`${name} disagrees with redact(): ${JSON.stringify(out)}`);
}
const FR_EXPLICIT = 'fast-redact, the 3 paths written out (it cannot express **)';
const globRows = await measure(
  cases([
    ['bulwark stringify, paths **.token (censor)', () => anyDepth.stringify(obj)],
    ['bulwark stringify, the 3 paths written out (censor)', () => bulwarkCensor.stringify(obj)],
    [FR_EXPLICIT, () => fr(obj)],
  ]),
  options,
  progress,
);
tables.push(rateTable('Any depth: paths **.token on the gateway object', globRows, FR_EXPLICIT));
const FR_SPELLINGS = 'fast-redact, the 5 spellings as paths';
const styleRows = await measure(
  cases([
    [
      'bulwark stringify, caseInsensitive fields apiKey, x-api-key, accessToken, clientSecret',
      () => crossStyle.stringify(styled),
    ],
    [
      'bulwark stringify, fields [one RegExp: token, secret or key]',
      () => byPattern.stringify(styled),
    ],
    [FR_SPELLINGS, () => frStyled(styled)],
  ]),
  options,
  progress,
);
tables.push(
  rateTable(
    'Key styles and patterns: 20 agents, secrets spelt api_key, X-Api-Key, accessToken, access_token, Client-Secret',
    styleRows,
    FR_SPELLINGS,
  ),
);

// redactText throughput: a realistic log mix and a worst case of near-misses.
const MB = 1 << 20;
const logLine =
  '2026-11-20T10:00:00Z info GET /api/v1/boards/42/tasks?page=2 200 12ms ua="curl/8" ' +
  'agent=agent-7 connect redis://default:pw@cache:6379 token=abc123 ok\n';
const logText = logLine.repeat(Math.ceil(MB / logLine.length)).slice(0, MB);
const cleanLine = '2026-11-20T10:00:00Z info GET /api/v1/boards/42 200 12ms user=7 ok\n';
const cleanText = cleanLine.repeat(Math.ceil(MB / cleanLine.length)).slice(0, MB);
const nearMiss = 'eyJa.ghp_x token sk_ a://b '.repeat(Math.ceil(MB / 27)).slice(0, MB);
const slow = measureOptions(mode, 3);
const textRows = await measure(
  cases([
    ['redactText, 1 MB log with secrets', () => redactText(logText)],
    ['redactText, 1 MB log without secrets', () => redactText(cleanText)],
    ['redactText, 1 MB of near-misses', () => redactText(nearMiss)],
  ]),
  slow,
  progress,
);
tables.push(throughputTable('redactText throughput (1 MB inputs)', textRows, MB));

const payload = JSON.stringify(gatewayObject(), null, 2).repeat(40);
const fenceRows = await measure(
  cases([
    ['wrapExternalData, string', () => wrapExternalData(payload)],
    [
      'wrapExternalData, string, datamark + nonce',
      () => wrapExternalData(payload, { datamark: true, nonce: true }),
    ],
    ['wrapExternalData, string, base64', () => wrapExternalData(payload, { encoding: 'base64' })],
    [
      'wrapExternalData, string, base64 + datamark + nonce',
      () => wrapExternalData(payload, { encoding: 'base64', datamark: true, nonce: true }),
    ],
  ]),
  slow,
  progress,
);
tables.push(
  throughputTable(
    `wrapExternalData throughput (${(payload.length / 1024).toFixed(0)} KB input)`,
    fenceRows,
    payload.length,
  ),
);

// Field allow-lists on objects: per-call compilation against createFence, and the cost of the
// full JSON rendering they replace. Throughput is per KB of the unfiltered JSON.
const gateways = Array.from({ length: 40 }, gatewayObject);
const gatewaysJson = JSON.stringify(gateways, null, 2).length;
const ALLOWED = ['[*].name', '[*].agents[*].name', '[*].agents[*].status'];
const allowFence = createFence({ allowedFields: ALLOWED });
const allowBase64 = createFence({ allowedFields: ALLOWED, encoding: 'base64', nonce: true });
const objectFenceRows = await measure(
  cases([
    ['wrapExternalData, object (all fields)', () => wrapExternalData(gateways)],
    [
      'wrapExternalData, object, allowedFields (compiled per call)',
      () => wrapExternalData(gateways, { allowedFields: ALLOWED }),
    ],
    ['createFence({ allowedFields }), object', () => allowFence(gateways)],
    ['createFence({ allowedFields, base64, nonce }), object', () => allowBase64(gateways)],
  ]),
  slow,
  progress,
);
tables.push(
  throughputTable(
    `wrapExternalData on objects (40 gateways, ${(gatewaysJson / 1024).toFixed(0)} KB as JSON)`,
    objectFenceRows,
    gatewaysJson,
  ),
);

// Safe logger overhead when nothing needs redacting: a console-shaped logger that does nothing,
// so only the wrapper's cost is measured.
let sinkArgs: unknown;
const noop = {
  info: (...args: unknown[]): void => {
    sinkArgs = args;
  },
};
const safe = createSafeLogger(noop);
const fields = { board_id: 'board-1', status: 200, duration_ms: 12, path: '/api/v1/boards/1' };
const logRows = await measure(
  cases([
    [
      'bare logger.info(obj, msg)',
      () => {
        noop.info(fields, 'request handled');
      },
    ],
    [
      'createSafeLogger(logger).info(obj, msg), clean',
      () => {
        safe.info(fields, 'request handled');
      },
    ],
    [
      'createSafeLogger(logger).info(obj, msg), with a token',
      () => {
        safe.info({ ...fields, token: 'abc' }, 'request handled');
      },
    ],
  ]),
  options,
  progress,
);
tables.push(rateTable('Safe logger overhead (no-op sink)', logRows, 'bare logger.info(obj, msg)'));

// The same through a real pino writing to /dev/null: the overhead in proportion to real work.
const realPino = pino(pino.destination({ dest: '/dev/null', sync: true }));
const safePino = createSafeLogger(realPino);
const pinoRows = await measure(
  cases([
    [
      'pino.info(obj, msg)',
      () => {
        realPino.info(fields, 'request handled');
      },
    ],
    [
      'createSafeLogger(pino).info(obj, msg), clean',
      () => {
        safePino.info(fields, 'request handled');
      },
    ],
    [
      'createSafeLogger(pino).info(obj, msg), with a token',
      () => {
        safePino.info({ ...fields, token: 'abc' }, 'request handled');
      },
    ],
  ]),
  options,
  progress,
);
tables.push(rateTable('Safe logger overhead (pino to /dev/null)', pinoRows, 'pino.info(obj, msg)'));
if (sinkArgs === lastResult() && sinkArgs === Symbol.for('never')) console.log(sinkArgs);
emit({
  group: 'Redaction, text scrubbing and fences',
  tables,
  charts: [],
  targets: [
    {
      label: 'createRedactor().stringify vs fast-redact (gateway object)',
      ratio: fastRedactRate > 0 ? ourRate / fastRedactRate : 0,
      goal: 1,
    },
    {
      label: 'createRedactor().stringify vs @pinojs/redact (gateway object)',
      ratio: pinoRedactRate > 0 ? ourRate / pinoRedactRate : 0,
      goal: 1,
    },
  ],
});
