import { readHeader } from '../header-value.js';
import type { KeyPurpose, WebhookKey, WebhookScheme } from '../scheme.js';
import {
  ED25519_KEY_BYTES,
  ED25519_SIGNATURE_BYTES,
  ed25519PrivateKey,
  ed25519PublicKey,
  ed25519Sign,
  ed25519VerifiesAny,
  isEd25519,
} from './ed25519.js';
import {
  defineScheme,
  hexDigest,
  invalid,
  parsedDelivery,
  required,
  requiredSeconds,
} from './shared.js';

const SIGNATURE = 'x-signature-ed25519';
const TIMESTAMP = 'x-signature-timestamp';

function keyFor(secret: string | Buffer, purpose: KeyPurpose): WebhookKey {
  const raw =
    typeof secret === 'string' ? hexDigest(secret.trim(), ED25519_KEY_BYTES) : Buffer.from(secret);
  const key =
    raw === undefined
      ? undefined
      : purpose === 'verify'
        ? ed25519PublicKey(raw)
        : ed25519PrivateKey(raw);
  if (key === undefined) {
    throw new TypeError(
      purpose === 'verify'
        ? "bulwark: webhook publicKey for discord: the key is not 64 hex digits of an Ed25519 public key; copy the application's PUBLIC KEY from the Discord developer portal (General Information), such as publicKey: process.env.DISCORD_PUBLIC_KEY."
        : 'bulwark: signWebhook for discord: the key is not 64 hex digits of an Ed25519 private key seed; give the seed whose public key the receiver holds.',
    );
  }
  return key;
}

/**
 * Discord interactions: `X-Signature-Ed25519` holds the hex Ed25519 signature of
 * `${X-Signature-Timestamp}${body}`, checked with the application's public key (hex).
 * Discord probes endpoints with deliberately bad signatures and requires a 401 for them,
 * so every failure of this scheme answers 401.
 */
export const discordScheme: WebhookScheme = defineScheme({
  name: 'discord',
  hasTimestamp: true,
  hasDeliveryId: false,
  unsignedWhenNoSecret: false,
  failureStatus: 401,
  needsUrl: false,
  signsWithEveryKey: false,
  expects:
    'X-Signature-Timestamp: <unix seconds>; X-Signature-Ed25519: <hex Ed25519 signature of "timestamp + body">',
  headerNames: [SIGNATURE, TIMESTAMP],
  keyFor,
  parse(headers, maxHeaderLength) {
    const ts = requiredSeconds(headers, TIMESTAMP);
    if (typeof ts !== 'string') return ts;
    const value = required(readHeader(headers, SIGNATURE, maxHeaderLength, false), SIGNATURE);
    if (typeof value !== 'string') return value;
    const signature = hexDigest(value, ED25519_SIGNATURE_BYTES);
    if (signature === undefined) return invalid(`${SIGNATURE} is not 128 hex digits`);
    return parsedDelivery([signature], Number(ts), undefined, SIGNATURE, ts);
  },
  matches: (key, delivery, body) =>
    isEd25519(key) && ed25519VerifiesAny(key, delivery.signedPrefix, body, delivery.signatures),
  sign(keys, body, parts) {
    const key = keys[0];
    if (!isEd25519(key)) {
      throw new TypeError(
        'bulwark: signWebhook for discord: the key is not an Ed25519 private key; give its 64-hex-digit seed.',
      );
    }
    return {
      'X-Signature-Timestamp': String(parts.timestamp),
      'X-Signature-Ed25519': ed25519Sign(key, String(parts.timestamp), body).toString('hex'),
    };
  },
});
