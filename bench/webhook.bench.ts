// Webhook verification and body reading, bulwark beside the libraries users would pick
// instead, in one run: `npx tsx bench/webhook.bench.ts [--quick|--smoke] [--json=file]`.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { Readable } from 'node:stream';
import { verify as octokitVerify } from '@octokit/webhooks-methods';
import getRawBody from 'raw-body';
import { Webhook } from 'standardwebhooks';
import { createWebhookVerifier, readLimitedBody, signWebhook } from 'bulwark';
import {
  benchMode,
  formatRate,
  formatRatio,
  formatSpread,
  measure,
  measureOptions,
  progressTo,
} from './lib/measure.js';
import type { BenchCase } from './lib/measure.js';
import { emit } from './lib/report.js';
import type { Table, Target } from './lib/report.js';

const options = measureOptions(benchMode());
const progress = progressTo('webhook');
const sizeLabel = (size: number): string => (size >= 1024 ? `${size / 1024} KiB` : `${size} B`);
const SECRET = "It's a Secret to Everybody";
const SW_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

function jsonBody(size: number): Buffer {
  const pad = 'x'.repeat(Math.max(0, size - 12));
  return Buffer.from(JSON.stringify({ pad }).slice(0, size).padEnd(size, ' '));
}

const targets: Target[] = [];

async function verification(size: number): Promise<Table> {
  const body = jsonBody(size);
  const text = body.toString();
  const header = signWebhook(body, SECRET, { scheme: 'github' })['X-Hub-Signature-256'] ?? '';
  const headers = { 'x-hub-signature-256': header, 'x-github-delivery': 'd-1' };
  const bulwarkGithub = createWebhookVerifier({ scheme: 'github', secret: SECRET });
  const bulwarkMc = createWebhookVerifier({ secret: SECRET });

  const sw = signWebhook(body, SW_SECRET, { scheme: 'standard-webhooks', deliveryId: 'msg_1' });
  const swHeaders = Object.fromEntries(Object.entries(sw).map(([k, v]) => [k, v]));
  const swBulwark = createWebhookVerifier({
    scheme: 'standard-webhooks',
    secret: SW_SECRET,
    replay: false,
  });
  const swPeer = new Webhook(SW_SECRET);
  const swKey = Buffer.from(SW_SECRET.slice('whsec_'.length), 'base64');

  const cases: BenchCase[] = [
    {
      // The floor: what any HMAC verifier must do (decode the hex, hash, compare).
      name: 'node:crypto floor (HMAC + timingSafeEqual)',
      run: () => {
        const claimed = Buffer.from(header.slice(7), 'hex');
        const digest = createHmac('sha256', SECRET).update(body).digest();
        return claimed.length === digest.length && timingSafeEqual(claimed, digest);
      },
    },
    {
      // The Standard Webhooks floor: the same for its signed content, `id.timestamp.body`,
      // with the key decoded from base64 and the signature base64 after `v1,`.
      name: 'node:crypto floor, standard-webhooks (HMAC of id.timestamp.body)',
      run: () => {
        const claimed = Buffer.from((sw['webhook-signature'] ?? '').slice(3), 'base64');
        const digest = createHmac('sha256', swKey)
          .update(`${sw['webhook-id'] ?? ''}.${sw['webhook-timestamp'] ?? ''}.`)
          .update(body)
          .digest();
        return claimed.length === digest.length && timingSafeEqual(claimed, digest);
      },
    },
    {
      name: 'bulwark github, verifySignature (sync)',
      run: () => bulwarkGithub.verifySignature({ body, headers }),
    },
    { name: 'bulwark github, verify (async)', run: () => bulwarkGithub.verify({ body, headers }) },
    {
      name: 'bulwark mission-control, verify (async)',
      run: () => bulwarkMc.verify({ body, headers }),
    },
    {
      name: '@octokit/webhooks-methods verify (async)',
      run: () => octokitVerify(SECRET, text, header),
    },
    {
      name: 'bulwark standard-webhooks, verifySignature',
      run: () => swBulwark.verifySignature({ body, headers: swHeaders }),
    },
    {
      name: 'standardwebhooks verify (jsonParse: false)',
      run: () => swPeer.verify(body, swHeaders, { jsonParse: false }),
    },
  ];
  // Every case must actually accept the delivery, or its rate means nothing.
  for (const c of cases) {
    const r = await c.run(0);
    const ok =
      r === true ||
      r === undefined ||
      (typeof r === 'object' && r !== null && 'ok' in r && r.ok === true);
    if (!ok) throw new Error(`${c.name} did not accept the delivery`);
  }
  const results = await measure(cases, options, progress);
  const floor = results[0]?.opsPerSec ?? 1;
  const swFloor = results[1]?.opsPerSec ?? 1;
  const floorOf = (name: string): number => (name.includes('standard') ? swFloor : floor);
  const octokit = results.find((r) => r.name.startsWith('@octokit'))?.opsPerSec ?? 1;
  const swPeerRate = results.find((r) => r.name.startsWith('standardwebhooks'))?.opsPerSec ?? 1;
  for (const name of [
    'bulwark github, verifySignature (sync)',
    'bulwark standard-webhooks, verifySignature',
  ])
    targets.push({
      label: `Webhook ${sizeLabel(size)}: ${name.slice('bulwark '.length)} vs its node:crypto floor`,
      ratio: (results.find((r) => r.name === name)?.opsPerSec ?? 0) / floorOf(name),
      goal: 0.9,
    });
  const rows = results.map((r) => [
    r.name,
    formatRate(r.opsPerSec),
    formatSpread(r),
    formatRatio(r.opsPerSec, floorOf(r.name)),
    r.name.startsWith('node:crypto')
      ? ''
      : formatRatio(r.opsPerSec, r.name.includes('standard') ? swPeerRate : octokit),
  ]);
  return {
    title: `Webhook verification, ${sizeLabel(size)} body`,
    columns: ['case', 'verifications/s', 'spread', 'x node:crypto floor', 'x peer'],
    rows,
    notes: [
      'Each row is compared with the floor for its scheme (HMAC of the body for GitHub, of `id.timestamp.body` for Standard Webhooks) and with its peer: @octokit/webhooks-methods for GitHub, standardwebhooks for Standard Webhooks. Target: bulwark >= 0.9x the floor.',
    ],
  };
}

