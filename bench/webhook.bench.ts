// Webhook verification and body reading, bulwark beside the libraries users would pick
// instead, in one run: `npx tsx bench/webhook.bench.ts [--quick|--smoke] [--json=file]`.
import {
  createHash,
  createHmac,
  generateKeyPairSync,
  timingSafeEqual,
  verify as cryptoVerify,
  webcrypto,
} from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { Readable } from 'node:stream';
import { verify as octokitVerify } from '@octokit/webhooks-methods';
import { verifyKey } from 'discord-interactions';
import getRawBody from 'raw-body';
import { Webhook } from 'standardwebhooks';
import { Webhook as SvixWebhook } from 'svix';
import twilio from 'twilio';
import { createWebhookVerifier, readLimitedBody, signWebhook, verifyWebhook } from 'bulwark';
import type { CustomWebhookScheme } from 'bulwark';
import { medianInterval } from './lib/interval.js';
import {
  benchMode,
  formatRate,
  formatRatio,
  formatSpread,
  measure,
  measureOptions,
  progressTo,
} from './lib/measure.js';
import type { BenchCase, BenchResult } from './lib/measure.js';
import { emit } from './lib/report.js';
import type { Table, Target } from './lib/report.js';

const mode = benchMode();
const options = measureOptions(mode);
// The verification tables take their ratios per round, so they use three times the rounds,
// each a third as long (the same time in all): a case and its floor are measured closer
// together, and the 95% interval of the median ratio narrows with the number of rounds.
const verifyOptions =
  mode === 'smoke'
    ? options
    : { ...options, rounds: options.rounds * 3, roundMs: options.roundMs / 3 };
const progress = progressTo('webhook');
const sizeLabel = (size: number): string => (size >= 1024 ? `${size / 1024} KiB` : `${size} B`);
const SECRET = "It's a Secret to Everybody";
const SECRET_KEY = Buffer.from(SECRET, 'utf8');
const SW_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const SW_KEY = Buffer.from(SW_SECRET.slice('whsec_'.length), 'base64');
const STRIPE_SECRET = 'whsec_test_5ecret0fTheStripeEndpoint';
// A GitLab secret token travels in a header, so it is printable ASCII without spaces.
const GITLAB_TOKEN = 'glwt-9f3c1a7e5b2d8f4a6c0e';
const TWILIO_TOKEN = '12345678901234567890123456789012';
const TWILIO_BASE = 'https://api.example.com';
const TWILIO_URL = `${TWILIO_BASE}/sms`;
// A Zoom-style scheme described as data: hex HMAC-SHA256 of `v0:{timestamp}:{body}`.
const ZOOM: CustomWebhookScheme = {
  name: 'zoom',
  signatureHeader: 'x-zm-signature',
  signaturePrefix: 'v0=',
  signed: 'v0:{timestamp}:{body}',
  timestampHeader: 'x-zm-request-timestamp',
};

function jsonBody(size: number): Buffer {
  const pad = 'x'.repeat(Math.max(0, size - 12));
  return Buffer.from(JSON.stringify({ pad }).slice(0, size).padEnd(size, ' '));
}

/** A Twilio SMS webhook's form parameters, its Body padded so the form is `size` bytes. */
function twilioForm(size: number): Buffer {
  const params = new URLSearchParams({
    ToCountry: 'US',
    ToState: 'CA',
    SmsMessageSid: 'SM4f8e1b0c2a3d4e5f60718293a4b5c6d7',
    NumMedia: '0',
    ToCity: 'SAN FRANCISCO',
    FromZip: '94105',
    SmsSid: 'SM4f8e1b0c2a3d4e5f60718293a4b5c6d7',
    FromState: 'CA',
    SmsStatus: 'received',
    FromCity: 'SAN FRANCISCO',
    FromCountry: 'US',
    To: '+14155550100',
    ToZip: '94105',
    NumSegments: '1',
    MessageSid: 'SM4f8e1b0c2a3d4e5f60718293a4b5c6d7',
    AccountSid: 'AC0123456789abcdef0123456789abcdef',
    From: '+14155550199',
    ApiVersion: '2010-04-01',
    Body: '',
  }).toString();
  return Buffer.from(params + 'x'.repeat(Math.max(0, size - params.length)));
}

