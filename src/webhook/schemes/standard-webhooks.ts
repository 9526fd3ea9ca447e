import { readHeader } from '../header-value.js';
import type { WebhookScheme } from '../scheme.js';
import { base64Digest, invalid, required, requiredSeconds } from './shared.js';

const ID = 'webhook-id';
const TIMESTAMP = 'webhook-timestamp';
const SIGNATURE = 'webhook-signature';
const MAX_ID = 256;
const MAX_ENTRIES = 32;
const WHSEC = 'whsec_';
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Standard Webhooks (svix): `webhook-signature` holds space-separated `v1,<base64>` entries
 * (several while the sender rotates), each an HMAC-SHA256 of `${id}.${timestamp}.${body}`
 * keyed with the base64 secret after its `whsec_` prefix. Entries of other versions (such
 * as `v1a`, asymmetric) are skipped; a header with no usable `v1` entry is refused.
 */
export const standardWebhooksScheme: WebhookScheme = {
  name: 'standard-webhooks',
  hasTimestamp: true,
  hasDeliveryId: true,
  unsignedWhenNoSecret: false,
  expects:
    'webhook-id: <id>; webhook-timestamp: <unix seconds>; webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body"> (space-separated)',
  headerNames: [ID, TIMESTAMP, SIGNATURE],
  keyBytes(secret) {
    const b64 = secret.startsWith(WHSEC) ? secret.slice(WHSEC.length) : secret;
    const key = BASE64.test(b64) ? Buffer.from(b64, 'base64') : Buffer.alloc(0);
    if (key.length === 0) {
      throw new TypeError(
        'bulwark: webhook secret for standard-webhooks: the secret is not base64; write it as the sender shows it, such as whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw (or pass the raw key bytes as a Buffer).',
      );
    }
    return key;
  },
  parse(headers, maxHeaderLength) {
    const id = required(readHeader(headers, ID, MAX_ID), ID, 'Missing webhook id header.');
    if (typeof id !== 'string') return id;
    const ts = requiredSeconds(headers, TIMESTAMP);
    if (typeof ts !== 'string') return ts;
    const value = required(readHeader(headers, SIGNATURE, maxHeaderLength), SIGNATURE);
    if (typeof value !== 'string') return value;
    const signatures: Buffer[] = [];
    // Only a header with other versions needs the set, for the refusal's reason.
    let versions: Set<string> | undefined;
    // Entries are walked in place (no split, no slice per entry but the digest itself).
    let entries = 0;
    for (let start = 0; start <= value.length;) {
      let end = value.indexOf(' ', start);
      if (end === -1) end = value.length;
      if (++entries > MAX_ENTRIES) {
        return invalid(`${SIGNATURE} has ${value.split(' ').length} entries, over ${MAX_ENTRIES}`);
      }
      if (end > start) {
        const comma = value.indexOf(',', start);
        const versionEnd = comma === -1 || comma > end ? end : comma;
        if (versionEnd - start !== 2 || !value.startsWith('v1', start)) {
          (versions ??= new Set()).add(value.slice(start, Math.min(versionEnd, start + 16)));
        } else {
          // A malformed v1 entry (including "v1,...=," left by a repeated header that a
          // proxy joined with a comma) is refused rather than skipped.
          const b64 = versionEnd === end ? value.slice(start, end) : value.slice(comma + 1, end);
          const digest = base64Digest(b64);
          if (digest === undefined) {
            return invalid(`a v1 entry of ${SIGNATURE} is not 44 base64 characters`);
          }
          signatures.push(digest);
        }
      }
      start = end + 1;
    }
    if (signatures.length === 0) {
      return invalid(
        `${SIGNATURE} has no v1 entry${versions === undefined ? '' : ` (unknown versions: ${[...versions].join(', ')})`}`,
      );
    }
    return {
      ok: true,
      delivery: {
        signatures,
        timestamp: Number(ts),
        deliveryId: id,
        header: SIGNATURE,
        signedPrefix: `${id}.${ts}.`,
      },
    };
  },
  signedPrefix: (d) => `${d.deliveryId ?? ''}.${d.timestamp ?? 0}.`,
  signatureHeaders: (digests, parts) => ({
    'webhook-id': parts.deliveryId,
    'webhook-timestamp': String(parts.timestamp),
    'webhook-signature': digests.map((d) => `v1,${d.toString('base64')}`).join(' '),
  }),
};
