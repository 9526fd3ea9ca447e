import { createPrivateKey, createPublicKey } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WEBHOOK_SCHEMES, createWebhookVerifier, signWebhook } from 'bulwark';
import type { WebhookSchemeName, WebhookVerifierOptions } from 'bulwark';
import { lowerKeys } from '../helpers/webhook.js';

const NOW = 1_800_000_000;
const now = () => NOW * 1000;
// Twilio signs the absolute URL it posts to; the receiver must be told the same one.
const HOOK_URL = 'https://example.com/hook';
const FORM = 'application/x-www-form-urlencoded';

// RFC 8410: the PKCS #8 header that wraps a raw 32-byte Ed25519 seed, so node:crypto can
// derive the public key a receiver holds from the seed a sender signs with.
const PKCS8_ED25519 = Buffer.from('302e020100300506032b657004220420', 'hex');

function ed25519PublicOf(seed: Uint8Array): Buffer {
  const key = createPrivateKey({
    key: Buffer.concat([PKCS8_ED25519, seed]),
    format: 'der',
    type: 'pkcs8',
  });
  // The last 32 bytes of the SubjectPublicKeyInfo are the raw public key.
  return createPublicKey(key).export({ format: 'der', type: 'spki' }).subarray(-32);
}

/** What a sender signs with, and the verifier option that checks it. */
interface KeyMaterial {
  readonly signWith: string;
  readonly verifyWith: Pick<WebhookVerifierOptions, 'secret' | 'publicKey'>;
}

const seed = fc.uint8Array({ minLength: 32, maxLength: 32 });

/**
 * Random key material in the form each sender hands out: base64 `whsec_` bytes or a
 * `whsk_`/`whpk_` Ed25519 pair for Standard Webhooks, a hex seed and its hex public key for
 * Discord, printable ASCII without spaces for GitLab (the token travels as the header
 * value itself), and any text for the HMAC schemes that use the secret as UTF-8.
 */
function materialFor(scheme: WebhookSchemeName): fc.Arbitrary<KeyMaterial> {
  const text = (secret: string): KeyMaterial => ({ signWith: secret, verifyWith: { secret } });
  switch (scheme) {
    case 'standard-webhooks':
      return fc.oneof(
        fc
          .uint8Array({ minLength: 1, maxLength: 64 })
          .map((b) => text(`whsec_${Buffer.from(b).toString('base64')}`)),
        seed.map((s) => ({
          signWith: `whsk_${Buffer.from(s).toString('base64')}`,
          verifyWith: { secret: `whpk_${ed25519PublicOf(s).toString('base64')}` },
        })),
      );
    case 'discord':
      return seed.map((s) => ({
        signWith: Buffer.from(s).toString('hex'),
        verifyWith: { publicKey: ed25519PublicOf(s).toString('hex') },
      }));
    case 'gitlab':
      return fc.stringMatching(/^[!-~]{1,64}$/).map(text);
    default:
      return fc.string({ minLength: 1, maxLength: 64, unit: 'grapheme' }).map(text);
  }
}

/** Random bodies: bytes, or for Twilio a form, since it signs the sorted form parameters. */
function bodyFor(scheme: WebhookSchemeName, minLength: number, maxLength: number) {
  if (scheme !== 'twilio') return fc.uint8Array({ minLength, maxLength });
  return fc
    .array(fc.tuple(fc.string({ maxLength: 16 }), fc.string({ maxLength: 48 })), {
      minLength,
      maxLength: Math.ceil(maxLength / 64),
    })
    .map((pairs) => Buffer.from(new URLSearchParams(pairs).toString()));
}

/** What Twilio needs besides the signature headers: the form's type and the signed URL. */
const signOptions = (scheme: WebhookSchemeName) =>
  scheme === 'twilio' ? { url: HOOK_URL, contentType: FORM } : {};
const extraHeaders = (scheme: WebhookSchemeName): Record<string, string> =>
  scheme === 'twilio' ? { 'content-type': FORM } : {};
const urlPart = (scheme: WebhookSchemeName) => (scheme === 'twilio' ? { url: HOOK_URL } : {});