/** Header names lower-cased, as Node hands them to a server. */
const lowered = (headers: Readonly<Record<string, string>>): Record<string, string> =>
  Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));

const header = (headers: Readonly<Record<string, string>>, name: string): string =>
  headers[name] ?? '';

const equal = (claimed: Buffer, digest: Buffer): boolean =>
  claimed.length === digest.length && timingSafeEqual(claimed, digest);

/** One of bulwark's rows, with the least it should reach against its floor or its peer. */
interface Ours extends BenchCase {
  /** Target against the section's node:crypto floor. */
  readonly floorGoal?: number;
  /** Target against the section's first peer. */
  readonly peerGoal?: number;
}

/** A scheme's rows: its floor first, then bulwark's rows, then the peers users would pick. */
interface Section {
  readonly floor: BenchCase;
  readonly ours: readonly Ours[];
  readonly peers?: readonly BenchCase[];
}

const targets: Target[] = [];

/** True when a case's result says the delivery was accepted. */
async function accepts(c: BenchCase): Promise<boolean> {
  const r = await c.run(0);
  return (
    r === true ||
    r === undefined ||
    (typeof r === 'object' && r !== null && 'ok' in r && r.ok === true)
  );
}

/**
 * Every case's rate in every round. Each round is one pass of `measure` over all cases in
 * turn, so a case and its floor are measured seconds apart and their ratio can be taken
 * per round: the rounds' ratios give a median and a distribution-free 95% interval, which
 * the ratio of two medians cannot.
 */
async function rounds(cases: readonly BenchCase[]): Promise<number[][]> {
  await measure(cases, { ...verifyOptions, rounds: 0 });
  const samples = cases.map(() => [] as number[]);
  for (let round = 1; round <= verifyOptions.rounds; round++) {
    const results = await measure(cases, { ...verifyOptions, rounds: 1, warmupMs: 0 }, (info) => {
      progress({ ...info, round, rounds: verifyOptions.rounds });
    });
    for (const [i, r] of results.entries()) samples[i]?.push(r.opsPerSec);
  }
  return samples;
}

function summary(name: string, values: readonly number[]): BenchResult {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median =
    sorted.length % 2 === 1
      ? (sorted[mid] ?? 0)
      : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
  return {
    name,
    opsPerSec: median,
    minOpsPerSec: sorted[0] ?? 0,
    maxOpsPerSec: sorted[sorted.length - 1] ?? 0,
  };
}

/** The median of the per-round ratios of `a` to `b`, and its 95% interval. */
function ratioOf(a: readonly number[], b: readonly number[]): { median: number; text: string } {
  const ratios = a.map((v, i) => v / (b[i] ?? Number.NaN));
  const median = summary('', ratios).opsPerSec;
  const [lo, hi] = medianInterval(ratios);
  return { median, text: `${median.toFixed(2)}x (${lo.toFixed(2)}-${hi.toFixed(2)})` };
}

