import { put, UNREADABLE } from './copy.js';
import { compileHeaderNames, type CompiledHeaderNames } from './header-names.js';
import type { HeaderRedactionOptions } from './header-names.js';

export { DEFAULT_REDACTED_HEADERS } from './header-names.js';
export type { HeaderRedactionOptions } from './header-names.js';

/**
 * A compiled header redactor, from {@link createHeaderRedactor}. Takes the shapes headers come
 * in and returns a copy of the same shape; the input is never mutated.
 */
export interface HeaderRedactor {
  /** A Fetch `Headers`: a new `Headers` (each `set-cookie` kept as its own value). */
  (headers: Headers): Headers;
  /** Node's flat `rawHeaders` (`[name, value, name, value, ...]`): a new flat array. */
  (headers: readonly string[]): string[];
  /** `[name, value]` pairs, as `new Headers(init)` takes them: new pairs. */
  (headers: readonly (readonly [string, string])[]): [string, string][];
  /** A Map from header name to value: a new Map. */
  <V extends string | readonly string[] | number | undefined>(
    headers: ReadonlyMap<string, V>,
  ): Map<string, V | string>;
  /**
   * Node's `IncomingHttpHeaders` or `OutgoingHttpHeaders`, or any record of header values: a
   * new plain object. A multi-value header keeps its array shape, each element censored.
   */
  <V extends string | readonly string[] | number | undefined>(
    headers: Readonly<Record<string, V>>,
  ): Record<string, V | string>;
  /** `null` and `undefined` come back as they are: no headers, nothing to hide. */
  <T extends null | undefined>(headers: T): T;
  /**
   * Anything else is answered, never thrown on (header redaction runs inside log calls): other
   * primitives come back as they are, other objects as a record of their own enumerable keys,
   * and a value that throws when read becomes `'[Unreadable]'`.
   */
  (headers: unknown): unknown;
  /**
   * Whether `headers` holds a header this redactor censors or removes. Reads only, allocates
   * nothing for records and arrays: lets a caller skip the copy.
   */
  needsRedaction(headers: unknown): boolean;
}

type Slots = Record<string, unknown>;

/** `Headers` exists in every supported Node, but a bundle may run somewhere it does not. */
function isFetchHeaders(value: object): value is Headers {
  return typeof Headers === 'function' && value instanceof Headers;
}

/** Kept values are copied, so the output shares nothing mutable with the input. */
function keep(value: unknown): unknown {
  return Array.isArray(value) ? value.slice() : value;
}

/**
 * The censored form of one header value. `undefined` and `null` stay: they mean the header
 * is absent, and a censor there would claim a credential was sent when none was.
 */
function censored(c: CompiledHeaderNames, value: unknown): unknown {
  if (value === undefined || value === null) return value;
  if (!Array.isArray(value)) return c.censor;
  return new Array<string>(value.length).fill(c.censor);
}

function redactRecord(c: CompiledHeaderNames, src: object): Slots {
  const out: Slots = {};
  for (const name in src) {
    if (!Object.hasOwn(src, name)) continue;
    const redacted = c.isRedacted(name);
    if (redacted && c.remove) continue;
    let value: unknown = redacted ? c.censor : UNREADABLE;
    try {
      const raw = (src as Slots)[name];
      value = redacted ? censored(c, raw) : keep(raw);
    } catch {
      // A getter that throws: the censor (a credential header is censored whatever it holds)
      // or the placeholder the deep copy writes too.
    }
    // `put`: a header named `__proto__` must become an own key, not the copy's prototype.
    put(out, name, value);
  }
  return out;
}

function redactFlat(c: CompiledHeaderNames, src: readonly unknown[]): unknown[] {
  const out: unknown[] = [];
  const n = src.length;
  for (let i = 0; i < n; i += 2) {
    const name = src[i];
    if (i + 1 === n) {
      out.push(name); // a trailing name without a value has nothing to hide
      break;
    }
    // A name that is not a string cannot be matched; raw header arrays never hold one.
    if (typeof name !== 'string' || !c.isRedacted(name)) out.push(name, keep(src[i + 1]));
    else if (!c.remove) out.push(name, censored(c, src[i + 1]));
  }
  return out;
}

function redactPairs(c: CompiledHeaderNames, src: readonly unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const pair of src) {
    if (!Array.isArray(pair) || typeof pair[0] !== 'string' || !c.isRedacted(pair[0])) {
      out.push(keep(pair));
    } else if (!c.remove) {
      out.push([pair[0], censored(c, pair[1])]);
    }
  }
  return out;
}

function append(c: CompiledHeaderNames, out: Headers, name: string, value: string): void {
  if (!c.isRedacted(name)) out.append(name, value);
  else if (!c.remove) out.append(name, c.censor);
}

function redactFetchHeaders(c: CompiledHeaderNames, src: Headers): Headers {
  const out = new Headers();
  // Iteration joins repeated headers with ", ", which corrupts cookies (their dates hold
  // commas); getSetCookie gives each set-cookie on its own, where the runtime has it.
  const separate = typeof (src as { getSetCookie?: unknown }).getSetCookie === 'function';
  for (const [name, value] of src) {
    if (!separate || name !== 'set-cookie') append(c, out, name, value);
  }
  if (separate) for (const value of src.getSetCookie()) append(c, out, 'set-cookie', value);
  return out;
}

