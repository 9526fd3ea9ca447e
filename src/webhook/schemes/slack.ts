import { readHeader } from '../header-value.js';
import type { WebhookScheme } from '../scheme.js';
import { firstHmacKey, hmacMatches, hmacOf } from './hmac.js';
import {
  defineScheme,
  hexDigest,
  invalid,
  parsedDelivery,
  required,
  requiredSeconds,
  utf8Key,
} from './shared.js';

const SIGNATURE = 'x-slack-signature';
const TIMESTAMP = 'x-slack-request-timestamp';

/**
 * Slack: `X-Slack-Signature: v0=<hex>`, an HMAC-SHA256 of `v0:${timestamp}:${body}` keyed
 * with the app's signing secret as UTF-8, and `X-Slack-Request-Timestamp` in seconds.
 */
export const slackScheme: WebhookScheme = defineScheme({
  name: 'slack',
  hasTimestamp: true,
  hasDeliveryId: false,
  unsignedWhenNoSecret: false,
  failureStatus: 403,
  needsUrl: false,
  signsWithEveryKey: false,
  expects:
    'X-Slack-Request-Timestamp: <unix seconds>; X-Slack-Signature: v0=<hex HMAC-SHA256 of "v0:timestamp:body">',
  headerNames: [TIMESTAMP, SIGNATURE],
  keyFor: (secret) => utf8Key('slack', secret),
  parse(headers, maxHeaderLength) {
    const ts = requiredSeconds(headers, TIMESTAMP);
    if (typeof ts !== 'string') return ts;
    const value = required(readHeader(headers, SIGNATURE, maxHeaderLength, false), SIGNATURE);
    if (typeof value !== 'string') return value;
    if (!value.startsWith('v0=')) {
      return invalid(`${SIGNATURE} has an unknown version (expected v0=)`);
    }
    const digest = hexDigest(value.slice(3));
    if (digest === undefined) return invalid(`${SIGNATURE} is not v0= and 64 hex digits`);
    return parsedDelivery([digest], Number(ts), undefined, SIGNATURE, `v0:${ts}:`);
  },
  matches: hmacMatches('sha256'),
  sign: (keys, body, parts) => ({
    'X-Slack-Request-Timestamp': String(parts.timestamp),
    'X-Slack-Signature': `v0=${hmacOf('sha256', firstHmacKey(keys, 'slack'), `v0:${parts.timestamp}:`, body).toString('hex')}`,
  }),
});
