import { readHeader } from '../header-value.js';
import type { WebhookScheme } from '../scheme.js';
import { firstHmacKey, hmacMatches, hmacOf } from './hmac.js';
import { base64Digest, bodyDelivery, defineScheme, invalid, required, utf8Key } from './shared.js';

const SIGNATURE = 'x-shopify-hmac-sha256';
const ID = 'x-shopify-webhook-id';

/**
 * Shopify: `X-Shopify-Hmac-Sha256` holds the base64 (not hex) HMAC-SHA256 of the raw body,
 * keyed with the app's client secret as UTF-8. `X-Shopify-Webhook-Id` is the delivery id
 * (the replay key); there is no signed timestamp, so replay protection is opt-in.
 */
export const shopifyScheme: WebhookScheme = defineScheme({
  name: 'shopify',
  hasTimestamp: false,
  hasDeliveryId: true,
  unsignedWhenNoSecret: false,
  failureStatus: 403,
  needsUrl: false,
  signsWithEveryKey: false,
  expects:
    'X-Shopify-Hmac-Sha256: <base64 HMAC-SHA256 of the raw body>; X-Shopify-Webhook-Id: <id>',
  headerNames: [SIGNATURE, ID],
  keyFor: (secret) => utf8Key('shopify', secret),
  parse(headers, maxHeaderLength) {
    const value = required(readHeader(headers, SIGNATURE, maxHeaderLength, false), SIGNATURE);
    if (typeof value !== 'string') return value;
    const digest = base64Digest(value);
    if (digest === undefined) return invalid(`${SIGNATURE} is not 44 base64 characters`);
    return bodyDelivery(headers, digest, SIGNATURE, ID);
  },
  matches: hmacMatches('sha256'),
  sign: (keys, body, parts) => ({
    'X-Shopify-Hmac-Sha256': hmacOf('sha256', firstHmacKey(keys, 'shopify'), '', body).toString(
      'base64',
    ),
    'X-Shopify-Webhook-Id': parts.deliveryId,
  }),
});
