/**
 * What happens to a matched field.
 * - `'flag'`: the key `k` becomes `has_k` (see {@link RedactOptions.flagPrefix}) holding `true`, or
 *   `false` when the value is `null`, `undefined` or `""`. Mission Control's gateway and webhook
 *   reads answer this way: the client learns that a secret is set, never what it is.
 * - `'censor'`: the value is replaced by {@link RedactOptions.censor}.
 * - `'remove'`: the key is dropped (an array element is dropped too).
 */
export type RedactMode = 'flag' | 'censor' | 'remove';

/** A value {@link RedactOptions.censor} may hold: anything that survives JSON unchanged. */
export type CensorValue = string | number | boolean | null;

/** Options for {@link redact} and {@link createRedactor}. */
export interface RedactOptions {
  /**
   * Keys redacted wherever they appear, at any depth: exact names (`'token'`) or patterns
   * (`/secret/i` matches `clientSecret` and `x-webhook-secret`). Fields name object and Map
   * keys, never array indices (reach those with `paths`).
   *
   * A pattern is compiled once, copied without its `g` and `y` flags so that testing it keeps
   * no state between keys. It is tested against each key as written and, with
   * {@link RedactOptions.caseInsensitive}, also against the key's normalized form (lower case,
   * no separators), so `/secret/` then matches `CLIENT_SECRET` and `/^api_key$/` still matches
   * `api_key`. The keys come from the data being redacted: a pattern's running time on them
   * is the caller's responsibility (avoid nested quantifiers such as `/(a+)+$/`).
   *
   * Default: `['token', 'secret']` when neither `fields` nor `paths` is given, otherwise none.
   */
  readonly fields?: readonly (string | RegExp)[];
  /**
   * Paths from the root, in the syntax pino and fast-redact use: `gateway.token`,
   * `agents[*].token`, `*.secret`, `headers["x-api-key"]`, `list[0].key`. `*` matches any one
   * key or array index. `**` (or `[**]`) matches any number of them, none included:
   * `**.password` redacts `password` at the root and at every depth, `a.**.b` redacts `b`
   * anywhere below `a` (`a.b` too), `agents[*].**.token` any `token` inside an agent. A path
   * may not end with `**` (`a.**` would redact all of `a`: write `a`); creation throws a
   * TypeError instead. A Map's string keys are keys like any other; a Set's elements and the
   * values under a Map's other keys have no key to name, so only `*` and `**` reach them.
   * Default: none.
   */
  readonly paths?: readonly string[];
  /** What happens to a matched field. Default: `'flag'`. */
  readonly mode?: RedactMode;
  /** Replacement value in `'censor'` mode. Default: `'[REDACTED]'`. */
  readonly censor?: CensorValue;
  /** Prefix of the boolean key written in `'flag'` mode. Default: `'has_'`. */
  readonly flagPrefix?: string;
  /**
   * Match `fields` and path segments across case and naming style: keys are compared in lower
   * case with the separators `_`, `-`, `.` and space removed, so `apiKey` also matches
   * `api_key`, `API-KEY`, `ApiKey`, `apikey`, `Api.Key` and `api key` (one secret under the
   * spellings of JS, SQL, headers and forms), while `apiKeys` and `api_keyring` stay distinct.
   * Earlier versions folded case only. In `'flag'` mode the written key keeps its spelling
   * (`has_api_key`). A field made of separators only (`'_'`) is rejected. Default: `false`.
   */
  readonly caseInsensitive?: boolean;
  /**
   * Also pass every string value (and Error messages and stacks) through {@link redactText}, so a
   * token inside a URL or a message is scrubbed too. Default: `false`.
   */
  readonly scrubStrings?: boolean;
  /**
   * Nesting depth past which values are replaced by `'[Too deep]'`. The copy itself never
   * overflows the stack at any depth; a limit protects whatever serializes the copy next.
   * Default: `Infinity`.
   */
  readonly maxDepth?: number;
}

/** A compiled redactor, from {@link createRedactor}. */
export interface Redactor {
  /** A redacted deep copy of `value`; `value` is never mutated. */
  (value: unknown): unknown;
  /**
   * The redacted value as JSON text, the same as `JSON.stringify(redactor(value))` (with BigInt
   * written as a string), but without copying the parts that no path can reach when only
   * `paths` are configured.
   */
  stringify(value: unknown): string;
  /**
   * Whether `redactor(value)` would differ from `value`: a matched key, a hostile shape
   * (cycle, getter that throws, class instance), or, with `scrubStrings`, a string that
   * {@link redactText} changes. Reads only; allocates little. Lets a logger skip the copy.
   */
  needsRedaction(value: unknown): boolean;
}
