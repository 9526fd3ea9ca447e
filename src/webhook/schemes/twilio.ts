import { createHash, timingSafeEqual } from 'node:crypto';
import type { HeaderBag } from '../../body/options.js';
import { matchesAny } from '../compare.js';
import { readHeader } from '../header-value.js';
import type { ParseResult, WebhookScheme } from '../scheme.js';
import { firstHmacKey, hmacOf } from './hmac.js';
import {
  base64Digest,
  defineScheme,
  invalid,
  MAX_ID,
  parsedDelivery,
  required,
  utf8Key,
} from './shared.js';

const SIGNATURE = 'x-twilio-signature';
const SETTINGS = 'x-twilio-webhooks-signature-settings';
const ID = 'i-twilio-idempotency-token';
const CONTENT_TYPE = 'content-type';
/** The Content-Type whose parameters Twilio signs. */
export const FORM_TYPE = 'application/x-www-form-urlencoded';
const BODY_HASH = /[?&]bodySHA256=([^&#]*)/;

/** The standard port added when the URL has none, or removed when it has one. */
function otherPortForm(url: string): string {
  const match = /^(https?):\/\/([^/?#]*)/i.exec(url);
  if (match === null) return url;
  const [prefix, scheme = '', authority = ''] = match;
  const rest = url.slice(prefix.length);
  const colon = authority.indexOf(':', authority.lastIndexOf(']') + 1);
  if (colon !== -1) return `${scheme}://${authority.slice(0, colon)}${rest}`;
  return `${scheme}://${authority}:${scheme.toLowerCase() === 'https' ? 443 : 80}${rest}`;
}

/**
 * The form parameters Twilio signs: names sorted, each followed by its value; a repeated
 * name contributes each distinct value, sorted (what Twilio's own helper does).
 */
function sortedParameters(body: Uint8Array | string): string {
  const text = typeof body === 'string' ? body : Buffer.from(body).toString('utf8');
  const pairs: [string, string][] = [...new URLSearchParams(text)];
  // Sorted by name, then value (code-unit order, as JavaScript's sort and Twilio's helper).
  pairs.sort((a, b) =>
    a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0,
  );
  let out = '';
  let lastName: string | undefined;
  let lastValue: string | undefined;
  for (const [name, value] of pairs) {
    // A repeated name and value counts once.
    if (name === lastName && value === lastValue) continue;
    out += name + value;
    lastName = name;
    lastValue = value;
  }
  return out;
}

/**
 * The URL a sender posts a JSON (or any non-form) body to: `bodySHA256=<hex SHA-256 of the
 * body>` appended to its query, which is how Twilio binds a body it does not sign.
 */
export function withBodyHash(url: string, body: Uint8Array | string): string {
  const hash = createHash('sha256').update(body).digest('hex');
  return `${url}${url.includes('?') ? '&' : '?'}bodySHA256=${hash}`;
}

/**
 * The URL a delivery must be posted to for its signature to cover its body: as given for a
 * form (whose parameters are signed), an empty body, or a URL that already carries
 * `bodySHA256`; otherwise with the body's hash appended.
 */
export function twilioDeliveryUrl(
  url: string,
  body: Uint8Array | string,
  contentType: string,
): string {
  if (contentType.toLowerCase().startsWith(FORM_TYPE) || body.length === 0) return url;
  return BODY_HASH.test(url) ? url : withBodyHash(url, body);
}

function isForm(headers: HeaderBag): boolean {
  const read = readHeader(headers, CONTENT_TYPE, 256);
  return typeof read === 'string' && read.toLowerCase().startsWith(FORM_TYPE);
}

/** The digest Twilio names in its settings header: HMAC-SHA1 (the default) or HMAC-SHA256. */
function algorithmOf(headers: HeaderBag): string | ParseResult {
  const read = readHeader(headers, SETTINGS, 512);
  if (typeof read !== 'string') return read.kind === 'missing' ? 'sha1' : invalid(read.why);
  for (const part of read.split(',')) {
    const eq = part.indexOf('=');
    if (eq !== -1 && part.slice(0, eq).trim() === 'algorithm') {
      const name = part
        .slice(eq + 1)
        .trim()
        .toUpperCase();
      if (name === 'HMAC_SHA1' || name === '') return 'sha1';
      if (name === 'HMAC_SHA256') return 'sha256';
      return invalid(`${SETTINGS} names an unknown algorithm`);
    }
  }
  return 'sha1';
}

/**
 * Twilio: `X-Twilio-Signature` holds the base64 HMAC-SHA1 (or HMAC-SHA256 when the
 * settings header says so) of the full public URL Twilio requested, followed, for form
 * posts, by every parameter name and value sorted by name. A JSON body is not signed
 * itself: the URL carries its SHA-256 as `bodySHA256`, checked here against the bytes.
 * The URL must be the one the sender used, which a server behind a proxy cannot see: it
 * comes from the `publicUrl` option, never from `Host` or forwarding headers.
 */
export const twilioScheme: WebhookScheme = defineScheme({
  name: 'twilio',
  hasTimestamp: false,
  hasDeliveryId: true,
  unsignedWhenNoSecret: false,
  failureStatus: 403,
  needsUrl: true,
  signsWithEveryKey: false,
  expects:
    'X-Twilio-Signature: <base64 HMAC-SHA1 of the public URL + sorted form parameters (or the URL with bodySHA256 for JSON)>',
  headerNames: [SIGNATURE, SETTINGS, ID],
  keyFor: (secret) => utf8Key('twilio', secret),
  parse(headers, maxHeaderLength, body, url) {
    const value = required(readHeader(headers, SIGNATURE, maxHeaderLength, false), SIGNATURE);
    if (typeof value !== 'string') return value;
    const algorithm = algorithmOf(headers);
    if (typeof algorithm !== 'string') return algorithm;
    const signature = base64Digest(value, algorithm === 'sha1' ? 20 : 32);
    if (signature === undefined) {
      return invalid(`${SIGNATURE} is not a base64 HMAC-${algorithm.toUpperCase()}`);
    }
    if (url === undefined) {
      return invalid('the public URL of this request is unknown; set publicUrl');
    }
    const id = readHeader(headers, ID, MAX_ID);
    if (typeof id !== 'string' && id.kind === 'bad') return invalid(id.why);
    let params = '';
    const hash = BODY_HASH.exec(url);
    if (hash !== null) {
      // A JSON (or other non-form) body: the URL is signed, the body is bound by its hash.
      // The URL is the sender's text: a malformed escape is a refusal, never an exception.
      let text: string;
      try {
        text = decodeURIComponent(hash[1] ?? '');
      } catch {
        return invalid('the bodySHA256 parameter of the URL is not valid percent-encoding');
      }
      const claimed = Buffer.from(text, 'utf8');
      const actual = Buffer.from(createHash('sha256').update(body).digest('hex'));
      if (claimed.length !== actual.length || !timingSafeEqual(claimed, actual)) {
        return invalid('the bodySHA256 parameter of the URL does not match the body');
      }
    } else if (isForm(headers)) {
      params = sortedParameters(body);
    } else if (body.length > 0) {
      // Without a form or a bodySHA256 the signature covers the URL alone: a signature
      // captured from a GET callback would otherwise carry any body an attacker posts.
      return invalid(
        'the body is neither a form nor bound by a bodySHA256 parameter in the URL, so the signature does not cover it',
      );
    }
    const alternate = otherPortForm(url);
    // Twilio may sign the URL with or without the standard port; both are tried.
    return parsedDelivery(
      [signature],
      undefined,
      typeof id === 'string' ? id : undefined,
      SIGNATURE,
      '',
      {
        signedTexts: alternate === url ? [url + params] : [url + params, alternate + params],
        algorithm,
      },
    );
  },
  matches(key, delivery) {
    if (!Buffer.isBuffer(key)) return false;
    // The port variant is tried only when the URL as configured does not match: which
    // variant matched depends on the public URL alone, so stopping early reveals nothing.
    for (const text of delivery.signedTexts ?? []) {
      const expected = hmacOf(delivery.algorithm ?? 'sha1', key, '', text);
      if (matchesAny(expected, delivery.signatures)) return true;
    }
    return false;
  },
  sign(keys, body, parts) {
    let text = parts.url;
    const deliveryUrl = twilioDeliveryUrl(text, body, parts.contentType);
    if (deliveryUrl !== text) {
      throw new TypeError(
        `bulwark: signWebhook for twilio: a body that is not a form is bound by its hash in the URL; post to ${deliveryUrl} and sign that URL.`,
      );
    }
    if (parts.contentType.toLowerCase().startsWith(FORM_TYPE)) text += sortedParameters(body);
    const key = firstHmacKey(keys, 'twilio');
    return {
      'X-Twilio-Signature': hmacOf('sha1', key, '', text).toString('base64'),
      'I-Twilio-Idempotency-Token': parts.deliveryId,
    };
  },
});
