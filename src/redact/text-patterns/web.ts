/**
 * HTTP and URL credentials: JWTs, `Basic` and `Bearer` values, credential headers, named
 * values in JSON, query strings and logs, and URL userinfo. These run after the token
 * formats, so a token inside a named value is first replaced by its own prefix.
 */
import { keepFirst, whole, type TextPattern } from './types.js';

/** Names whose `=` value is a credential in query strings, form bodies and `k=v` logs. */
const KEY_NAMES =
  'token|secret|password|passwd|pwd|passphrase|api[_-]?key|apikey|access[_-]?key|' +
  'secret[_-]?key|private[_-]?key|auth|credentials?|signature|sig|jwt|session[_-]?id';
const KEY_WORDS = [
  'token',
  'secret',
  'pass',
  'pwd',
  'key',
  'auth',
  'cred',
  'sig',
  'jwt',
  'session',
];

/** The subset strong enough to trust in `name: value` form, where prose is common. */
const STRONG_NAMES =
  'token|secret|password|passwd|passphrase|api[_-]?key|apikey|access[_-]?key|secret[_-]?key|' +
  'private[_-]?key|client[_-]?secret';

/** Up to four `word_` / `word-` / `word.` segments before the name: `client_secret`, `x.api_key`. */
const NAME_PREFIX = '(?:[A-Za-z0-9]{1,32}[_.-]){0,4}';

/**
 * Whether a `Basic` value decodes to `user:password` (RFC 7617): base64 of printable text with
 * a colon. Prose such as "basic usage" fails this, so only real credentials are replaced.
 */
function isBasicCredential(b64: string): boolean {
  // The checks `atob` would make, done first: a throw per prose word would make text full of
  // "basic" slow, though still linear.
  const bare = b64.length % 4 === 0 ? b64.replace(/={1,2}$/, '') : b64;
  if (bare.length % 4 === 1 || bare.includes('=')) return false;
  const decoded = atob(bare);
  // eslint-disable-next-line no-control-regex -- control characters are what this rejects
  return decoded.includes(':') && !/[\x00-\x1f\x7f]/.test(decoded);
}

export const WEB_PATTERNS: readonly TextPattern[] = [
  {
    // RFC 7519 compact serialization; header and payload are base64url JSON (`eyJ` = `{"`).
    name: 'JWT',
    prefixes: ['eyj'],
    regex:
      /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{2}[A-Za-z0-9_-]*\.[A-Za-z0-9_-]{2}[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*/g,
    replace: whole,
  },
  {
    // RFC 7617 `Basic` credentials wherever they appear (a header, a curl line, an error);
    // the decoded value must hold `user:password`.
    name: 'Basic credential (base64 user:password)',
    prefixes: ['basic'],
    regex: /(?<![A-Za-z0-9_-])(basic[ \t]{1,16})([A-Za-z0-9+/]{4,1024}={0,2})(?![A-Za-z0-9+/=])/gi,
    replace: (r, match, scheme = '', value = '') => (isBasicCredential(value) ? scheme + r : match),
  },
  {
    // RFC 6750 b64token; the lookahead keeps `bearer expires_in=3600` (prose) intact.
    name: 'Bearer credential',
    words: ['bearer'],
    regex:
      /(?<![A-Za-z0-9_-])(bearer[ \t]{1,16})[A-Za-z0-9\-._~+/]{8}[A-Za-z0-9\-._~+/]*=*(?![A-Za-z0-9\-._~+/=])/gi,
    replace: keepFirst,
  },
  {
    name: 'credential header line (Authorization, Cookie, X-Api-Key, ...)',
    words: ['auth', 'cookie', 'key', 'token', 'secret'],
    regex:
      /(?<![A-Za-z0-9_-])((?:proxy-)?authorization|cookie|set-cookie|x-api-key|api-key|x-auth-token|x-access-token|x-agent-token|x-webhook-secret)([ \t]{0,16}:[ \t]{0,16})[^\r\n]+/gi,
    replace: (r, _m, name = '', sep = '') => `${name}${sep}${r}`,
  },
  {
    name: 'JSON credential member ("password": "...")',
    words: [...KEY_WORDS, 'cookie'],
    regex: new RegExp(
      `("${NAME_PREFIX}(?:${KEY_NAMES}|authorization|cookie)"[ \\t]{0,16}:[ \\t]{0,16}")(?=[^"\\r\\n])[^"\\\\\\r\\n]*(?:\\\\.[^"\\\\\\r\\n]*)*(?=")`,
      'gi',
    ),
    replace: keepFirst,
  },
  {
    name: 'name=value credential (query string, form body, log fields)',
    words: KEY_WORDS,
    regex: new RegExp(`(?<![A-Za-z0-9])(${NAME_PREFIX}(?:${KEY_NAMES})=)[^&\\s"'#,;<>]+`, 'gi'),
    replace: keepFirst,
  },
  {
    name: 'name: value credential',
    words: ['token', 'secret', 'pass', 'key'],
    regex: new RegExp(
      `(?<![A-Za-z0-9_-])(${NAME_PREFIX}(?:${STRONG_NAMES})[ \\t]{0,16}:[ \\t]{1,16})[^\\s"',;]+`,
      'gi',
    ),
    replace: keepFirst,
  },
  {
    name: 'URL userinfo password',
    words: ['://'],
    regex: /(?<![A-Za-z0-9+.-])([a-z][a-z0-9+.-]{0,31}:\/\/)([^\s:/?#@[\]]*)(:[^\s/?#@]+)?@/gi,
    replace: (_r, _m, scheme = '', user = '', pass) =>
      pass === undefined ? `${scheme}***@` : `${scheme}${user}:***@`,
  },
];
