/**
 * Key normalization for `caseInsensitive` matching. One secret travels under many spellings
 * (`apiKey` in JS, `api_key` in a database row, `API-KEY` or `X-Api-Key` in a header dump,
 * `Api Key` in a form or spreadsheet), and a redactor configured with one of them must not let
 * the others through. Keys are compared with case folded and the word separators `_`, `-`,
 * `.` and space removed: `apiKey`, `api_key`, `API-KEY`, `Api.Key`, `api key` and `apikey` all
 * normalize to `apikey`, while `apiKeys` and `api_keyring` do not.
 */

/**
 * Recent results for keys that needed work. Log objects repeat the same few key names
 * (`Content-Type`, `x-request-id`, `userId`) on every call, and a lookup costs a fraction of
 * lower-casing and splicing the key again. Bounded in entries and key length, and emptied
 * when full, so hostile input with endless distinct keys costs memory only up to the bound;
 * it holds key names only, never values.
 */
const cache = new Map<string, string>();
const CACHE_ENTRIES = 512;
const CACHE_KEY_LENGTH = 64;

/**
 * The normalized form of `key`: lower case, without `_`, `-`, `.` or spaces. Returns `key`
 * itself, without allocating or hashing, when it is already normalized (`status`, `userid`),
 * so the per-key cost in the common case is one scan of its characters.
 */
export function normalizeKey(key: string): string {
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    // A-Z, '_', '-', '.', ' ', or anything outside ASCII (which toLowerCase may change).
    if ((c >= 65 && c <= 90) || c === 95 || c === 45 || c === 46 || c === 32 || c > 127) {
      if (key.length > CACHE_KEY_LENGTH) return rewrite(key);
      let out = cache.get(key);
      if (out === undefined) {
        out = rewrite(key);
        if (cache.size >= CACHE_ENTRIES) cache.clear();
        cache.set(key, out);
      }
      return out;
    }
  }
  return key;
}

/** Lower-cases `key` and drops its separators, slicing between them (no regular expression). */
function rewrite(key: string): string {
  const lower = key.toLowerCase();
  let out = '';
  let start = 0;
  for (let i = 0; i < lower.length; i++) {
    const c = lower.charCodeAt(i);
    if (c === 95 || c === 45 || c === 46 || c === 32) {
      if (i > start) out += lower.slice(start, i);
      start = i + 1;
    }
  }
  return start === 0 ? lower : out + lower.slice(start);
}
