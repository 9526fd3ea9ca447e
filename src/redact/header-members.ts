import type { HeaderRedactor } from './headers.js';

/**
 * The `headers` members of a logged object: `{ headers }` at the top, one level down
 * (`{ req: { headers } }`, `{ res: { headers } }`), and two levels down, where an HTTP client's
 * error sits inside pino's `{ err }` (`err.config.headers`, `err.response.headers`, which carry
 * the request's own credentials). Deeper ones are left to field redaction.
 */

/** How many objects down from the logged one a `headers` member is looked for. */
const HOLDER_DEPTH = 2;

type Slots = Record<string, unknown>;

/** `headers` in any case, without lower-casing (and allocating) for every other key. */
function isHeadersKey(key: string): boolean {
  return key.length === 7 && (key === 'headers' || key.toLowerCase() === 'headers');
}

/**
 * Objects whose members are looked at: anything but arrays and binary data (a Buffer's
 * indices are its members, and walking a megabyte of them finds no headers).
 */
function hasMembers(value: unknown): value is Slots {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !ArrayBuffer.isView(value)
  );
}

/**
 * Read-only, allocation-free: does `value` hold a `headers` member, down to HOLDER_DEPTH,
 * with a header the redactor censors? Own enumerable keys only, as the copy sees them.
 */
export function hasRedactableHeaders(redactor: HeaderRedactor, value: object): boolean {
  try {
    return holdsRedactable(redactor, value, HOLDER_DEPTH);
  } catch {
    return true; // a throwing proxy or getter: let the safe copy deal with it
  }
}

function holdsRedactable(redactor: HeaderRedactor, value: unknown, depth: number): boolean {
  if (!hasMembers(value)) return false;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    const member = value[key];
    if (isHeadersKey(key)) {
      if (redactor.needsRedaction(member)) return true;
    } else if (depth > 0 && holdsRedactable(redactor, member, depth - 1)) {
      return true;
    }
  }
  return false;
}

/** The objects the safe deep copy produces that can hold members: plain objects and Errors. */
function isMemberHolder(value: unknown): value is Slots {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null || value instanceof Error;
}

/**
 * Replaces every `headers` member (down to HOLDER_DEPTH) of `copy` with its redacted
 * copy. `copy` must be a fresh deep copy the caller owns (the field redactor's output): its
 * members are reassigned in place, which is why it must never be the caller's own object.
 */
export function redactHeaderMembers(redactor: HeaderRedactor, copy: unknown): unknown {
  replaceMembers(redactor, copy, HOLDER_DEPTH);
  return copy;
}

function replaceMembers(redactor: HeaderRedactor, copy: unknown, depth: number): void {
  if (!isMemberHolder(copy)) return;
  for (const key of Object.keys(copy)) {
    if (isHeadersKey(key)) copy[key] = redactor(copy[key]);
    else if (depth > 0) replaceMembers(redactor, copy[key], depth - 1);
  }
}
