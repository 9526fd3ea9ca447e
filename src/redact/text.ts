import { BUILTIN_PATTERNS, TRIGGER, type TextPattern } from './text-patterns.js';

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
  if (p.probe !== undefined && !p.probe.test(text)) return text;
  return text.replace(p.regex, (match: string, ...rest: unknown[]) =>
    p.replace(replacement, match, ...(rest.filter((g) => typeof g !== 'number') as string[])),
  );
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
  return (input: string): string => {
    let text = typeof input === 'string' ? input : String(input);
    if (builtins && TRIGGER.test(text)) {
      for (const p of BUILTIN_PATTERNS) text = applyBuiltin(text, p, replacement);
    }
    for (const c of custom) text = applyCustom(text, c);
    return text;
  };
}

const defaultTextRedactor = createTextRedactor();

/**
 * Free text with credentials scrubbed: `Authorization` and `Bearer` values; `token=`,
 * `secret=`, `password=` and similar query, form and JSON values; URL passwords
 * (`redis://user:pass@host` becomes `redis://user:***@host`); GitHub (`ghp_`, `gho_`, `ghu_`,
 * `ghs_`, `ghr_`, `github_pat_`), Stripe (`sk_`, `rk_`), `whsec_`, Slack (`xox*-`) tokens;
 * JWTs; AWS access key ids; PEM private keys. Runs in linear time on any input.
 *
 * @example
 * redactText('GET /hook?token=abc123&x=1'); // 'GET /hook?token=[REDACTED]&x=1'
 */
export function redactText(text: string, options?: TextRedactionOptions): string {
  return options === undefined ? defaultTextRedactor(text) : createTextRedactor(options)(text);
}