async function bodyReading(size: number): Promise<Table> {
  const chunk = 16 * 1024;
  const chunks: Buffer[] = [];
  for (let at = 0; at < size; at += chunk)
    chunks.push(Buffer.alloc(Math.min(chunk, size - at), 97));
  const headers = { 'content-length': String(size), 'content-type': 'application/json' };
  const stream = () => Object.assign(Readable.from(chunks), { headers });
  const cases: BenchCase[] = [
    { name: 'bulwark readLimitedBody', run: () => readLimitedBody(stream(), { limit: 1_048_576 }) },
    { name: 'raw-body', run: () => getRawBody(stream(), { limit: 1_048_576, length: size }) },
  ];
  const results = await measure(cases, options, progress);
  const peer = results[1]?.opsPerSec ?? 1;
  const rows = results.map((r) => [
    r.name,
    formatRate(r.opsPerSec),
    formatSpread(r),
    `${((r.opsPerSec * size) / 1024 / 1024).toFixed(0)} MiB/s`,
    formatRatio(r.opsPerSec, peer),
  ]);
  return {
    title: `Body reading, ${sizeLabel(size)} in 16 KiB chunks`,
    columns: ['case', 'bodies/s', 'spread', 'throughput', 'x raw-body'],
    rows,
  };
}

const tables: Table[] = [];
for (const size of [1024, 64 * 1024]) tables.push(await verification(size));
for (const size of [1024, 64 * 1024, 1024 * 1024]) tables.push(await bodyReading(size));
emit({ group: 'Webhooks', tables, charts: [], targets });
