import { signatureInvalid, signatureMissing } from '../errors.js';
import { readHeader } from '../header-value.js';
import type { HeaderRead } from '../header-value.js';
import type { HeaderBag } from '../../body/options.js';
import type { ParseResult } from '../scheme.js';

/** 64 hex digits, either case: one HMAC-SHA256 digest. */
export const HEX_DIGEST = /^[0-9a-fA-F]{64}$/;
/** 44 base64 characters: one HMAC-SHA256 digest. */
export const BASE64_DIGEST = /^[A-Za-z0-9+/]{43}=$/;
/** A Unix time in seconds: digits only, so "1e9", "-5" or " 5" never parse. */
export const SECONDS = /^[0-9]{1,12}$/;

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
  if (read.kind === 'missing') return missing(`no ${name} header was sent`, detail);
  if (read.kind === 'bad') return invalid(read.why);
  return read.value;
}

/** Key bytes for a secret used as-is (UTF-8), as GitHub, Stripe and Slack do. */
export function utf8Key(scheme: string, secret: string): Buffer {
  if (secret === '') {
    throw new TypeError(
      `bulwark: webhook secret for ${scheme}: the secret is empty; give the secret the sender signs with.`,
    );
  }
  return Buffer.from(secret, 'utf8');
}

/**
 * A timestamp header that must hold whole Unix seconds (Slack, Standard Webhooks), or the
 * failure to return. Anything else is refused before any arithmetic on it.
 */
export function requiredSeconds(
  headers: HeaderBag,
  name: string,
): string | (ParseResult & { ok: false }) {
  const ts = required(readHeader(headers, name, 32), name, 'Missing webhook timestamp header.');
  if (typeof ts !== 'string') return ts;
  return SECONDS.test(ts) ? ts : invalid(`${name} is not a whole number of seconds`);
}
