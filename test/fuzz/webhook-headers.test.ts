import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BulwarkError, WEBHOOK_SCHEMES, createWebhookVerifier, signWebhook } from 'bulwark';
import { FUZZ_TIMEOUT_MS, fuzz, headerValue, hostileString } from './settings.js';
import { lowerKeys, roundTrip } from '../helpers/webhook.js';

const NOW = 1_800_000_000;

/** Every header any scheme reads. */
const NAMES = [
  'x-hub-signature-256',
  'x-webhook-signature',
  'x-github-delivery',
  'stripe-signature',
  'webhook-id',
  'webhook-timestamp',
  'webhook-signature',
  'x-slack-signature',
  'x-slack-request-timestamp',
  'x-signature-ed25519',
  'x-signature-timestamp',
  'x-shopify-hmac-sha256',
  'x-shopify-webhook-id',
  'x-twilio-signature',
  'x-twilio-webhooks-signature-settings',
  'i-twilio-idempotency-token',
  'x-gitlab-token',
  'x-gitlab-event-uuid',
  'svix-id',
  'svix-timestamp',
  'svix-signature',
  'content-type',
] as const;

/** The headers that carry a signature or token (Shopify's names the digest, GitLab's is a token). */
const SIGNATURE_HEADER = /signature|hmac|token$/;

const headerBag = fc.dictionary(fc.constantFrom(...NAMES), headerValue, { maxKeys: NAMES.length });

/** One edit of a string: insert, delete or replace a character (fast-check picks where and what). */
const edit = fc.record({
  at: fc.nat(),
  kind: fc.constantFrom('insert', 'delete', 'replace'),
  text: hostileString,
});
function applyEdit(value: string, e: { at: number; kind: string; text: string }): string {
  const i = value.length === 0 ? 0 : e.at % value.length;
  if (e.kind === 'insert') return value.slice(0, i) + e.text + value.slice(i);
  if (e.kind === 'delete') return value.slice(0, i) + value.slice(i + 1);
  return value.slice(0, i) + e.text + value.slice(i + 1);
}

function expectRefusal(
  verdict: Awaited<ReturnType<ReturnType<typeof createWebhookVerifier>['verify']>>,
) {
  expect(verdict.ok).toBe(false);
  if (verdict.ok) return;
  expect(verdict.error).toBeInstanceOf(BulwarkError);
  // Hostile signature headers are a 403 (401 for discord, which requires it; 409 for a
  // replay), never a 400 nor a 500.
  expect([401, 403, 409]).toContain(verdict.error.status);
  expect(verdict.error.detail.length).toBeGreaterThan(0);
}

describe.each(WEBHOOK_SCHEMES)('signature header parsing (%s)', (scheme) => {
  const keys = roundTrip(scheme);
  const verifier = createWebhookVerifier({ ...keys.verifierOptions, now: () => NOW * 1000 });
  const url = keys.url === undefined ? {} : { url: keys.url };

  it(
    'refuses any hostile header bag with a 403, never throws',
    { timeout: FUZZ_TIMEOUT_MS },
    async () => {
      await fc.assert(
        fc.asyncProperty(headerBag, fc.uint8Array({ maxLength: 64 }), async (headers, body) => {
          expectRefusal(await verifier.verify({ body, headers, ...url }));
        }),
        fuzz,
      );
    },
  );

  it(
    'an edited signature header is refused or means the same; it never throws',
    { timeout: FUZZ_TIMEOUT_MS },
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.uint8Array({ maxLength: 64 }),
          fc.nat(),
          edit,
          async (body, pick, e) => {
            const headers: Record<string, string> = {
              ...lowerKeys(
                signWebhook(body, keys.signWith, { ...keys.signOptions, timestamp: NOW }),
              ),
              ...keys.headers,
            };
            // One of the headers the scheme signs with, edited once.
            const names = Object.keys(headers);
            const target = names[pick % names.length] ?? '';
            headers[target] = applyEdit(headers[target] ?? '', e);
            const verdict = await verifier.verify({ body, headers, ...url });
            // Some edits keep the meaning (a case change in an optional prefix, whitespace the
            // scheme trims, an extra unknown entry); every other one is a 403.
            if (!verdict.ok) expectRefusal(verdict);
          },
        ),
        fuzz,
      );
    },
  );

  it(
    'a repeated signature header never verifies unless every copy is the signature',
    { timeout: FUZZ_TIMEOUT_MS },
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.uint8Array({ maxLength: 64 }), hostileString, async (body, other) => {
          const headers: Record<string, string | string[]> = {
            ...lowerKeys(signWebhook(body, keys.signWith, { ...keys.signOptions, timestamp: NOW })),
            ...keys.headers,
          };
          let same = true;
          for (const name of NAMES) {
            const value = headers[name];
            if (typeof value === 'string' && SIGNATURE_HEADER.test(name)) {
              headers[name] = [value, other];
              same &&= other === value;
            }
          }
          // Two different copies are ambiguous (which one did the sender mean?): refused.
          const verdict = await verifier.verify({ body, headers, ...url });
          if (!same) expectRefusal(verdict);
        }),
        fuzz,
      );
    },
  );
});
