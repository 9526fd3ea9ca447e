/** One POSIX shell word: single-quoted, with embedded single quotes closed and escaped. */
export function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Digests in a header value shortened to their first 12 characters: enough to compare, useless to replay. */
export function shortenDigests(value: string): string {
  return value.replace(/[0-9a-fA-F]{64}|[A-Za-z0-9+/]{43}=/g, (d) => `${d.slice(0, 12)}…`);
}

/** A header value shown for explanation: digests shortened, long values cut. */
export function showValue(value: string): string {
  const v = shortenDigests(value);
  return v.length > 120 ? `${v.slice(0, 117)}...` : v;
}