/** Measures the sections side by side; returns their table and records their targets. */
async function sectionsTable(
  title: string,
  label: string,
  sections: readonly Section[],
  notes: readonly string[],
): Promise<Table> {
  const cases = sections.flatMap((s) => [s.floor, ...s.ours, ...(s.peers ?? [])]);
  // Every case must actually accept the delivery, or its rate means nothing.
  for (const c of cases) {
    if (!(await accepts(c))) throw new Error(`${c.name} did not accept the delivery`);
  }
  const samples = await rounds(cases);
  // And still accept it after the rounds (a signed timestamp must not have gone stale).
  for (const c of cases) {
    if (!(await accepts(c))) throw new Error(`${c.name} stopped accepting the delivery`);
  }
  const of = (c: BenchCase): number[] => samples[cases.indexOf(c)] ?? [];
  const rows: string[][] = [];
  for (const s of sections) {
    const floor = of(s.floor);
    const peer = s.peers?.[0];
    const row = (c: BenchCase, vsPeer: boolean): string[] => [
      c.name,
      formatRate(summary(c.name, of(c)).opsPerSec),
      formatSpread(summary(c.name, of(c))),
      c === s.floor ? '1.00x' : ratioOf(of(c), floor).text,
      vsPeer && peer !== undefined ? ratioOf(of(c), of(peer)).text : '',
    ];
    rows.push(row(s.floor, false));
    for (const c of s.ours) {
      rows.push(row(c, true));
      const name = c.name.slice('bulwark '.length);
      if (c.floorGoal !== undefined)
        targets.push({
          label: `Webhook ${label}: ${name} vs its node:crypto floor`,
          ratio: ratioOf(of(c), floor).median,
          goal: c.floorGoal,
        });
      if (c.peerGoal !== undefined && peer !== undefined)
        targets.push({
          label: `Webhook ${label}: ${name} vs ${peer.name}`,
          ratio: ratioOf(of(c), of(peer)).median,
          goal: c.peerGoal,
        });
    }
    for (const p of s.peers ?? []) rows.push(row(p, p !== peer));
  }
  return {
    title,
    columns: [
      'case',
      'verifications/s',
      'spread',
      'x floor (95% interval)',
      'x peer (95% interval)',
    ],
    rows,
    notes: [
      ...notes,
      `Rows are grouped by scheme: its node:crypto floor first, then bulwark, then the libraries users would pick instead. "x floor" and "x peer" are the medians of the per-round ratios to the scheme's floor and to its first peer measured in the same round, with a distribution-free 95% interval of that median (order statistics of the rounds); the targets use the same medians. ${verifyOptions.rounds} rounds of ${verifyOptions.roundMs} ms per case. Every case is checked to accept the delivery before and after the rounds.`,
    ],
  };
}

/** GitHub and mission-control: `sha256=<hex>` of the body, in X-Hub-Signature-256. */
function githubSection(body: Buffer, all: boolean, goal: number): Section {
  const headers = {
    'x-hub-signature-256':
      signWebhook(body, SECRET, { scheme: 'github' })['X-Hub-Signature-256'] ?? '',
    'x-github-delivery': 'd-1',
  };
  const sig = headers['x-hub-signature-256'];
  const text = body.toString();
  const github = createWebhookVerifier({ scheme: 'github', secret: SECRET });
  const mc = createWebhookVerifier({ secret: SECRET });
  return {
    // The floor: what any verifier of this scheme must do per delivery (decode the hex
    // from the header, hash, compare), with the key prepared once as bulwark prepares it.
    floor: {
      name: 'node:crypto floor, github and mission-control (HMAC-SHA256 of the body, hex)',
      run: () =>
        equal(
          Buffer.from(sig.slice(7), 'hex'),
          createHmac('sha256', SECRET_KEY).update(body).digest(),
        ),
    },
    ours: [
      {
        name: 'bulwark github, verifySignature (sync)',
        run: () => github.verifySignature({ body, headers }),
        floorGoal: goal,
      },
      { name: 'bulwark github, verify (async)', run: () => github.verify({ body, headers }) },
      ...(all
        ? [
            {
              // The one-shot call as users write it: a fresh options object per delivery,
              // so the scheme and the secret are prepared on every call.
              name: 'bulwark github, verifyWebhook one-shot (async)',
              run: () => verifyWebhook({ body, headers, scheme: 'github', secret: SECRET }),
              floorGoal: 0.9,
            },
            {
              name: 'bulwark mission-control, verifySignature (sync)',
              run: () => mc.verifySignature({ body, headers }),
              floorGoal: goal,
            },
          ]
        : [
            {
              name: 'bulwark mission-control, verify (async)',
              run: () => mc.verify({ body, headers }),
            },
          ]),
    ],
    peers: [
      {
        name: '@octokit/webhooks-methods verify (async)',
        run: () => octokitVerify(SECRET, text, sig),
      },
    ],
  };
}

