import { failOption, rejectUnknownOptions } from '../util/options.js';

/**
 * The header names {@link redactHeaders} censors by default, in the shape the `names` option
 * takes: exact names, and one pattern tested against the lower-cased name.
 *
 * - `cookie`, `set-cookie`: session cookies are bearer credentials.
 * - any name containing `authorization`: `authorization` and `proxy-authorization`, and the
 *   copies proxies make of them (`x-forwarded-authorization`, `x-amzn-remapped-authorization`),
 *   which carry the same bearer token.
 * - `token`, `secret`, `password`, `passwd`, `api-key`, `apikey`, `api_key`, `session`:
 *   vendor credential headers (`x-gitlab-token`, `x-api-key`, `x-agent-token`,
 *   `x-session-id`, `x-amz-security-token`).
 * - `signature`, `hmac`: webhook signatures (`x-hub-signature-256`, `stripe-signature`,
 *   `x-shopify-hmac-sha256`). They do not reveal the secret, but a stored or logged signature
 *   with its body is a delivery anyone who reads it can replay, so they count as credentials.
 * - `jwt`: identity-proxy assertions (`cf-access-jwt-assertion`, `x-goog-iap-jwt-assertion`),
 *   signed tokens accepted as proof of login until they expire.
 *
 * Header names are case-insensitive (RFC 9110 §5.1), so every match is too.
 */
export const DEFAULT_REDACTED_HEADERS: readonly (string | RegExp)[] = Object.freeze([
  'cookie',
  'set-cookie',
  /authorization|token|secret|password|passwd|api[-_]?key|session|signature|hmac|jwt/,
]);

/**
 * The defaults the compiler reads: a private copy, so nothing done to the exported constant
 * (a RegExp's legacy `compile()` rewrites it in place) can weaken every redactor.
 */
const DEFAULT_NAMES: readonly (string | RegExp)[] = DEFAULT_REDACTED_HEADERS.map((n) =>
  n instanceof RegExp ? statelessCopy(n) : n,
);

/** Options for {@link redactHeaders} and {@link createHeaderRedactor}. */
export interface HeaderRedactionOptions {
  /**
   * Extra header names to redact, on top of the defaults: a string matches that exact name
   * (case-insensitive), a RegExp is tested against the lower-cased name
   * (`/^x-acme-/`). Default: none.
   */
  readonly names?: readonly (string | RegExp)[];
  /**
   * Whether {@link DEFAULT_REDACTED_HEADERS} apply. `false` leaves only `names`. Default: `true`.
   */
  readonly defaults?: boolean;
  /** Text written in place of a redacted value in `'censor'` mode. Default: `'[REDACTED]'`. */
  readonly censor?: string;
  /**
   * What happens to a redacted header: `'censor'` keeps the name and replaces the value with
   * {@link HeaderRedactionOptions.censor} (each element of a multi-value header, so the shape
   * stays); `'remove'` drops the header. Default: `'censor'`.
   */
  readonly mode?: 'censor' | 'remove';
}

/** Everything a header redactor needs per call, computed once. */
export interface CompiledHeaderNames {
  /** Whether the header `name` (any case) is redacted. Allocates only on a cache miss. */
  readonly isRedacted: (name: string) => boolean;
  /** `'remove'` mode: a redacted header is dropped rather than censored. */
  readonly remove: boolean;
  readonly censor: string;
}

const OPTION_KEYS: readonly string[] = ['names', 'defaults', 'censor', 'mode'];

