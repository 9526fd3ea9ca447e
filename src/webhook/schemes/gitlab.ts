import { createHash } from 'node:crypto';
import { matchesAny } from '../compare.js';
import { readHeader } from '../header-value.js';
import type { WebhookScheme } from '../scheme.js';
import { bodyDelivery, defineScheme, required, utf8Key } from './shared.js';

const TOKEN = 'x-gitlab-token';
const ID = 'x-gitlab-event-uuid';

function digest(bytes: Buffer | string): Buffer {
  return createHash('sha256').update(bytes).digest();
}

/**
 * GitLab: `X-Gitlab-Token` carries the webhook's secret token itself, not a signature.
 * Comparing it with `===` leaks, through timing, how many leading characters an attacker
 * guessed; both sides are hashed to 32 bytes first and compared in constant time, which
 * also hides the token's length. `X-Gitlab-Event-UUID` is the delivery id (opt-in replay).
 */
export const gitlabScheme: WebhookScheme = defineScheme({
  name: 'gitlab',
  hasTimestamp: false,
  hasDeliveryId: true,
  unsignedWhenNoSecret: false,
  failureStatus: 403,
  needsUrl: false,
  signsWithEveryKey: false,
  expects: 'X-Gitlab-Token: <the secret token>; X-Gitlab-Event-UUID: <id>',
  headerNames: [TOKEN, ID],
  // A receiver keeps only the token's digest; a sender needs the token itself.
  keyFor: (secret, purpose) => {
    const token = utf8Key('gitlab', secret);
    // A header carries printable ASCII only (anything else is refused before comparison),
    // so a token outside it could never match: say so now rather than refuse every delivery.
    if (!/^[\x21-\x7e]+$/.test(token.toString('latin1'))) {
      throw new TypeError(
        'bulwark: webhook secret for gitlab: the token has characters a header cannot carry (non-ASCII, spaces or control characters); give the Secret token exactly as set in GitLab.',
      );
    }
    return purpose === 'verify' ? digest(token) : token;
  },
  parse(headers, maxHeaderLength) {
    const value = required(readHeader(headers, TOKEN, maxHeaderLength, false), TOKEN);
    if (typeof value !== 'string') return value;
    return bodyDelivery(headers, digest(value), TOKEN, ID);
  },
  matches: (key, delivery) => Buffer.isBuffer(key) && matchesAny(key, delivery.signatures),
  sign: (keys, _body, parts) => ({
    'X-Gitlab-Token': (keys[0] as Buffer).toString('utf8'),
    'X-Gitlab-Event-UUID': parts.deliveryId,
  }),
});