/** Standard Webhooks v1: base64 HMAC-SHA256 of `id.timestamp.body`, `whsec_` key. */
function standardWebhooksSection(body: Buffer, all: boolean, goal: number): Section {
  const headers = lowered(
    signWebhook(body, SW_SECRET, { scheme: 'standard-webhooks', deliveryId: 'msg_1' }),
  );
  // Replay protection is on by default for this scheme; off here, so rows measure
  // verification (a replay store would refuse the second call of a loop anyway).
  const verifier = createWebhookVerifier({
    scheme: 'standard-webhooks',
    secret: SW_SECRET,
    replay: false,
  });
  const peer = new Webhook(SW_SECRET);
  const svix = new SvixWebhook(SW_SECRET);
  return {
    // The floor: the HMAC of `id.timestamp.body` with the key decoded from base64 once and
    // the signature decoded from the base64 after `v1,`.
    floor: {
      name: 'node:crypto floor, standard-webhooks v1 (HMAC-SHA256 of id.timestamp.body)',
      run: () =>
        equal(
          Buffer.from(header(headers, 'webhook-signature').slice(3), 'base64'),
          createHmac('sha256', SW_KEY)
            .update(`${header(headers, 'webhook-id')}.${header(headers, 'webhook-timestamp')}.`)
            .update(body)
            .digest(),
        ),
    },
    ours: [
      {
        name: 'bulwark standard-webhooks, verifySignature',
        run: () => verifier.verifySignature({ body, headers }),
        floorGoal: goal,
      },
      ...(all
        ? [
            {
              name: 'bulwark standard-webhooks, verifyWebhook one-shot (async, replay: false)',
              run: () =>
                verifyWebhook({
                  body,
                  headers,
                  scheme: 'standard-webhooks',
                  secret: SW_SECRET,
                  replay: false,
                }),
              floorGoal: 0.9,
            },
          ]
        : []),
    ],
    peers: [
      {
        name: 'standardwebhooks verify (jsonParse: false)',
        run: () => peer.verify(body, headers, { jsonParse: false }),
      },
      ...(all
        ? [
            {
              // svix's verify returns nothing and throws on a bad delivery.
              name: 'svix Webhook.verify',
              run: () => {
                svix.verify(body, headers);
                return true;
              },
            },
          ]
        : []),
    ],
  };
}

