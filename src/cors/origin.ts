/**
 * Origins as the Fetch standard serializes them (`scheme://host[:port]`, or `null`), and the
 * normalization that lets a configured origin and a request's `Origin` be compared as
 * strings: scheme and host lower-cased, the default port dropped, an internationalized host
 * in its ASCII (punycode) form. Browsers always send this form; anything else in an
 * `Origin` header was written by hand and is compared after the same normalization.
 */

/** Longest `Origin` header considered at all: a real origin is a scheme and a host name. */
export const MAX_ORIGIN_LENGTH = 2048;

// scheme "://" host [":" port], nothing after: no user info, path, query or fragment. The
// host is a bracketed IPv6 literal or a run of characters that cannot start a port, path,
// query, fragment or user info.
const SERIALIZED = /^([a-z][a-z0-9+.-]*):\/\/(\[[0-9a-f:.]+\]|[^\s/?#@:[\]\\]+)(?::(\d{1,5}))?$/i;

const DEFAULT_PORTS: Readonly<Record<string, string>> = {
  http: '80',
  https: '443',
  ws: '80',
  wss: '443',
};

/**
 * The serialized form of an origin, or undefined when the text is not one. `null` (the
 * opaque origin of sandboxed frames, `file:` pages and some redirects) is returned as is.
 */
export function normalizeOrigin(text: string): string | undefined {
  if (text === 'null') return text;
  if (text.length > MAX_ORIGIN_LENGTH) return undefined;
  const m = SERIALIZED.exec(text);
  if (m === null) return undefined;
  const scheme = (m[1] ?? '').toLowerCase();
  const port = m[3];
  if (port !== undefined && Number(port) > 65_535) return undefined;
  if (DEFAULT_PORTS[scheme] !== undefined) {
    // The WHATWG URL parser gives the host as browsers serialize it (lower case, IDN to
    // punycode, IPv4 shorthand expanded) and drops the scheme's default port.
    let url: URL;
    try {
      url = new URL(`${scheme}://${m[2] ?? ''}${port === undefined ? '' : `:${port}`}`);
    } catch {
      return undefined;
    }
    return `${scheme}://${url.host}`;
  }
  // Other schemes (capacitor://localhost, chrome-extension://<id>, tauri://localhost) are
  // origins browsers send for apps and extensions; the URL parser gives them no origin.
  const host = (m[2] ?? '').toLowerCase();
  return `${scheme}://${host}${port === undefined ? '' : `:${port}`}`;
}

/**
 * Why a configured origin string is not a bare origin, as the second half of an error
 * message, or undefined when it is one.
 */
export function originProblem(text: string): string | undefined {
  if (text === 'null') return undefined;
  if (/[\r\n\0]/.test(text)) return 'it contains a line break or NUL';
  if (text.includes('*')) {
    return "a wildcard inside an origin string is not matched; write a RegExp such as /^https:\\/\\/[a-z0-9-]+\\.example\\.com$/, or '*' alone for every origin";
  }
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(text);
  if (scheme === null) return "it has no scheme; write 'https://app.example.com'";
  const rest = text.slice(scheme[0].length);
  if (rest.includes('@')) return 'it carries user info; an origin is only scheme, host and port';
  if (rest.endsWith('/') && !rest.slice(0, -1).includes('/')) {
    return 'it ends with a slash; browsers send the origin without one';
  }
  if (/[/?#]/.test(rest))
    return 'it has a path, query or fragment; an origin is only scheme, host and port';
  if (normalizeOrigin(text) === undefined) return 'it is not a valid scheme://host[:port]';
  return undefined;
}
