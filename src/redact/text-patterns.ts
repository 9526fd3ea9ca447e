/**
 * The built-in credential patterns of {@link redactText}.
 *
 * Linear time by construction. JavaScript regular expressions backtrack, so each pattern is
 * written so that the work done at one start position is bounded and start positions do not
 * rescan each other's text:
 * - every token starts after a one-character lookbehind boundary, so a candidate begins only
 *   at the start of a run of token characters, never inside one;
 * - a run is followed either by nothing that can fail (a greedy run at the end of the pattern
 *   always succeeds, and the global scan then resumes after the match) or by a character the
 *   run cannot contain (`.` after a JWT segment, `@` after userinfo), so backtracking over the
 *   run is one step per character, once;
 * - every quantifier in a prefix or separator is bounded (`{0,16}`, `{1,32}`).
 * The tests run each pattern on 1 MB adversarial inputs built to defeat exactly these points.
 */
export interface TextPattern {
  /** What the pattern finds, for the docs and tests. */
  readonly name: string;
  readonly regex: RegExp;
  /**
   * A literal every match contains, found with a fast substring search before the pattern
   * runs, so a pattern that cannot match costs one cheap scan instead of a regex pass.
   */
  readonly probe?: RegExp;
  /** Builds the replacement; `r` is the configured replacement text. */
  readonly replace: (r: string, match: string, ...groups: string[]) => string;
}

const keepFirst = (r: string, _m: string, prefix: string): string => prefix + r;
const whole = (r: string): string => r;

/** Names whose `=` value is a credential in query strings, form bodies and `k=v` logs. */
const KEY_NAMES =
  'token|secret|password|passwd|pwd|passphrase|api[_-]?key|apikey|access[_-]?key|' +
  'secret[_-]?key|private[_-]?key|auth|credentials?|signature|sig|jwt|session[_-]?id';

/** The subset strong enough to trust in `name: value` form, where prose is common. */
const STRONG_NAMES =
  'token|secret|password|passwd|passphrase|api[_-]?key|apikey|access[_-]?key|secret[_-]?key|' +
  'private[_-]?key|client[_-]?secret';

/** Up to four `word_` / `word-` / `word.` segments before the name: `client_secret`, `x.api_key`. */
const NAME_PREFIX = '(?:[A-Za-z0-9]{1,32}[_.-]){0,4}';

export const BUILTIN_PATTERNS: readonly TextPattern[] = [
  {
    name: 'PEM private key',
    probe: /PRIVATE KEY-----/,
    regex: /(-----BEGIN[A-Z ]{0,32}PRIVATE KEY-----)[A-Za-z0-9+/=\s]+/g,
    replace: (r, _m, head: string) => `${head}${r}`,
  },
  {
    name: 'JWT',
    probe: /eyJ/,
    regex: /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*/g,
    replace: whole,
  },
  {
    name: 'GitHub token',
    probe: /gh[pousr]_|github_pat_/,
    regex: /(?<![A-Za-z0-9_])(gh[pousr]_|github_pat_)[A-Za-z0-9_]{20,}/g,
    replace: keepFirst,
  },
  {
    name: 'Stripe secret or restricted key',
    probe: /[sr]k_(?:live|test)_/,
    regex: /(?<![A-Za-z0-9_])((?:sk|rk)_(?:live|test)_)[A-Za-z0-9]{10,}/g,
    replace: keepFirst,
  },
  {
    name: 'webhook signing secret (whsec_)',
    probe: /whsec_/,
    regex: /(?<![A-Za-z0-9_])(whsec_)[A-Za-z0-9+/=]{10,}/g,
    replace: keepFirst,
  },
  {
    name: 'Slack token',
    probe: /xox|xapp-/,
    regex: /(?<![A-Za-z0-9_-])(xox[abposre]-|xapp-)[A-Za-z0-9-]{10,}/g,
    replace: keepFirst,
  },
  {
    name: 'AWS access key id',
    probe: /A[A-Z0-9]{3}[A-Z0-9]{16}/,
    regex:
      /(?<![A-Za-z0-9])(AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|AROA|APKA|ASCA|A3T[A-Z0-9])[A-Z0-9]{16}(?![A-Za-z0-9])/g,
    replace: keepFirst,
  },
  {
    name: 'Bearer credential',
    probe: /bearer/i,
    // RFC 6750 b64token; the lookahead keeps `bearer expires_in=3600` (prose) intact.
    regex: /(?<![A-Za-z0-9_-])(bearer[ \t]{1,16})[A-Za-z0-9\-._~+/]{8,}=*(?![A-Za-z0-9\-._~+/=])/gi,
    replace: keepFirst,
  },
  {
    name: 'credential header line (Authorization, Cookie, X-Api-Key, ...)',
    regex:
      /(?<![A-Za-z0-9_-])((?:proxy-)?authorization|cookie|set-cookie|x-api-key|api-key|x-auth-token|x-access-token|x-agent-token|x-webhook-secret)([ \t]{0,16}:[ \t]{0,16})[^\r\n]+/gi,
    replace: (r, _m, name: string, sep: string) => `${name}${sep}${r}`,
  },
  {
    name: 'JSON credential member ("password": "...")',
    regex: new RegExp(
      `("${NAME_PREFIX}(?:${KEY_NAMES}|authorization|cookie)"[ \\t]{0,16}:[ \\t]{0,16}")(?:[^"\\\\\\r\\n]|\\\\.)+(?=")`,
      'gi',
    ),
    replace: keepFirst,
  },
  {
    name: 'name=value credential (query string, form body, log fields)',
    regex: new RegExp(`(?<![A-Za-z0-9])(${NAME_PREFIX}(?:${KEY_NAMES})=)[^&\\s"'#,;<>]+`, 'gi'),
    replace: keepFirst,
  },
  {
    name: 'name: value credential',
    regex: new RegExp(
      `(?<![A-Za-z0-9_-])(${NAME_PREFIX}(?:${STRONG_NAMES})[ \\t]{0,16}:[ \\t]{1,16})[^\\s"',;]+`,
      'gi',
    ),
    replace: keepFirst,
  },
  {
    name: 'URL userinfo password',
    probe: /:\/\//,
    regex: /(?<![A-Za-z0-9+.-])([a-z][a-z0-9+.-]{0,31}:\/\/)([^\s:/?#@[\]]*)(:[^\s/?#@]+)?@/gi,
    replace: (_r, _m, scheme: string, user: string, pass: string | undefined) =>
      pass === undefined ? `${scheme}***@` : `${scheme}${user}:***@`,
  },
];

/**
 * A cheap pre-check: every built-in pattern needs one of these fragments (case-insensitively),
 * so text without any of them is returned as it is after a single scan. This is what keeps a
 * safe logger's cost low on ordinary messages.
 */
export const TRIGGER =
  /auth|bearer|token|secret|pass|pwd|key|sig|cred|jwt|session|cookie|gh[pousr]_|github_pat_|eyj|[sr]k_|whsec_|xox|xapp-|:\/\/|a(?:kia|sia|bia|cca|gpa|ida|ipa|npa|nva|roa|pka|sca|3t)/i;
