/** Mission Control logs the first 6 characters of a rejected token. */
const MAX_PREFIX = 6;

/**
 * The part of a token that is safe to log: its first 6 characters, as Mission Control logs them,
 * but never more than a quarter of the token, so a short token is not half disclosed (a 12
 * character token shows 3; fewer than 4 characters show nothing). Characters outside printable
 * ASCII are shown as `?`, so a crafted token cannot inject control sequences into a log line.
 *
 * @example
 * tokenPrefix('mc_live_8f3a9c2e71d04b5a'); // 'mc_liv'
 */
export function tokenPrefix(token: string | null | undefined): string {
  if (typeof token !== 'string' || token === '') return '';
  const chars = Array.from(token); // code points: never split a surrogate pair
  const n = Math.min(MAX_PREFIX, Math.floor(chars.length / 4));
  let out = '';
  for (let i = 0; i < n; i++) {
    const ch = chars[i] ?? '';
    out += /^[\x21-\x7e]$/.test(ch) ? ch : '?';
  }
  return out;
}
