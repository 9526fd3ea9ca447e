import { createPublicKey } from 'node:crypto';
import { hasHeader, readHeader } from '../header-value.js';
import type { KeyPurpose, WebhookKey, WebhookScheme } from '../scheme.js';
import {
  ED25519_SIGNATURE_BYTES,
  ed25519PrivateKey,
  ed25519PublicKey,
  ed25519Sign,
  ed25519VerifiesAny,
} from './ed25519.js';
import { hmacOf } from './hmac.js';
import { matchesAny } from '../compare.js';
import {
  base64Digest,
  defineScheme,
  invalid,
  MAX_ID,
  parsedDelivery,
  required,
  requiredSeconds,
} from './shared.js';

const ID = 'webhook-id';
const TIMESTAMP = 'webhook-timestamp';
const SIGNATURE = 'webhook-signature';
// Svix, the scheme's origin, sends the same three headers prefixed `svix-` unless an account
// opts into `webhook-`; its own libraries read either set. Read as a set, never mixed.
const SVIX = { id: 'svix-id', timestamp: 'svix-timestamp', signature: 'svix-signature' };
const STANDARD = { id: ID, timestamp: TIMESTAMP, signature: SIGNATURE };
const MAX_ENTRIES = 32;
const WHSEC = 'whsec_';
const WHPK = 'whpk_';
const WHSK = 'whsk_';
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

function fail(problem: string): never {
  throw new TypeError(
    `bulwark: webhook secret for standard-webhooks: ${problem}; write the key as the sender shows it: whsec_<base64> for a shared secret, whpk_<base64> for an Ed25519 public key (verifying), whsk_<base64> for the Ed25519 secret key (signing), or pass the raw HMAC key bytes as a Buffer.`,
  );
}

function base64(text: string, what: string): Buffer {
  const bytes = BASE64.test(text) ? Buffer.from(text, 'base64') : Buffer.alloc(0);
  if (bytes.length === 0) fail(`the ${what} is not base64`);
  return bytes;
}

/**
 * `whsec_` (or no prefix) is the HMAC key; `whpk_` an Ed25519 public key (32 bytes);
 * `whsk_` an Ed25519 secret key (its 32-byte seed, or libsodium's 64 bytes), which a
 * receiver may also hold: its public half verifies.
 */
function keyFor(secret: string | Buffer, purpose: KeyPurpose): WebhookKey {
  if (typeof secret !== 'string') {
    if (secret.length === 0) fail('the key bytes are empty');
    return Buffer.from(secret);
  }
  if (secret.startsWith(WHPK)) {
    if (purpose === 'sign') fail('a whpk_ key is public and cannot sign; sign with the whsk_ key');
    const key = ed25519PublicKey(base64(secret.slice(WHPK.length), 'whpk_ key'));
    return key ?? fail('the whpk_ key is not a 32-byte Ed25519 public key');
  }
  if (secret.startsWith(WHSK)) {
    const key = ed25519PrivateKey(base64(secret.slice(WHSK.length), 'whsk_ key'));
    if (key === undefined) fail('the whsk_ key is not a 32- or 64-byte Ed25519 secret key');
    return purpose === 'sign' ? key : createPublicKey(key);
  }
  return base64(secret.startsWith(WHSEC) ? secret.slice(WHSEC.length) : secret, 'secret');
}

/**
 * Standard Webhooks (svix): `webhook-signature` holds space-separated `<version>,<base64>`
 * entries (several while the sender rotates), each signing `${id}.${timestamp}.${body}`:
 * `v1` an HMAC-SHA256 keyed with the base64 secret after its `whsec_` prefix, `v1a` an
 * Ed25519 signature checked with a `whpk_` public key. Entries of other versions are
 * skipped, as the spec says; a header with no usable entry is refused.
 */
