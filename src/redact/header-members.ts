import type { HeaderRedactor } from './headers.js';

/**
 * The `headers` members of a logged object: `{ headers }` at the top, and one level down
 * (`{ req: { headers } }`, `{ res: { headers } }`, an error's `response.headers`), where
 * loggers and HTTP clients put them. Deeper ones are left to field redaction.
 */

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
 * Read-only, allocation-free: does `value` hold a `headers` member, at the top or one level
 * down, with a header the redactor censors? Own enumerable keys only, as the copy sees them.
 */
export function hasRedactableHeaders(redactor: HeaderRedactor, value: object): boolean {
  try {
    if (!hasMembers(value)) return false;
    for (const key in value) {
      if (!Object.hasOwn(value, key)) continue;
      const member = value[key];
      if (isHeadersKey(key)) {
        if (redactor.needsRedaction(member)) return true;
      } else if (hasMembers(member)) {
        for (const inner in member) {
          if (Object.hasOwn(member, inner) && isHeadersKey(inner)) {
            if (redactor.needsRedaction(member[inner])) return true;
          }
        }
      }
    }
  } catch {
    return true; // a throwing proxy or getter: let the safe copy deal with it
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
 * Replaces every `headers` member (top level and one level down) of `copy` with its redacted
 * copy. `copy` must be a fresh deep copy the caller owns (the field redactor's output): its
 * members are reassigned in place, which is why it must never be the caller's own object.
 */
export function redactHeaderMembers(redactor: HeaderRedactor, copy: unknown): unknown {
  if (!isMemberHolder(copy)) return copy;
  for (const key of Object.keys(copy)) {
    const member = copy[key];
    if (isHeadersKey(key)) {
      copy[key] = redactor(member);
    } else if (isMemberHolder(member)) {
      for (const inner of Object.keys(member)) {
        if (isHeadersKey(inner)) member[inner] = redactor(member[inner]);
      }
    }
  }
  return copy;
}
