import { readHeader } from '../header-value.js';
import type { WebhookScheme } from '../scheme.js';
import { hmacMatches, hmacOf } from './hmac.js';
import { SECONDS, hexDigest, invalid, required, utf8Key } from './shared.js';

const SIGNATURE = 'stripe-signature';
const MAX_ITEMS = 32;

/**
 * Stripe: `Stripe-Signature: t=<unix seconds>,v1=<hex>[,v1=<hex>...]`, each v1 an
 * HMAC-SHA256 of `${t}.${body}` keyed with the whole endpoint secret (`whsec_...`) as
 * UTF-8. `v0` (test-mode legacy) and unknown keys are ignored; `t` must appear exactly once.
 */
export const stripeScheme: WebhookScheme = {
  name: 'stripe',
  hasTimestamp: true,
  hasDeliveryId: false,
  unsignedWhenNoSecret: false,
  failureStatus: 403,
  needsUrl: false,
  signsWithEveryKey: true,
  expects: 'Stripe-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">',
  headerNames: [SIGNATURE],
  keyFor: (secret) => utf8Key('stripe', secret),
  parse(headers, maxHeaderLength) {
    const value = required(readHeader(headers, SIGNATURE, maxHeaderLength), SIGNATURE);
    if (typeof value !== 'string') return value;
    const items = value.split(',');
    if (items.length > MAX_ITEMS) return invalid(`${SIGNATURE} has over ${MAX_ITEMS} items`);
    let timestamp: string | undefined;
    const signatures: Buffer[] = [];
    for (const raw of items) {
      const item = raw.trim();
      const eq = item.indexOf('=');
      const key = eq === -1 ? item : item.slice(0, eq);
      const v = item.slice(eq + 1);
      if (key === 't') {
        // Two timestamps (a repeated header joined by a proxy) are ambiguous: refuse.
        if (timestamp !== undefined) return invalid(`${SIGNATURE} has more than one t=`);
        timestamp = v;
      } else if (key === 'v1') {
        const digest = hexDigest(v);
        if (digest === undefined)
          return invalid(`a v1= value of ${SIGNATURE} is not 64 hex digits`);
        signatures.push(digest);
      }
    }
    if (timestamp === undefined) return invalid(`${SIGNATURE} has no t= timestamp`);
    if (!SECONDS.test(timestamp)) return invalid(`t= in ${SIGNATURE} is not a whole number`);
    if (signatures.length === 0) return invalid(`${SIGNATURE} has no v1= signature`);
    return {
      ok: true,
      delivery: {
        signatures,
        timestamp: Number(timestamp),
        deliveryId: undefined,
        header: SIGNATURE,
        signedPrefix: `${timestamp}.`,
      },
    };
  },
  matches: hmacMatches('sha256'),
  sign: (keys, body, parts) => ({
    'Stripe-Signature': [
      `t=${parts.timestamp}`,
      ...keys
        .filter((key) => Buffer.isBuffer(key))
        .map((key) => `v1=${hmacOf('sha256', key, `${parts.timestamp}.`, body).toString('hex')}`),
    ].join(','),
  }),
};