describe.each(WEBHOOK_SCHEMES)('sign-then-verify (%s)', (scheme) => {
  const signed = (body: Uint8Array, key: KeyMaterial, timestamp: number, deliveryId?: string) => ({
    ...lowerKeys(
      signWebhook(body, key.signWith, {
        scheme,
        timestamp,
        ...(deliveryId === undefined ? {} : { deliveryId }),
        ...signOptions(scheme),
      }),
    ),
    ...extraHeaders(scheme),
  });

  it('holds for random bodies, secrets and timestamps in tolerance', async () => {
    await fc.assert(
      fc.asyncProperty(
        bodyFor(scheme, 0, 4096),
        materialFor(scheme),
        fc.integer({ min: -300, max: 300 }),
        fc.stringMatching(/^[A-Za-z0-9_-]{1,40}$/),
        async (body, key, skew, deliveryId) => {
          const headers = signed(body, key, NOW + skew, deliveryId);
          const verifier = createWebhookVerifier({ scheme, ...key.verifyWith, now });
          const verdict = await verifier.verify({ body, headers, ...urlPart(scheme) });
          expect(verdict.ok && verdict.verified).toBe(true);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('fails for any other secret', async () => {
    await fc.assert(
      fc.asyncProperty(
        bodyFor(scheme, 1, 512),
        materialFor(scheme),
        materialFor(scheme),
        async (body, key, other) => {
          fc.pre(key.signWith !== other.signWith);
          const headers = signed(body, key, NOW);
          const wrongKey = createWebhookVerifier({
            scheme,
            ...other.verifyWith,
            now,
            replay: false,
          });
          const verdict = await wrongKey.verify({ body, headers, ...urlPart(scheme) });
          expect(verdict.ok).toBe(false);
        },
      ),
      { numRuns: 100 },
    );
  });

  // GitLab sends its secret token as a header and signs nothing: the token proves who
  // sent the delivery, not what it says, so a changed body still passes. Every other
  // scheme binds the body (Twilio through the sorted form parameters it signs).
  if (scheme === 'gitlab') {
    it('passes a changed body: the token does not sign it', async () => {
      await fc.assert(
        fc.asyncProperty(bodyFor(scheme, 1, 512), materialFor(scheme), async (body, key) => {
          const headers = signed(body, key, NOW);
          const right = createWebhookVerifier({ scheme, ...key.verifyWith, now, replay: false });
          const changed = Buffer.concat([body, Buffer.from('!')]);
          expect((await right.verify({ body: changed, headers })).ok).toBe(true);
        }),
        { numRuns: 20 },
      );
    });
  } else {
    it('fails for a changed body', async () => {
      await fc.assert(
        fc.asyncProperty(
          bodyFor(scheme, 1, 512),
          materialFor(scheme),
          fc.nat(),
          async (body, key, flip) => {
            const headers = signed(body, key, NOW);
            const changed = Buffer.from(body);
            const at = flip % changed.length;
            changed[at] = (changed[at] ?? 0) ^ 1;
            const right = createWebhookVerifier({
              scheme,
              ...key.verifyWith,
              now,
              replay: false,
            });
            const verdict = await right.verify({ body: changed, headers, ...urlPart(scheme) });
            expect(verdict.ok).toBe(false);
          },
        ),
        { numRuns: 100 },
      );
    });
  }
});

describe('verification never throws', () => {
  // A valid Ed25519 public key (of the all-zero seed): Discord verifiers need a real one.
  const discordKey = ed25519PublicOf(new Uint8Array(32)).toString('hex');
  const optionsFor = (scheme: WebhookSchemeName): WebhookVerifierOptions => {
    if (scheme === 'discord') return { publicKey: discordKey };
    if (scheme === 'twilio') return { secret: 'k', publicUrl: 'https://example.com' };
    return { secret: scheme === 'standard-webhooks' ? 'whsec_aGVsbG8=' : 'k' };
  };

  it('answers a verdict for arbitrary header values, bodies and URLs', async () => {
    const verifiers = WEBHOOK_SCHEMES.map((scheme) =>
      createWebhookVerifier({ scheme, ...optionsFor(scheme), replay: false }),
    );
    // Each header may be absent, random, a repeated field, or shaped like the real thing:
    // shaped values get past the first checks of each parser, so the later steps (digest
    // decoding, the Twilio URL and body hash) see random input too.
    const hex64 = '0'.repeat(64);
    const shaped: Record<string, readonly string[]> = {
      'x-hub-signature-256': [`sha256=${hex64}`],
      'x-webhook-signature': [`sha256=${hex64}`, hex64],
      'webhook-id': ['msg_1'],
      'webhook-timestamp': [String(NOW)],
      'webhook-signature': [`v1,${'A'.repeat(43)}= v1a,${'A'.repeat(86)}==`, 'v2,x'],
      'stripe-signature': [`t=${NOW},v1=${hex64}`],
      'x-slack-signature': [`v0=${hex64}`],
      'x-slack-request-timestamp': [String(NOW)],
      'x-github-delivery': ['d'],
      'x-signature-ed25519': ['a'.repeat(128)],
      'x-signature-timestamp': [String(NOW)],
      'x-shopify-hmac-sha256': [`${'A'.repeat(43)}=`],
      'x-shopify-webhook-id': ['s'],
      'x-twilio-signature': [`${'A'.repeat(27)}=`, `${'A'.repeat(43)}=`],
      'x-twilio-webhooks-signature-settings': ['algorithm=HMAC_SHA256', 'algorithm=MD5'],
      'i-twilio-idempotency-token': ['t'],
      'x-gitlab-token': ['k'],
      'x-gitlab-event-uuid': ['u'],
      'content-type': [FORM, 'application/json'],
    };
    const headerBag = fc.record(
      Object.fromEntries(
        Object.entries(shaped).map(([name, values]) => [
          name,
          fc.oneof(
            { arbitrary: fc.constantFrom(...values), weight: 2 },
            { arbitrary: fc.string({ unit: 'binary' }), weight: 1 },
            { arbitrary: fc.array(fc.string(), { maxLength: 3 }), weight: 1 },
          ),
        ]),
      ),
      { requiredKeys: [] },
    );
    // Request targets and URLs, with percent signs and query separators in odd places.
    const urlText = fc
      .array(fc.oneof(fc.string(), fc.constantFrom('%', '%E0', '%zz', '%41', '&', '=', '?', '#')))
      .map((parts) => parts.join(''));
    const url = fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.webUrl({ withQueryParameters: true, withFragments: true }),
      urlText.map((s) => `/hook?${s}`),
      urlText.map((s) => `/hook?bodySHA256=${s}`),
      urlText.map((s) => `${HOOK_URL}?bodySHA256=${s}`),
    );
    await fc.assert(
      fc.asyncProperty(
        headerBag,
        fc.uint8Array({ maxLength: 64 }),
        fc.option(url, { nil: undefined }),
        async (headers, body, target) => {
          for (const v of verifiers) {
            const verdict = await v.verify({
              body,
              headers,
              ...(target === undefined ? {} : { url: target }),
            });
            if (!verdict.ok) {
              expect(verdict.error.status).toBe(v.scheme === 'discord' ? 401 : 403);
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
