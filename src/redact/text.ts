import {
  BUILTIN_PATTERNS,
  selectPatterns,
  TRIGGER,
  type TextPattern,
} from './text-patterns/index.js';

/** A custom pattern for {@link redactText}: a regular expression and what replaces a match. */
export interface CustomTextPattern {
  /**
   * What to find. The global flag is added if missing. With a named group `secret`, only that
   * group is replaced, so `/api_key_v2=(?<secret>\w+)/` keeps the name. Your pattern's running
   * time is your responsibility: avoid nested quantifiers such as `(a+)+`.
   */
  readonly pattern: RegExp;
  /** Replacement text. Default: the redactor's {@link TextRedactionOptions.replacement}. */
  readonly replacement?: string;
}

/** Options for {@link redactText} and {@link createTextRedactor}. */
export interface TextRedactionOptions {
  /** Extra patterns, applied after the built-in ones. Default: none. */
  readonly patterns?: readonly (RegExp | CustomTextPattern)[];
  /** Text written in place of a secret. Default: `'[REDACTED]'`. */
  readonly replacement?: string;
  /** Apply the built-in patterns (tokens, keys, credentials in URLs and headers). Default: `true`. */
  readonly builtins?: boolean;
}

interface CompiledCustom {
  readonly regex: RegExp;
  readonly replacement: string;
}

function compileCustom(p: RegExp | CustomTextPattern, replacement: string): CompiledCustom {
  const pattern = p instanceof RegExp ? p : p.pattern;
  if (!(pattern instanceof RegExp)) {
    throw new TypeError(
      'bulwark: redactText patterns: each entry must be a RegExp or { pattern: RegExp }; ' +
        'write patterns: [/internal-[0-9a-f]{32}/].',
    );
  }
  const flags = pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`;
  const own = p instanceof RegExp ? undefined : p.replacement;
  return { regex: new RegExp(pattern.source, flags), replacement: own ?? replacement };
}

function applyBuiltin(text: string, p: TextPattern, replacement: string): string {
  return text.replace(p.regex, (match: string, ...rest: unknown[]) => {
    // The callback gets the groups, then the offset (a number) and the whole text; the
    // patterns read their groups by position, so only the offset has to go.
    const groups = rest.filter((g): g is string | undefined => typeof g !== 'number');
    return p.replace(replacement, match, ...groups);
  });
}

/** Up to this length the walk of {@link selectPatterns} costs no more than the pre-check. */
const SHORT_TEXT = 512;

/**
 * Applies the built-in patterns a text needs. On long text {@link TRIGGER} answers "none" with
 * the fastest scan, so clean text costs that one pass; text that triggers (and any short text)
 * takes the walk that picks the patterns whose literals occur. The choice is made once, from
 * the input: a replacement only puts the replacement text where a secret was, so it cannot
 * create a literal another pattern waits for. A replacement that is empty (it joins the text
 * around a secret) or that holds a literal itself could, so with such a replacement every
 * pattern runs.
 */
function applyBuiltins(input: string, replacement: string, exhaustive: boolean): string {
  let chosen: readonly number[] | undefined;
  if (exhaustive) {
    chosen = TRIGGER.test(input) ? BUILTIN_PATTERNS.map((_, i) => i) : undefined;
  } else if (input.length <= SHORT_TEXT || TRIGGER.test(input)) {
    chosen = selectPatterns(input);
  }
  if (chosen === undefined) return input;
  let text = input;
  for (const i of chosen) {
    const p = BUILTIN_PATTERNS[i];
    if (p !== undefined) text = applyBuiltin(text, p, replacement);
  }
  return text;
}

function applyCustom(text: string, c: CompiledCustom): string {
  return text.replace(c.regex, (match: string, ...rest: unknown[]) => {
    const groups = rest[rest.length - 1];
    if (typeof groups === 'object' && groups !== null) {
      const secret = (groups as Record<string, string | undefined>).secret;
      if (secret !== undefined && secret !== '') {
        const at = match.lastIndexOf(secret);
        return match.slice(0, at) + c.replacement + match.slice(at + secret.length);
      }
    }
    return c.replacement;
  });
}

/** Whether `text` might hold something a built-in pattern scrubs (one linear scan). */
export function mayContainSecret(text: string): boolean {
  return TRIGGER.test(text);
}

/**
 * Compiles text-redaction options once. The returned function scrubs credentials from free
 * text: log messages, error messages, URLs, headers dumped for debugging.
 */
export function createTextRedactor(options: TextRedactionOptions = {}): (text: string) => string {
  const replacement = options.replacement ?? '[REDACTED]';
  if (typeof replacement !== 'string') {
    throw new TypeError("bulwark: redactText replacement must be a string; write '[REDACTED]'.");
  }
  const builtins = options.builtins ?? true;
  const custom = (options.patterns ?? []).map((p) => compileCustom(p, replacement));
  const exhaustive = replacement === '' || TRIGGER.test(replacement);
  return (input: string): string => {
    let text = typeof input === 'string' ? input : String(input);
    if (builtins) text = applyBuiltins(text, replacement, exhaustive);
    for (const c of custom) text = applyCustom(text, c);
    return text;
  };
}

const defaultTextRedactor = createTextRedactor();

/**
 * Free text with credentials scrubbed: log lines, error messages, URLs, headers dumped for
 * debugging. Knows 80+ credential formats, each by a distinctive prefix or structure, and
 * keeps the recognizable prefix so the log stays readable (`ghp_[REDACTED]`):
 * - cloud and infrastructure keys: AWS access key ids and named secret keys, Google (`AIza`,
 *   `GOCSPX-`, `ya29.`), Azure (`AccountKey=`, `SharedAccessKey=`, SAS `sig=`, Entra `Q~`
 *   secrets), DigitalOcean, Heroku, Alibaba, Cloudflare, Fly.io, Doppler, Pulumi, PlanetScale,
 *   Databricks, Vault, Terraform Cloud, Grafana, New Relic, Sentry, Dynatrace, 1Password, ...;
 * - source hosting and registries: GitHub (`ghp_` & co., `github_pat_`), GitLab, Bitbucket,
 *   Atlassian, npm, PyPI, RubyGems, Docker Hub, SonarQube, ...;
 * - chat and e-mail: Slack tokens and webhooks, Discord and Teams webhooks, Telegram bots,
 *   Twilio, SendGrid, Mailgun, Mailchimp, Brevo;
 * - payments: Stripe, `whsec_`, Square, Shopify, Braintree, Flutterwave, Plaid, ...;
 * - model providers: OpenAI, Anthropic, OpenRouter, Hugging Face, Groq, Replicate,
 *   Perplexity, xAI, LangSmith;
 * - PEM and PGP private key blocks, age identities, JWTs;
 * - `Authorization`/`Cookie` header lines, `Bearer` and `Basic` values; `token=`, `secret=`,
 *   `password=` and similar query, form, JSON and YAML values; URL passwords
 *   (`redis://user:pass@host` becomes `redis://user:***@host`).
 *
 * Where a format carries a checksum (GitHub and npm tokens, Grafana service account tokens,
 * age keys), a candidate with a wrong checksum is a look-alike and is left as it is. The full
 * list, with sources, is docs/reference/secret-formats.md. Runs in linear time on any input.
 *
 * @example
 * redactText('GET /hook?token=abc123&x=1'); // 'GET /hook?token=[REDACTED]&x=1'
 */
export function redactText(text: string, options?: TextRedactionOptions): string {
  return options === undefined ? defaultTextRedactor(text) : createTextRedactor(options)(text);
}