/** The HMAC schemes with no peer in this benchmark, each beside its own floor. */
function otherHmacSections(body: Buffer): Section[] {
  const stripe = lowered(signWebhook(body, STRIPE_SECRET, { scheme: 'stripe' }));
  const stripeKey = Buffer.from(STRIPE_SECRET, 'utf8');
  const slack = lowered(signWebhook(body, SECRET, { scheme: 'slack' }));
  const shopify = lowered(signWebhook(body, SECRET, { scheme: 'shopify' }));
  const gitlab = lowered(signWebhook(body, GITLAB_TOKEN, { scheme: 'gitlab' }));
  const gitlabDigest = createHash('sha256').update(GITLAB_TOKEN).digest();
  const zoom = lowered(signWebhook(body, SECRET, { scheme: ZOOM }));
  const verifier = (scheme: 'stripe' | 'slack' | 'shopify' | 'gitlab' | CustomWebhookScheme) =>
    createWebhookVerifier({
      scheme,
      secret: scheme === 'stripe' ? STRIPE_SECRET : scheme === 'gitlab' ? GITLAB_TOKEN : SECRET,
    });
  const v = {
    stripe: verifier('stripe'),
    slack: verifier('slack'),
    shopify: verifier('shopify'),
    gitlab: verifier('gitlab'),
    zoom: verifier(ZOOM),
  };
  const goal = 0.95;
  return [
    {
      // Stripe-Signature: t=<seconds>,v1=<hex>: the timestamp and the digest are cut from
      // the header at the comma, the HMAC covers `t.body`.
      floor: {
        name: 'node:crypto floor, stripe (HMAC-SHA256 of t.body)',
        run: () => {
          const h = header(stripe, 'stripe-signature');
          const comma = h.indexOf(',');
          return equal(
            Buffer.from(h.slice(comma + 4), 'hex'),
            createHmac('sha256', stripeKey)
              .update(`${h.slice(2, comma)}.`)
              .update(body)
              .digest(),
          );
        },
      },
      ours: [
        {
          name: 'bulwark stripe, verifySignature',
          run: () => v.stripe.verifySignature({ body, headers: stripe }),
          floorGoal: goal,
        },
      ],
    },
    {
      floor: {
        name: 'node:crypto floor, slack (HMAC-SHA256 of v0:timestamp:body)',
        run: () =>
          equal(
            Buffer.from(header(slack, 'x-slack-signature').slice(3), 'hex'),
            createHmac('sha256', SECRET_KEY)
              .update(`v0:${header(slack, 'x-slack-request-timestamp')}:`)
              .update(body)
              .digest(),
          ),
      },
      ours: [
        {
          name: 'bulwark slack, verifySignature',
          run: () => v.slack.verifySignature({ body, headers: slack }),
          floorGoal: goal,
        },
      ],
    },
    {
      floor: {
        name: 'node:crypto floor, shopify (HMAC-SHA256 of the body, base64)',
        run: () =>
          equal(
            Buffer.from(header(shopify, 'x-shopify-hmac-sha256'), 'base64'),
            createHmac('sha256', SECRET_KEY).update(body).digest(),
          ),
      },
      ours: [
        {
          name: 'bulwark shopify, verifySignature',
          run: () => v.shopify.verifySignature({ body, headers: shopify }),
          floorGoal: goal,
        },
      ],
    },
    {
      // GitLab sends the token itself: the floor hashes it to 32 bytes and compares in
      // constant time with the token's digest computed once (a plain === would leak, by
      // timing, how many leading characters a guess got right).
      floor: {
        name: 'node:crypto floor, gitlab (SHA-256 of the token)',
        run: () =>
          equal(
            createHash('sha256').update(header(gitlab, 'x-gitlab-token')).digest(),
            gitlabDigest,
          ),
      },
      ours: [
        {
          name: 'bulwark gitlab, verifySignature',
          run: () => v.gitlab.verifySignature({ body, headers: gitlab }),
          floorGoal: goal,
        },
      ],
    },
    {
      floor: {
        name: 'node:crypto floor, custom zoom (HMAC-SHA256 of v0:timestamp:body)',
        run: () =>
          equal(
            Buffer.from(header(zoom, 'x-zm-signature').slice(3), 'hex'),
            createHmac('sha256', SECRET_KEY)
              .update(`v0:${header(zoom, 'x-zm-request-timestamp')}:`)
              .update(body)
              .digest(),
          ),
      },
      ours: [
        {
          name: 'bulwark custom zoom, verifySignature',
          run: () => v.zoom.verifySignature({ body, headers: zoom }),
          floorGoal: goal,
        },
      ],
    },
  ];
}