function redactMap(
  c: CompiledHeaderNames,
  src: ReadonlyMap<unknown, unknown>,
): Map<unknown, unknown> {
  const out = new Map<unknown, unknown>();
  for (const [name, value] of src) {
    if (typeof name !== 'string' || !c.isRedacted(name)) out.set(name, keep(value));
    else if (!c.remove) out.set(name, censored(c, value));
  }
  return out;
}

/** A list of `[name, value]` pairs rather than a flat `rawHeaders` list. */
function isPairList(src: readonly unknown[]): boolean {
  return src.length > 0 && Array.isArray(src[0]);
}

function redactWith(c: CompiledHeaderNames, headers: unknown): unknown {
  if (typeof headers !== 'object' || headers === null) return headers;
  try {
    if (Array.isArray(headers)) {
      return isPairList(headers) ? redactPairs(c, headers) : redactFlat(c, headers);
    }
    if (isFetchHeaders(headers)) return redactFetchHeaders(c, headers);
    if (headers instanceof Map) return redactMap(c, headers as ReadonlyMap<unknown, unknown>);
    return redactRecord(c, headers);
  } catch {
    // A proxy or iterator that throws: say so rather than fail the log call around us.
    return UNREADABLE;
  }
}

function anyRedacted(c: CompiledHeaderNames, headers: unknown): boolean {
  if (typeof headers !== 'object' || headers === null) return false;
  try {
    if (Array.isArray(headers)) {
      const pairs = isPairList(headers);
      for (let i = 0; i < headers.length; i += pairs ? 1 : 2) {
        const name: unknown = pairs ? (headers[i] as unknown[] | undefined)?.[0] : headers[i];
        if (typeof name === 'string' && c.isRedacted(name)) return true;
      }
      return false;
    }
    if (isFetchHeaders(headers) || headers instanceof Map) {
      for (const name of (headers as Headers | ReadonlyMap<unknown, unknown>).keys()) {
        if (typeof name === 'string' && c.isRedacted(name)) return true;
      }
      return false;
    }
    for (const name in headers) {
      if (Object.hasOwn(headers, name) && c.isRedacted(name)) return true;
    }
  } catch {
    return true; // unreadable: the copy will say so, which differs from the input
  }
  return false;
}

/**
 * Compiles header-redaction options once and returns a redactor for hot paths. Each header
 * name's verdict is cached (bounded), so a request's usual headers cost a Map lookup each.
 * Throws a TypeError at creation, saying what to write, when an option is wrong.
 *
 * @example
 * const redactRequestHeaders = createHeaderRedactor({ names: [/^x-acme-/] });
 * log.info({ headers: redactRequestHeaders(req.headers) }, 'incoming');
 */
export function createHeaderRedactor(options?: HeaderRedactionOptions): HeaderRedactor {
  const c = compileHeaderNames(options);
  const redactor = (headers: unknown): unknown => redactWith(c, headers);
  redactor.needsRedaction = (headers: unknown): boolean => anyRedacted(c, headers);
  return redactor as unknown as HeaderRedactor;
}

const defaultHeaderRedactor = createHeaderRedactor();

/**
 * A copy of `headers` with credential-bearing headers censored: `authorization`, `cookie`,
 * `set-cookie` and every name holding `token`, `secret`, `signature`, `hmac`, `password`,
 * `api-key`, `session` or `jwt` (see {@link DEFAULT_REDACTED_HEADERS}), in any case. Takes
 * Node's header objects, `rawHeaders`, Fetch `Headers`, pairs and Maps, and returns the same
 * shape; never mutates its input and never throws on a value (only on bad options). With
 * options, compiles them on every call: use {@link createHeaderRedactor} on hot paths.
 *
 * @example
 * redactHeaders({ 'x-gitlab-token': 'glpat-…', accept: 'application/json' });
 * // { 'x-gitlab-token': '[REDACTED]', accept: 'application/json' }
 */
export function redactHeaders(headers: Headers, options?: HeaderRedactionOptions): Headers;
export function redactHeaders(
  headers: readonly string[],
  options?: HeaderRedactionOptions,
): string[];
export function redactHeaders(
  headers: readonly (readonly [string, string])[],
  options?: HeaderRedactionOptions,
): [string, string][];
export function redactHeaders<V extends string | readonly string[] | number | undefined>(
  headers: ReadonlyMap<string, V>,
  options?: HeaderRedactionOptions,
): Map<string, V | string>;
export function redactHeaders<V extends string | readonly string[] | number | undefined>(
  headers: Readonly<Record<string, V>>,
  options?: HeaderRedactionOptions,
): Record<string, V | string>;
export function redactHeaders<T extends null | undefined>(
  headers: T,
  options?: HeaderRedactionOptions,
): T;
export function redactHeaders(headers: unknown, options?: HeaderRedactionOptions): unknown;
export function redactHeaders(headers: unknown, options?: HeaderRedactionOptions): unknown {
  return (options === undefined ? defaultHeaderRedactor : createHeaderRedactor(options))(headers);
}
