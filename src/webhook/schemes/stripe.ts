import { readHeader } from '../header-value.js';
import type { WebhookScheme } from '../scheme.js';
import { hmacMatches, hmacOf } from './hmac.js';
import {
  defineScheme,
  hexDigest,
  invalid,
  parsedDelivery,
  required,
  SECONDS,
  utf8Key,
} from './shared.js';

const SIGNATURE = 'stripe-signature';
const MAX_ITEMS = 32;

/** Space or tab, the whitespace a header list may carry around its items (RFC 9110 OWS). */
function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x09;
}

/**
 * Stripe: `Stripe-Signature: t=<unix seconds>,v1=<hex>[,v1=<hex>...]`, each v1 an
 * HMAC-SHA256 of `${t}.${body}` keyed with the whole endpoint secret (`whsec_...`) as
 * UTF-8. `v0` (test-mode legacy) and unknown keys are ignored; `t` must appear exactly once.
 */
export const stripeScheme: WebhookScheme = defineScheme({
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
    const value = required(readHeader(headers, SIGNATURE, maxHeaderLength, false), SIGNATURE);
    if (typeof value !== 'string') return value;
    let timestamp: string | undefined;
    const signatures: Buffer[] = [];
    // Items are walked in place: only the t= and v1= values are sliced out, no split and
    // no trimmed copy per item.
    let items = 0;
    for (let start = 0; start <= value.length;) {
      let end = value.indexOf(',', start);
      if (end === -1) end = value.length;
      if (++items > MAX_ITEMS) return invalid(`${SIGNATURE} has over ${MAX_ITEMS} items`);
      let from = start;
      let to = end;
      while (from < to && isSpace(value.charCodeAt(from))) from++;
      while (to > from && isSpace(value.charCodeAt(to - 1))) to--;
      if (value.startsWith('t=', from) && from + 2 <= to) {
        // Two timestamps (a repeated header joined by a proxy) are ambiguous: refuse.
        if (timestamp !== undefined) return invalid(`${SIGNATURE} has more than one t=`);
        timestamp = value.slice(from + 2, to);
      } else if (value.startsWith('v1=', from) && from + 3 <= to) {
        const digest = hexDigest(value.slice(from + 3, to));
        if (digest === undefined)
          return invalid(`a v1= value of ${SIGNATURE} is not 64 hex digits`);
        signatures.push(digest);
      }
      start = end + 1;
    }
    if (timestamp === undefined) return invalid(`${SIGNATURE} has no t= timestamp`);
    if (!SECONDS.test(timestamp)) return invalid(`t= in ${SIGNATURE} is not a whole number`);
    if (signatures.length === 0) return invalid(`${SIGNATURE} has no v1= signature`);
    return parsedDelivery(signatures, Number(timestamp), undefined, SIGNATURE, `${timestamp}.`);
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
});