/** Twilio: base64 HMAC-SHA1 of the public URL followed by the form's sorted parameters. */
function twilioSection(size: number): Section {
  const body = twilioForm(size);
  const headers = {
    ...lowered(signWebhook(body, TWILIO_TOKEN, { scheme: 'twilio', url: TWILIO_URL })),
    'content-type': 'application/x-www-form-urlencoded',
  };
  const key = Buffer.from(TWILIO_TOKEN, 'utf8');
  const verifier = createWebhookVerifier({
    scheme: 'twilio',
    secret: TWILIO_TOKEN,
    publicUrl: TWILIO_BASE,
  });
  const signature = header(headers, 'x-twilio-signature');
  return {
    // The floor parses the form and sorts its parameters on every call: the signature
    // covers the sorted parameters, which only the body's bytes give, so no verifier can
    // prepare them once (a floor over a precomputed string would measure a verifier that
    // never reads the body). It hashes the URL once, as signed; the form is parsed with
    // URLSearchParams, the same decoder bulwark uses.
    floor: {
      name: 'node:crypto floor, twilio (parse + sort the form, HMAC-SHA1 of url + params)',
      run: () => {
        const params = [...new URLSearchParams(body.toString('utf8'))].sort((a, b) =>
          a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0,
        );
        let text = TWILIO_URL;
        for (const [name, value] of params) text += name + value;
        return equal(
          Buffer.from(signature, 'base64'),
          createHmac('sha1', key).update(text).digest(),
        );
      },
    },
    ours: [
      {
        // The request target, as the adapters pass it, joined to publicUrl.
        name: 'bulwark twilio, verifySignature',
        run: () => verifier.verifySignature({ body, headers, url: '/sms' }),
        floorGoal: 0.95,
      },
    ],
    peers: [
      {
        // twilio's helper takes the parameters already parsed; the parsing of the body is
        // included so it does the same work as the other rows.
        name: 'twilio validateRequest (form parsed from the body)',
        run: () =>
          twilio.validateRequest(
            TWILIO_TOKEN,
            signature,
            TWILIO_URL,
            Object.fromEntries(new URLSearchParams(body.toString('utf8'))),
          ),
      },
    ],
  };
}

/** The 32 raw bytes of an Ed25519 public key and of its private seed. */
function ed25519Pair(): { publicKey: KeyObject; publicRaw: Buffer; seed: Buffer } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return {
    publicKey,
    publicRaw: publicKey.export({ format: 'der', type: 'spki' }).subarray(12),
    seed: privateKey.export({ format: 'der', type: 'pkcs8' }).subarray(16),
  };
}

async function ed25519Sections(body: Buffer): Promise<Section[]> {
  const discordPair = ed25519Pair();
  const discordKey = discordPair.publicRaw.toString('hex');
  const discord = lowered(
    signWebhook(body, discordPair.seed.toString('hex'), { scheme: 'discord' }),
  );
  const discordVerifier = createWebhookVerifier({ scheme: 'discord', publicKey: discordKey });
  const signature = header(discord, 'x-signature-ed25519');
  const timestamp = header(discord, 'x-signature-timestamp');
  const cryptoKey = await webcrypto.subtle.importKey(
    'raw',
    discordPair.publicRaw,
    { name: 'Ed25519' },
    false,
    ['verify'],
  );

  const swPair = ed25519Pair();
  const sw = lowered(
    signWebhook(body, `whsk_${swPair.seed.toString('base64')}`, {
      scheme: 'standard-webhooks',
      deliveryId: 'msg_1',
    }),
  );
  const swVerifier = createWebhookVerifier({
    scheme: 'standard-webhooks',
    secret: `whpk_${swPair.publicRaw.toString('base64')}`,
    replay: false,
  });
  const goal = 0.9;
  return [
    {
      // The floor: one crypto.verify of prefix + body with the public key imported once as
      // a KeyObject; the signature is decoded from the header per call.
      floor: {
        name: 'node:crypto floor, discord (crypto.verify of timestamp + body)',
        run: () =>
          cryptoVerify(
            null,
            Buffer.concat([Buffer.from(timestamp), body]),
            discordPair.publicKey,
            Buffer.from(signature, 'hex'),
          ),
      },
      ours: [
        {
          name: 'bulwark discord, verifySignature (sync)',
          run: () => discordVerifier.verifySignature({ body, headers: discord }),
          floorGoal: goal,
        },
        {
          name: 'bulwark discord, verify (async)',
          run: () => discordVerifier.verify({ body, headers: discord }),
          peerGoal: 1,
        },
      ],
      peers: [
        {
          // As its README and its middleware call it: awaited, with the hex public key,
          // which it imports through WebCrypto on every call.
          name: 'discord-interactions verifyKey (async, hex key)',
          run: () => verifyKey(body, signature, timestamp, discordKey),
        },
        {
          name: 'discord-interactions verifyKey (async, CryptoKey imported once)',
          run: () => verifyKey(body, signature, timestamp, cryptoKey),
        },
      ],
    },
    {
      floor: {
        name: 'node:crypto floor, standard-webhooks v1a (crypto.verify of id.timestamp.body)',
        run: () =>
          cryptoVerify(
            null,
            Buffer.concat([
              Buffer.from(`${header(sw, 'webhook-id')}.${header(sw, 'webhook-timestamp')}.`),
              body,
            ]),
            swPair.publicKey,
            Buffer.from(header(sw, 'webhook-signature').slice(4), 'base64'),
          ),
      },
      ours: [
        {
          name: 'bulwark standard-webhooks v1a, verifySignature',
          run: () => swVerifier.verifySignature({ body, headers: sw }),
          floorGoal: goal,
        },
      ],
    },
  ];
}

