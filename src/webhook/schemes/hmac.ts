import { createHmac } from 'node:crypto';
import { matchesAny } from '../compare.js';
import type { ParsedDelivery, WebhookKey } from '../scheme.js';

/** The HMAC of `prefix + body + suffix` under `key`: the one hash every HMAC scheme does. */
export function hmacOf(
  algorithm: string,
  key: Buffer,
  prefix: string,
  body: Uint8Array | string,
  suffix = '',
): Buffer {
  const hmac = createHmac(algorithm, key);
  if (prefix !== '') hmac.update(prefix);
  hmac.update(body);
  if (suffix !== '') hmac.update(suffix);
  return hmac.digest();
}

/**
 * The `matches` of a scheme that signs `prefix + body (+ suffix)` with one HMAC: a key
 * that is not raw bytes (an Ed25519 key given to an HMAC scheme) never matches.
 */
export function hmacMatches(
  algorithm: string,
): (key: WebhookKey, delivery: ParsedDelivery, body: Uint8Array | string) => boolean {
  return (key, delivery, body) =>
    Buffer.isBuffer(key) &&
    matchesAny(
      hmacOf(algorithm, key, delivery.signedPrefix, body, delivery.signedSuffix),
      delivery.signatures,
    );
}

/** The first key as HMAC bytes, for schemes that carry one signature (signing only). */
export function firstHmacKey(keys: readonly WebhookKey[], scheme: string): Buffer {
  const key = keys[0];
  if (!Buffer.isBuffer(key)) {
    throw new TypeError(
      `bulwark: signWebhook for ${scheme}: the secret is not a shared secret; give the secret the receiver verifies with.`,
    );
  }
  return key;
}
