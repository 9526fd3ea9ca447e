import { createPrivateKey, createPublicKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { WEBHOOK_SCHEMES, createWebhookVerifier, signWebhook } from 'bulwark';
import type { WebhookSchemeName, WebhookVerifierOptions } from 'bulwark';
import { expectRefused } from '../helpers/webhook.js';

// A malformed signature header must be a refusal, never an exception: in CVE-2023-50728
// (@octokit/webhooks) a signature of an unexpected shape made verification throw, which
// crashed the receiving process. Every scheme gets the same corpus of malformed headers.

const NOW = 1_800_000_000;
const HOOK_URL = 'https://example.com/hook';
const FORM = 'application/x-www-form-urlencoded';

// RFC 8410: the PKCS #8 header around a raw 32-byte Ed25519 seed.
const PKCS8_ED25519 = Buffer.from('302e020100300506032b657004220420', 'hex');
const SEED = Buffer.alloc(32, 9);
const PUBLIC_KEY = createPublicKey(
  createPrivateKey({ key: Buffer.concat([PKCS8_ED25519, SEED]), format: 'der', type: 'pkcs8' }),
)
  .export({ format: 'der', type: 'spki' })
  .subarray(-32);

type Encoding = 'hex' | 'base64' | 'text';

/** What differs between schemes; every test below is written against this table alone. */
interface SchemeFacts {
  readonly scheme: WebhookSchemeName;
  /** The header carrying the signature (GitLab: the token itself). */
  readonly signature: string;
  /** Splits that header into the text before the digest and the digest. */
  readonly shape: RegExp;
  /** How the digest is written. */
  readonly encoding: Encoding;
  /** The timestamp header, or the part of the signature header that carries it (Stripe). */
  readonly timestamp?: string | RegExp;
  /** The delivery-id header. */
  readonly id?: string;
  /** What the sender signs with, and the verifier option that checks it. */
  readonly signWith: string;
  readonly verifyWith: Pick<WebhookVerifierOptions, 'secret' | 'publicKey'>;
  /** Discord requires 401 for a bad signature; the others answer 403. */
  readonly status: 401 | 403;
}

const FACTS: Readonly<Record<WebhookSchemeName, SchemeFacts>> = {
  'mission-control': {
    scheme: 'mission-control',
    signature: 'x-webhook-signature',
    shape: /^(sha256=)([0-9a-f]{64})$/,
    encoding: 'hex',
    signWith: 'mc-secret',
    verifyWith: { secret: 'mc-secret' },
    status: 403,
  },
  github: {
    scheme: 'github',
    signature: 'x-hub-signature-256',
    shape: /^(sha256=)([0-9a-f]{64})$/,
    encoding: 'hex',
    id: 'x-github-delivery',
    signWith: 'gh-secret',
    verifyWith: { secret: 'gh-secret' },
    status: 403,
  },
  'standard-webhooks': {
    scheme: 'standard-webhooks',
    signature: 'webhook-signature',
    shape: /^(v1,)(\S{44})$/,
    encoding: 'base64',
    timestamp: 'webhook-timestamp',
    id: 'webhook-id',
    signWith: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    verifyWith: { secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' },
    status: 403,
  },
  stripe: {
    scheme: 'stripe',
    signature: 'stripe-signature',
    shape: /^(t=\d+,v1=)([0-9a-f]{64})$/,
    encoding: 'hex',
    timestamp: /^t=\d+,/,
    signWith: 'whsec_stripe',
    verifyWith: { secret: 'whsec_stripe' },
    status: 403,
  },
  slack: {
    scheme: 'slack',
    signature: 'x-slack-signature',
    shape: /^(v0=)([0-9a-f]{64})$/,
    encoding: 'hex',
    timestamp: 'x-slack-request-timestamp',
    signWith: 'slack-secret',
    verifyWith: { secret: 'slack-secret' },
    status: 403,
  },
  discord: {
    scheme: 'discord',
    signature: 'x-signature-ed25519',
    shape: /^()([0-9a-f]{128})$/,
    encoding: 'hex',
    timestamp: 'x-signature-timestamp',
    signWith: SEED.toString('hex'),
    verifyWith: { publicKey: PUBLIC_KEY.toString('hex') },
    status: 401,
  },
  shopify: {
    scheme: 'shopify',
    signature: 'x-shopify-hmac-sha256',
    shape: /^()(\S{44})$/,
    encoding: 'base64',
    id: 'x-shopify-webhook-id',
    signWith: 'shpss_secret',
    verifyWith: { secret: 'shpss_secret' },
    status: 403,
  },
  twilio: {
    scheme: 'twilio',
    signature: 'x-twilio-signature',
    shape: /^()(\S{28})$/,
    encoding: 'base64',
    id: 'i-twilio-idempotency-token',
    signWith: 'twilio-auth-token',
    verifyWith: { secret: 'twilio-auth-token' },
    status: 403,
  },
  gitlab: {
    scheme: 'gitlab',
    signature: 'x-gitlab-token',
    shape: /^()(.+)$/,
    encoding: 'text',
    id: 'x-gitlab-event-uuid',
    // Its base64 holds '/', so the URL-safe spelling below differs in the alphabet.
    signWith: 'gitlab-token???',
    verifyWith: { secret: 'gitlab-token???' },
    status: 403,
  },
};

// Standard Webhooks also signs with Ed25519 (`v1a`), parsed by its own branch.
const V1A: SchemeFacts = {
  ...FACTS['standard-webhooks'],
  shape: /^(v1a,)(\S{88})$/,
  signWith: `whsk_${SEED.toString('base64')}`,
  verifyWith: { secret: `whpk_${PUBLIC_KEY.toString('base64')}` },
};

const ROWS: readonly (readonly [string, SchemeFacts])[] = [
  ...WEBHOOK_SCHEMES.map((scheme) => [scheme, FACTS[scheme]] as const),
  ['standard-webhooks (v1a)', V1A],
];

type Headers = Record<string, string | readonly string[]>;

/** A correctly signed delivery: the body and its lower-case headers (Twilio's signs HOOK_URL). */
function signedDelivery(facts: SchemeFacts, body: string) {
  const signed = signWebhook(body, facts.signWith, {
    scheme: facts.scheme,
    timestamp: NOW,
    deliveryId: 'delivery-1',
    ...(facts.scheme === 'twilio' ? { url: HOOK_URL } : {}),
  });
  const headers: Record<string, string> = Object.fromEntries(
    Object.entries(signed).map(([k, v]) => [k.toLowerCase(), v]),
  );
  if (facts.scheme === 'twilio') headers['content-type'] = FORM;
  return { body, headers };
}

/** The header split into prefix and digest bytes, per the table. */
function split(facts: SchemeFacts, value: string): { prefix: string; digest: Buffer } {
  const match = facts.shape.exec(value);
  if (match === null) throw new Error(`${facts.signature} ${value} does not fit its shape`);
  const [, prefix = '', digest = ''] = match;
  const bytes =
    facts.encoding === 'text' ? Buffer.from(digest, 'utf8') : Buffer.from(digest, facts.encoding);
  return { prefix, digest: bytes };
}

/**
 * A body whose signature, written in standard base64, holds `+` or `/`, so that its
 * URL-safe spelling (`-`, `_`) differs in the alphabet and not only in the padding. (The
 * GitLab token does not depend on the body: the table gives one that holds `/`.)
 */
function bodyWithUrlUnsafeDigest(facts: SchemeFacts): string {
  for (let n = 0; n < 1000; n++) {
    const body = facts.scheme === 'twilio' ? `Body=hi&N=${n}` : `{"event":"ping","n":${n}}`;
    const value = signedDelivery(facts, body).headers[facts.signature] ?? '';
    if (/[+/]/.test(split(facts, value).digest.toString('base64'))) return body;
  }
  throw new Error('no body found');
}

/** The digest spelled in each encoding the scheme does not use. */
function misencoded(facts: SchemeFacts, value: string): [string, string][] {
  const { prefix, digest } = split(facts, value);
  const std = digest.toString('base64');
  const spellings: [Encoding | 'base64url' | 'base64url-padded', string][] = [
    ['hex', digest.toString('hex')],
    ['base64', std],
    ['base64url', digest.toString('base64url')],
    ['base64url-padded', std.replaceAll('+', '-').replaceAll('/', '_')],
  ];
  return spellings
    .filter(([name]) => name !== facts.encoding)
    .map(([name, text]) => [`written as ${name}`, prefix + text]);
}

function without(headers: Headers, name: string): Headers {
  return Object.fromEntries(Object.entries(headers).filter(([key]) => key !== name));
}

describe('every scheme has a row in the table', () => {
  it.each(WEBHOOK_SCHEMES)('%s', (scheme) => {
    expect(FACTS[scheme].scheme).toBe(scheme);
  });
});

describe.each(ROWS)('malformed headers (%s)', (_label, facts) => {
  const body = bodyWithUrlUnsafeDigest(facts);
  const base = signedDelivery(facts, body);
  const value = base.headers[facts.signature] ?? '';
  // Replay protection on wherever the scheme carries a replay key: it is what makes a
  // delivery id mandatory for schemes that do not sign it (GitHub, Shopify, Twilio, GitLab),
  // since a delivery without its id could never be recognised as a replay.
  const verifier = () =>
    createWebhookVerifier({
      scheme: facts.scheme,
      ...facts.verifyWith,
      now: () => NOW * 1000,
      replay: facts.id !== undefined || facts.timestamp !== undefined,
      ...(facts.scheme === 'twilio' ? { publicUrl: 'https://example.com' } : {}),
    });
  const verify = (headers: Headers) =>
    verifier().verify({ body, headers, ...(facts.scheme === 'twilio' ? { url: '/hook' } : {}) });

  it('accepts the correctly signed delivery the cases below start from', async () => {
    expect(split(facts, value).digest.length).toBeGreaterThan(0);
    const verdict = await verify(base.headers);
    expect(verdict.ok && verdict.verified).toBe(true);
  });

  const cases: [string, string | readonly string[]][] = [
    ['empty', ''],
    ['whitespace only', ' \t '],
    ['truncated by one character', value.slice(0, -1)],
    // 'A' is in both the hex and the base64 alphabet: only the length is wrong.
    ['one character too long', `${value}A`],
    ['5000 characters', value.padEnd(5000, 'A')],
    ...misencoded(facts, value),
    ['repeated (two copies, as Node gives a repeated header)', [value, value]],
    ['ending in é', `${value.slice(0, -1)}é`],
    ['ending in NUL', `${value.slice(0, -1)}\u0000`],
    ['ending in U+2028', `${value.slice(0, -1)}\u2028`],
    ['é alone', 'é'],
    ['NUL alone', '\u0000'],
    ['U+2028 alone', '\u2028'],
  ];

  it.each(cases)('refuses a signature header %s', async (_what, bad) => {
    expect(bad).not.toEqual(value);
    const verdict = await verify({ ...base.headers, [facts.signature]: bad });
    expectRefused(verdict, facts.status);
  });

  const { timestamp, id } = facts;
  if (typeof timestamp === 'string') {
    it(`refuses a delivery without ${timestamp}`, async () => {
      expectRefused(await verify(without(base.headers, timestamp)), facts.status);
    });
  } else if (timestamp !== undefined) {
    it(`refuses a delivery without the timestamp in ${facts.signature}`, async () => {
      const stripped = value.replace(timestamp, '');
      expect(stripped).not.toBe(value);
      expectRefused(await verify({ ...base.headers, [facts.signature]: stripped }), facts.status);
    });
  }
  if (id !== undefined) {
    it(`refuses a delivery without ${id}`, async () => {
      expectRefused(await verify(without(base.headers, id)), facts.status);
    });
  }
});

describe('twilio: malformed URL', () => {
  // The request target is the client's to choose; a JSON delivery binds its body through
  // `bodySHA256=<hex>` in the URL, so a bad percent-escape there is client input too.
  it.each(['%', '%E0', '%zz', '%E0%A4%A'])(
    'refuses bodySHA256=%s in the request target without throwing',
    async (hash) => {
      const { headers } = signedDelivery(FACTS.twilio, 'Body=hi');
      const v = createWebhookVerifier({
        scheme: 'twilio',
        secret: FACTS.twilio.signWith,
        publicUrl: 'https://example.com',
      });
      // Called inside a promise chain so that a synchronous throw fails as a rejection.
      const verdict = Promise.resolve().then(() =>
        v.verify({ body: '{}', headers, url: `/hook?bodySHA256=${hash}` }),
      );
      await expect(verdict).resolves.toMatchObject({ ok: false, error: { status: 403 } });
    },
  );
});
