import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WEBHOOK_SCHEMES, createWebhookVerifier, signWebhook } from 'bulwark';

const NOW = 1_800_000_000;

function lowerKeys(h: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));
}

// Standard Webhooks secrets are base64 key bytes; the others are text.
const secretFor = (scheme: string) =>
  scheme === 'standard-webhooks'
    ? fc
        .uint8Array({ minLength: 1, maxLength: 64 })
        .map((b) => `whsec_${Buffer.from(b).toString('base64')}`)
    : fc.string({ minLength: 1, maxLength: 64, unit: 'grapheme' });

describe.each(WEBHOOK_SCHEMES)('sign-then-verify (%s)', (scheme) => {
  it('holds for random bodies, secrets and timestamps in tolerance', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 4096 }),
        secretFor(scheme),
        fc.integer({ min: -300, max: 300 }),
        fc.stringMatching(/^[A-Za-z0-9_-]{1,40}$/),
        async (body, secret, skew, deliveryId) => {
          const headers = lowerKeys(
            signWebhook(body, secret, { scheme, timestamp: NOW + skew, deliveryId }),
          );
          const verifier = createWebhookVerifier({ scheme, secret, now: () => NOW * 1000 });
          const verdict = await verifier.verify({ body, headers });
          expect(verdict.ok && verdict.verified).toBe(true);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('fails for any other secret or a changed body', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 1, maxLength: 512 }),
        secretFor(scheme),
        secretFor(scheme),
        fc.nat(),
        async (body, secret, other, flip) => {
          fc.pre(secret !== other);
          const headers = lowerKeys(signWebhook(body, secret, { scheme, timestamp: NOW }));
          const now = () => NOW * 1000;
          const wrongKey = createWebhookVerifier({ scheme, secret: other, now, replay: false });
          expect((await wrongKey.verify({ body, headers })).ok).toBe(false);
          const changed = Buffer.from(body);
          const at = flip % changed.length;
          changed[at] = (changed[at] ?? 0) ^ 1;
          const right = createWebhookVerifier({ scheme, secret, now, replay: false });
          expect((await right.verify({ body: changed, headers })).ok).toBe(false);
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('verification never throws', () => {
  it('answers a verdict for arbitrary header values', async () => {
    const verifiers = WEBHOOK_SCHEMES.map((scheme) =>
      createWebhookVerifier({
        scheme,
        secret: scheme === 'standard-webhooks' ? 'whsec_aGVsbG8=' : 'k',
        replay: false,
      }),
    );
    const names = [
      'x-hub-signature-256',
      'x-webhook-signature',
      'webhook-id',
      'webhook-timestamp',
      'webhook-signature',
      'stripe-signature',
      'x-slack-signature',
      'x-slack-request-timestamp',
      'x-github-delivery',
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(
          fc.constantFrom(...names),
          fc.oneof(fc.string({ unit: 'binary' }), fc.array(fc.string(), { maxLength: 3 })),
        ),
        fc.uint8Array({ maxLength: 64 }),
        async (headers, body) => {
          for (const v of verifiers) {
            const verdict = await v.verify({ body, headers });
            if (!verdict.ok) expect(verdict.error.status).toBe(403);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