async function verification(size: number): Promise<Table> {
  const body = jsonBody(size);
  // Every scheme at 1 KiB, where the fixed costs around the hash are a visible share;
  // GitHub and Standard Webhooks alone at larger sizes, where the hash dominates.
  const all = size === 1024;
  const goal = all ? 0.95 : 0.9;
  const sections = [
    githubSection(body, all, goal),
    standardWebhooksSection(body, all, goal),
    ...(all ? [...otherHmacSections(body), twilioSection(size)] : []),
  ];
  return sectionsTable(
    `Webhook verification, ${sizeLabel(size)} body`,
    sizeLabel(size),
    sections,
    all
      ? [
          `Every HMAC scheme through a prepared verifier (\`createWebhookVerifier(...).verifySignature\`) beside its floor: exactly the hash and the constant-time compare the scheme needs, keys decoded once. Twilio's body is a ${sizeLabel(size)} form (its floor parses and sorts the form too); the others sign a ${sizeLabel(size)} JSON body. Targets: >= 0.95x the floor for each prepared verifier, >= 0.9x for the one-shot \`verifyWebhook()\`, which prepares the scheme and the secret on every call.`,
        ]
      : [
          'Each row is compared with the floor for its scheme (HMAC of the body for GitHub, of `id.timestamp.body` for Standard Webhooks) and with its peer: @octokit/webhooks-methods for GitHub, standardwebhooks for Standard Webhooks. Target: bulwark >= 0.9x the floor.',
        ],
  );
}

async function ed25519Verification(size: number): Promise<Table> {
  return sectionsTable(
    `Ed25519 webhook verification, ${sizeLabel(size)} body`,
    `${sizeLabel(size)} Ed25519`,
    await ed25519Sections(jsonBody(size)),
    [
      "Discord interactions and Standard Webhooks `v1a` (a `whpk_` public key), beside the floor: one `crypto.verify` with the public key imported once as a KeyObject. discord-interactions `verifyKey` is asynchronous (WebCrypto) and is awaited, as its users call it; it is compared with bulwark's awaited `verify`. Targets: >= 0.9x the floor, >= 1.0x verifyKey.",
    ],
  );
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
tables.push(await ed25519Verification(1024));
for (const size of [1024, 64 * 1024, 1024 * 1024]) tables.push(await bodyReading(size));
emit({ group: 'Webhooks', tables, charts: [], targets });
