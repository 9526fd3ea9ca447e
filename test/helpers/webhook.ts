import { createPrivateKey, createPublicKey } from 'node:crypto';
import { expect } from 'vitest';
import type {
  SignWebhookOptions,
  WebhookRejected,
  WebhookSchemeName,
  WebhookVerdict,
  WebhookVerifierOptions,
} from 'bulwark';

/** Headers as a sender writes them (`X-Hub-Signature-256`) turned into Node's lower-case names. */
export function lowerKeys(h: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));
}

/** The refusal, for reading its fields; a test failure when the delivery was accepted. */
export function refusal(verdict: WebhookVerdict): WebhookRejected {
  if (verdict.ok) throw new Error('expected the delivery to be refused');
  return verdict;
}

/** A refusal with this status, a non-empty client detail and a developer-facing reason. */
export function expectRefused(verdict: WebhookVerdict, status = 403): void {
  expect(verdict.ok).toBe(false);
  if (verdict.ok) return;
  expect(verdict.error.status).toBe(status);
  expect(typeof verdict.error.detail).toBe('string');
  expect(verdict.error.detail.length).toBeGreaterThan(0);
  expect(verdict.reason.length).toBeGreaterThan(0);
}

// RFC 8410: the PKCS #8 header that wraps a raw 32-byte Ed25519 seed.
const PKCS8_ED25519 = '302e020100300506032b657004220420';

/** The hex public key of an Ed25519 seed given as hex, as the Discord developer portal shows it. */
export function ed25519PublicHex(seedHex: string): string {
  const key = createPrivateKey({
    key: Buffer.from(PKCS8_ED25519 + seedHex, 'hex'),
    format: 'der',
    type: 'pkcs8',
  });
  return createPublicKey(key).export({ format: 'der', type: 'spki' }).subarray(12).toString('hex');
}

/**
 * The key material and options one built-in scheme needs for a sign-then-verify round trip:
 * Discord signs with a seed and verifies with its public key, Twilio signs the public URL.
 */
export function roundTrip(scheme: WebhookSchemeName): {
  readonly signWith: string;
  readonly signOptions: SignWebhookOptions;
  readonly verifierOptions: WebhookVerifierOptions;
  /** The request target to pass as `url` when verifying (Twilio), or undefined. */
  readonly url: string | undefined;
  /** Request headers the delivery carries besides the signed ones (Twilio's form type). */
  readonly headers: Readonly<Record<string, string>>;
} {
  const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
  if (scheme === 'discord') {
    const seed = '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60';
    return {
      signWith: seed,
      signOptions: { scheme },
      verifierOptions: { scheme, publicKey: ed25519PublicHex(seed) },
      url: undefined,
      headers: {},
    };
  }
  if (scheme === 'twilio') {
    return {
      signWith: secret,
      signOptions: { scheme, url: 'https://hooks.example.com/hook' },
      verifierOptions: { scheme, secret, publicUrl: 'https://hooks.example.com' },
      url: '/hook',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    };
  }
  return {
    signWith: secret,
    signOptions: { scheme },
    verifierOptions: { scheme, secret },
    url: undefined,
    headers: {},
  };
}