export const standardWebhooksScheme: WebhookScheme = defineScheme({
  name: 'standard-webhooks',
  hasTimestamp: true,
  hasDeliveryId: true,
  unsignedWhenNoSecret: false,
  failureStatus: 403,
  needsUrl: false,
  signsWithEveryKey: true,
  expects:
    'webhook-id: <id>; webhook-timestamp: <unix seconds>; webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body"> or v1a,<base64 Ed25519 signature> (space-separated)',
  headerNames: [ID, TIMESTAMP, SIGNATURE, SVIX.id, SVIX.timestamp, SVIX.signature],
  keyFor,
  parse(headers, maxHeaderLength) {
    // The standard names first, without a scan; the svix- set only when they are absent.
    const names =
      headers[SIGNATURE] === undefined &&
      headers[ID] === undefined &&
      (hasHeader(headers, SVIX.signature) || hasHeader(headers, SVIX.id))
        ? SVIX
        : STANDARD;
    const signatureName = names.signature;
    const id = required(
      readHeader(headers, names.id, MAX_ID),
      names.id,
      'Missing webhook id header.',
    );
    if (typeof id !== 'string') return id;
    const ts = requiredSeconds(headers, names.timestamp);
    if (typeof ts !== 'string') return ts;
    const value = required(readHeader(headers, signatureName, maxHeaderLength), signatureName);
    if (typeof value !== 'string') return value;
    const signatures: Buffer[] = [];
    let asymmetric: Buffer[] | undefined;
    // Only a header with other versions needs the set, for the refusal's reason.
    let versions: Set<string> | undefined;
    // Entries are walked in place (no split, no slice per entry but the digest itself).
    let entries = 0;
    for (let start = 0; start <= value.length;) {
      let end = value.indexOf(' ', start);
      if (end === -1) end = value.length;
      if (++entries > MAX_ENTRIES) {
        return invalid(
          `${signatureName} has ${value.split(' ').length} entries, over ${MAX_ENTRIES}`,
        );
      }
      if (end > start) {
        const comma = value.indexOf(',', start);
        const versionEnd = comma === -1 || comma > end ? end : comma;
        const version = versionEnd - start;
        const v1 = version === 2 && value.startsWith('v1', start);
        const v1a = version === 3 && value.startsWith('v1a', start);
        if (!v1 && !v1a) {
          (versions ??= new Set()).add(value.slice(start, Math.min(versionEnd, start + 16)));
        } else {
          // A malformed entry of a known version (including "v1,...=," left by a repeated
          // header that a proxy joined with a comma, or "v1," with no signature at all) is
          // refused rather than skipped.
          const b64 = versionEnd === end ? '' : value.slice(comma + 1, end);
          const digest = v1 ? base64Digest(b64) : base64Digest(b64, ED25519_SIGNATURE_BYTES);
          if (digest === undefined) {
            return invalid(
              v1
                ? `a v1 entry of ${signatureName} is not 44 base64 characters`
                : `a v1a entry of ${signatureName} is not 88 base64 characters`,
            );
          }
          if (v1) signatures.push(digest);
          else (asymmetric ??= []).push(digest);
        }
      }
      start = end + 1;
    }
    if (signatures.length === 0 && asymmetric === undefined) {
      return invalid(
        `${signatureName} has no v1 or v1a entry${versions === undefined ? '' : ` (unknown versions: ${[...versions].join(', ')})`}`,
      );
    }
    return parsedDelivery(
      signatures,
      Number(ts),
      id,
      signatureName,
      `${id}.${ts}.`,
      asymmetric === undefined ? undefined : { asymmetric },
    );
  },
  matches(key, delivery, body) {
    if (Buffer.isBuffer(key)) {
      return (
        delivery.signatures.length > 0 &&
        matchesAny(hmacOf('sha256', key, delivery.signedPrefix, body), delivery.signatures)
      );
    }
    return (
      delivery.asymmetric !== undefined &&
      ed25519VerifiesAny(key, delivery.signedPrefix, body, delivery.asymmetric)
    );
  },
  sign(keys, body, parts) {
    const prefix = `${parts.deliveryId}.${parts.timestamp}.`;
    return {
      'webhook-id': parts.deliveryId,
      'webhook-timestamp': String(parts.timestamp),
      'webhook-signature': keys
        .map((key) =>
          Buffer.isBuffer(key)
            ? `v1,${hmacOf('sha256', key, prefix, body).toString('base64')}`
            : `v1a,${ed25519Sign(key, prefix, body).toString('base64')}`,
        )
        .join(' '),
    };
  },
});
