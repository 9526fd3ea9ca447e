import { checkHeaderName } from '../../headers/validate.js';
import type { HeaderBag } from '../../body/options.js';
import { readHeader } from '../header-value.js';
import type { ParseResult, WebhookScheme } from '../scheme.js';
import { firstHmacKey, hmacMatches, hmacOf } from './hmac.js';
import { defineScheme, hexDigest, invalid, missing, parsedDelivery, utf8Key } from './shared.js';

const DEFAULT_HEADERS = ['x-hub-signature-256', 'x-webhook-signature'] as const;
const PREFIX = /^sha256=/i;

/**
 * Mission Control: HMAC-SHA256(secret, raw body) as hex in `X-Hub-Signature-256` or
 * `X-Webhook-Signature` (read in that order, the first one present wins), or in one custom
 * header per webhook. The `sha256=` prefix is optional and case-insensitive, hex may be
 * either case, surrounding whitespace is ignored. No secret configured means not checked.
 */
export function missionControlScheme(headerName?: string): WebhookScheme {
  if (headerName !== undefined) checkHeaderName(headerName);
  const names: readonly string[] =
    headerName === undefined ? DEFAULT_HEADERS : [headerName.toLowerCase()];
  const display = headerName ?? 'X-Hub-Signature-256 or X-Webhook-Signature';
  return defineScheme({
    name: 'mission-control',
    hasTimestamp: false,
    hasDeliveryId: false,
    unsignedWhenNoSecret: true,
    failureStatus: 403,
    needsUrl: false,
    signsWithEveryKey: false,
    expects: `${display}: sha256=<hex HMAC-SHA256 of the raw body>`,
    headerNames: names,
    keyFor: (secret) => utf8Key('mission-control', secret),
    parse(headers: HeaderBag, maxHeaderLength: number): ParseResult {
      for (const name of names) {
        const read = readHeader(headers, name, maxHeaderLength, false);
        if (typeof read !== 'string') {
          if (read.kind === 'missing') continue;
          return invalid(read.why);
        }
        const hex = PREFIX.test(read) ? read.slice(7).trim() : read;
        const digest = hexDigest(hex);
        if (digest === undefined) {
          return invalid(
            `${name} is not 64 hex digits after the optional sha256= prefix (got ${hex.length} characters)`,
          );
        }
        return parsedDelivery([digest], undefined, undefined, name, '');
      }
      return missing(`none of ${names.join(', ')} was sent`);
    },
    matches: hmacMatches('sha256'),
    sign: (keys, body) => ({
      [headerName ?? 'X-Webhook-Signature']:
        `sha256=${hmacOf('sha256', firstHmacKey(keys, 'mission-control'), '', body).toString('hex')}`,
    }),
  });
}
