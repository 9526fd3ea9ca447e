import { readHeader } from '../header-value.js';
import type { WebhookScheme } from '../scheme.js';
import { firstHmacKey, hmacMatches, hmacOf } from './hmac.js';
import { bodyDelivery, defineScheme, hexDigest, invalid, required, utf8Key } from './shared.js';

const SIGNATURE = 'x-hub-signature-256';
const DELIVERY = 'x-github-delivery';
const PREFIX = /^sha256=/i;

/**
 * GitHub: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>`, with the secret
 * used as UTF-8. `X-GitHub-Delivery` is the delivery id; there is no signed timestamp, so
 * replay protection is opt-in (`replay: true`) and keyed on the delivery id.
 */
export const githubScheme: WebhookScheme = defineScheme({
  name: 'github',
  hasTimestamp: false,
  hasDeliveryId: true,
  unsignedWhenNoSecret: false,
  failureStatus: 403,
  needsUrl: false,
  signsWithEveryKey: false,
  expects: 'X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>; X-GitHub-Delivery: <id>',
  headerNames: [SIGNATURE, DELIVERY],
  keyFor: (secret) => utf8Key('github', secret),
  parse(headers, maxHeaderLength) {
    const value = required(readHeader(headers, SIGNATURE, maxHeaderLength, false), SIGNATURE);
    if (typeof value !== 'string') return value;
    // The exact lower-case prefix GitHub sends is checked first, without a regex.
    if (!value.startsWith('sha256=') && !PREFIX.test(value))
      return invalid(`${SIGNATURE} does not start with sha256=`);
    const digest = hexDigest(value.slice(7));
    if (digest === undefined) return invalid(`${SIGNATURE} is not sha256= and 64 hex digits`);
    return bodyDelivery(headers, digest, SIGNATURE, DELIVERY);
  },
  matches: hmacMatches('sha256'),
  sign: (keys, body, parts) => ({
    'X-Hub-Signature-256': `sha256=${hmacOf('sha256', firstHmacKey(keys, 'github'), '', body).toString('hex')}`,
    'X-GitHub-Delivery': parts.deliveryId,
  }),
});
