import type { HeaderBag } from '../body/options.js';

/**
 * A header read for verification: its value as a plain string (the common case, so reading
 * a good header allocates nothing), or why it cannot be used.
 */
export type HeaderRead =
  string | { readonly kind: 'missing' } | { readonly kind: 'bad'; readonly why: string };

/** Longest signature-bearing header accepted; real ones are well under 1 KiB. */
export const MAX_HEADER_LENGTH = 4096;

// Printable ASCII, space and tab (RFC 9110 section 5.5 field-vchar without obs-text). A
// signature, id or timestamp never needs anything else; anything else is garbage that
// must be a 403, never a decoding exception.
const PRINTABLE = /^[\x20-\x7e\t]*$/;

const MISSING: HeaderRead = { kind: 'missing' };

function lookup(headers: HeaderBag, name: string): string | readonly string[] | undefined {
  const direct = headers[name];
  if (direct !== undefined) return direct;
  // Node lower-cases names; a hand-built record (tests, the CLI) may not.
  for (const key in headers) {
    if (key.length === name.length && key.toLowerCase() === name) return headers[key];
  }
  return undefined;
}

/** True when the request carries the header at all (any case of its name, any value). */
export function hasHeader(headers: HeaderBag, name: string): boolean {
  return lookup(headers, name) !== undefined;
}

/**
 * One header value, trimmed, checked for the shapes that must never reach a parser: a
 * repeated field (ambiguous: which copy was signed?), a huge value, non-ASCII bytes. An
 * empty value counts as missing. `name` is lower-case.
 *
 * `printable: false` skips the character check for a value whose next step accepts only
 * its own alphabet (a hex or base64 digest decoded to an exact length, digits of a
 * timestamp, a token that is only hashed) and never echoes it: that step refuses the same
 * inputs, and the check was a tenth of the fixed cost of a 1 KiB verification.
 */
export function readHeader(
  headers: HeaderBag,
  name: string,
  maxLength: number,
  printable = true,
): HeaderRead {
  let raw = lookup(headers, name);
  if (raw === undefined) return MISSING;
  if (typeof raw !== 'string') {
    if (raw.length > 1) return { kind: 'bad', why: `${name} was sent ${raw.length} times` };
    raw = raw[0];
    if (raw === undefined) return MISSING;
  }
  if (raw.length > maxLength) {
    return { kind: 'bad', why: `${name} is ${raw.length} characters, over ${maxLength}` };
  }
  if (printable && !PRINTABLE.test(raw)) {
    return { kind: 'bad', why: `${name} contains non-ASCII or control characters` };
  }
  const value = raw.trim();
  return value === '' ? MISSING : value;
}
