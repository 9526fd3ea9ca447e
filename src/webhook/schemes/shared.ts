import { signatureInvalid, signatureMissing } from '../errors.js';
import { readHeader } from '../header-value.js';
import type { HeaderRead } from '../header-value.js';
import type { HeaderBag } from '../../body/options.js';
import type { ParseResult, WebhookScheme } from '../scheme.js';

/**
 * One HMAC-SHA256 digest written as 64 hex digits (either case), decoded; undefined for
 * anything else. Node's hex decoder stops at the first character that is not a hex digit,
 * so 64 characters decoding to 32 bytes means all 64 were digits: the check and the decoding
 * are one pass, with no regular expression per request.
 */
export function hexDigest(text: string, size = 32): Buffer | undefined {
  if (text.length !== 2 * size) return undefined;
  const bytes = Buffer.from(text, 'hex');
  return bytes.length === size ? bytes : undefined;
}
/**
 * One digest of `size` bytes written in standard padded base64 (an HMAC-SHA256 is 44
 * characters, 43 and one `=`), decoded; undefined for anything else. Node's base64 decoder
 * skips characters outside the alphabet, so the exact length decoding to `size` bytes
 * leaves only the URL-safe `-` and `_` to refuse by hand: one decoding and two scans
 * instead of a regular expression per entry.
 */
export function base64Digest(text: string, size = 32): Buffer | undefined {
  const length = Math.ceil(size / 3) * 4;
  const padding = (3 - (size % 3)) % 3;
  if (text.length !== length) return undefined;
  for (let i = 1; i <= padding; i++) if (text.charCodeAt(length - i) !== 0x3d) return undefined;
  if (text.includes('-') || text.includes('_')) return undefined;
  const bytes = Buffer.from(text, 'base64');
  return bytes.length === size ? bytes : undefined;
}
/** A Unix time in seconds: digits only, so "1e9", "-5" or " 5" never parse. */
export const SECONDS = /^[0-9]{1,12}$/;

/** A refusal with the generic 403; the verifier turns it into a 401 where a sender requires one. */
export function invalid(reason: string): ParseResult & { ok: false } {
  return { ok: false, error: signatureInvalid(), reason };
}

export function missing(reason: string, detail?: string): ParseResult & { ok: false } {
  return { ok: false, error: signatureMissing(detail), reason };
}

/** The value of a header that must be present, or the failure to return. */
export function required(
  read: HeaderRead,
  name: string,
  detail?: string,
): string | (ParseResult & { ok: false }) {
  if (typeof read === 'string') return read;
  if (read.kind === 'missing') return missing(`no ${name} header was sent`, detail);
  return invalid(read.why);
}

/**
 * Key bytes for a secret used as-is (UTF-8), as GitHub, Stripe, Slack, Shopify and Twilio
 * do; bytes given as a Buffer are the raw key.
 */
export function utf8Key(scheme: string, secret: string | Buffer): Buffer {
  if (secret.length === 0) {
    throw new TypeError(
      `bulwark: webhook secret for ${scheme}: the secret is empty; give the secret the sender signs with.`,
    );
  }
  return typeof secret === 'string' ? Buffer.from(secret, 'utf8') : Buffer.from(secret);
}

/**
 * A timestamp header that must hold whole Unix seconds (Slack, Standard Webhooks), or the
 * failure to return. Anything else is refused before any arithmetic on it.
 */
export function requiredSeconds(
  headers: HeaderBag,
  name: string,
): string | (ParseResult & { ok: false }) {
  const ts = required(
    readHeader(headers, name, 32, false),
    name,
    'Missing webhook timestamp header.',
  );
  if (typeof ts !== 'string') return ts;
  return SECONDS.test(ts) ? ts : invalid(`${name} is not a whole number of seconds`);
}

/** Longest delivery id accepted; real ones are UUIDs or short tokens. */
export const MAX_ID = 256;

/**
 * The delivery of a scheme that signs the body alone (GitHub, Shopify, GitLab): one claimed
 * digest and an optional delivery-id header, read and bounded like any other header, or the
 * failure to return when that header is malformed.
 */
export function bodyDelivery(
  headers: HeaderBag,
  signature: Buffer,
  header: string,
  idHeader: string,
): ParseResult {
  const id = readHeader(headers, idHeader, MAX_ID);
  if (typeof id !== 'string' && id.kind === 'bad') return invalid(id.why);
  return parsedDelivery(
    [signature],
    undefined,
    typeof id === 'string' ? id : undefined,
    header,
    '',
  );
}

/** The parts of a delivery only some schemes carry. */
export interface DeliveryExtras {
  readonly asymmetric?: readonly Buffer[];
  readonly signedSuffix?: string;
  readonly signedTexts?: readonly string[];
  readonly algorithm?: string;
}

/**
 * A parsed delivery, built here and only here, with every field in one order. The verifier
 * and the matchers read deliveries of every scheme a process uses: objects of one shape
 * keep those reads monomorphic, where ten shapes cost about a tenth of a 1 KiB verification.
 */
export function parsedDelivery(
  signatures: readonly Buffer[],
  timestamp: number | undefined,
  deliveryId: string | undefined,
  header: string,
  signedPrefix: string,
  extras?: DeliveryExtras,
): ParseResult {
  return {
    ok: true,
    delivery: {
      signatures,
      asymmetric: extras?.asymmetric,
      timestamp,
      deliveryId,
      header,
      signedPrefix,
      signedSuffix: extras?.signedSuffix ?? '',
      signedTexts: extras?.signedTexts,
      algorithm: extras?.algorithm,
    },
  };
}

/**
 * A scheme object with its properties in one order, for the same reason as
 * {@link parsedDelivery}: the verifier calls through schemes of several kinds.
 */
export function defineScheme(s: WebhookScheme): WebhookScheme {
  return {
    name: s.name,
    hasTimestamp: s.hasTimestamp,
    hasDeliveryId: s.hasDeliveryId,
    unsignedWhenNoSecret: s.unsignedWhenNoSecret,
    failureStatus: s.failureStatus,
    needsUrl: s.needsUrl,
    expects: s.expects,
    headerNames: s.headerNames,
    signsWithEveryKey: s.signsWithEveryKey,
    keyFor: s.keyFor,
    parse: s.parse,
    matches: s.matches,
    sign: s.sign,
  };
}