/** An RFC 9110 field-name token, or an HTTP/2 pseudo-header such as `:path`. */
const HEADER_NAME = /^:?[!#$%&'*+.^_`|~0-9a-z-]+$/i;

/**
 * Control characters a censor must not hold: it may be written back as a header value (a
 * `Headers` copy, a raw header array), where CR or LF would split it into a header of its own.
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const UNSAFE_CENSOR = /[\0-\x08\x0a-\x1f\x7f]/;

/**
 * Header names repeat: a handful of distinct names covers nearly every request. The bound
 * stops a client that sends a new name on every request from growing the cache without end,
 * and very long names are decided without caching so the bound also limits bytes held.
 */
const MAX_CACHED_NAMES = 512;
const MAX_CACHED_NAME_LENGTH = 128;

function fail(option: string, problem: string, instead: string): never {
  return failOption('redactHeaders', option, problem, instead);
}

/**
 * A RegExp copy without the `g` and `y` flags: `test` on such a pattern starts at `lastIndex`
 * and moves it, so the same header would match on one call and slip through on the next.
 */
function statelessCopy(pattern: RegExp): RegExp {
  return new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, ''));
}

function describeEntry(entry: unknown): string {
  if (typeof entry === 'string') return JSON.stringify(entry);
  if (entry === null || typeof entry !== 'object') return String(entry);
  return 'an object';
}

function addNames(
  list: readonly (string | RegExp)[],
  exact: Set<string>,
  patterns: RegExp[],
): void {
  for (const entry of list as readonly unknown[]) {
    if (entry instanceof RegExp) {
      patterns.push(statelessCopy(entry));
    } else if (typeof entry === 'string' && HEADER_NAME.test(entry)) {
      exact.add(entry.toLowerCase());
    } else {
      fail(
        'names',
        `${describeEntry(entry)} is not a header name or RegExp`,
        "write bare header names (no ': value', no spaces) or RegExps: names: ['x-internal-auth', /^x-acme-/]",
      );
    }
  }
}

/** Validates header-redaction options and compiles the name rule; throws a TypeError on misuse. */
export function compileHeaderNames(options: HeaderRedactionOptions = {}): CompiledHeaderNames {
  const given: unknown = options;
  if (typeof given !== 'object' || given === null) {
    fail('options', 'must be an object', "pass { names: ['x-internal-auth'] } or leave it out");
  }
  rejectUnknownOptions('redactHeaders', options, OPTION_KEYS);
  const mode: unknown = options.mode ?? 'censor';
  if (mode !== 'censor' && mode !== 'remove') {
    fail('mode', `${describeEntry(mode)} is not a mode`, "write 'censor' or 'remove'");
  }
  const censor: unknown = options.censor ?? '[REDACTED]';
  if (typeof censor !== 'string' || UNSAFE_CENSOR.test(censor)) {
    fail(
      'censor',
      'must be a string without control characters (it may be written back as a header value)',
      "write censor: '[REDACTED]'",
    );
  }
  const defaults: unknown = options.defaults ?? true;
  if (typeof defaults !== 'boolean') {
    fail('defaults', 'must be true or false', 'write defaults: false to use only your names');
  }
  const names: unknown = options.names ?? [];
  if (!Array.isArray(names)) {
    fail('names', 'must be an array', "write names: ['x-internal-auth', /^x-acme-/]");
  }
  const exact = new Set<string>();
  const patterns: RegExp[] = [];
  if (defaults) addNames(DEFAULT_NAMES, exact, patterns);
  addNames(names as readonly (string | RegExp)[], exact, patterns);
  if (exact.size === 0 && patterns.length === 0) {
    fail(
      'names',
      'is empty while defaults is false, so nothing would be redacted',
      'add names, or drop defaults: false',
    );
  }

  const cache = new Map<string, boolean>();
  const isRedacted = (name: string): boolean => {
    const hit = cache.get(name);
    if (hit !== undefined) return hit;
    const lower = name.toLowerCase();
    let redacted = exact.has(lower);
    if (!redacted) {
      for (const pattern of patterns) {
        if (pattern.test(lower)) {
          redacted = true;
          break;
        }
      }
    }
    if (name.length <= MAX_CACHED_NAME_LENGTH) {
      if (cache.size >= MAX_CACHED_NAMES) cache.clear();
      cache.set(name, redacted);
    }
    return redacted;
  };
  return { isRedacted, remove: mode === 'remove', censor };
}
