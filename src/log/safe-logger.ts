import { hasRedactableHeaders, redactHeaderMembers } from '../redact/header-members.js';
import type { HeaderRedactionOptions } from '../redact/header-names.js';
import { createHeaderRedactor, type HeaderRedactor } from '../redact/headers.js';
import { createRedactor } from '../redact/redactor.js';
import { createTextRedactor, mayContainSecret } from '../redact/text.js';
import type { RedactOptions } from '../redact/types.js';
import { rejectUnknownOptions } from '../util/options.js';
import { loggerKind } from './logger-kind.js';

/** Key names censored in logged objects by default, matched case-insensitively at any depth. */
export const DEFAULT_LOG_FIELDS: readonly string[] = [
  'token',
  'secret',
  'password',
  'passwd',
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
  'api_key',
  'apikey',
  'access_token',
  'refresh_token',
  'id_token',
  'client_secret',
  'private_key',
  'webhook_secret',
];

/** Options for {@link createSafeLogger}. */
export interface SafeLoggerOptions {
  /**
   * How objects are redacted. Default: `{ fields: DEFAULT_LOG_FIELDS, mode: 'censor',
   * caseInsensitive: true, scrubStrings: true, maxDepth: 64 }`: secrets read `[REDACTED]`
   * (what pino users expect in logs), and string values are scrubbed like messages.
   */
  readonly redact?: RedactOptions;
  /**
   * How a member named `headers` (any case), at the top of a logged object or up to two levels
   * down (`{ headers }`, `{ req: { headers } }`, `{ err: { config: { headers } } }` for an HTTP
   * client's error), is redacted, on top of
   * `redact`: header names such as `x-hub-signature-256` or `x-gitlab-token` are credentials
   * that no field list anticipates, so they are matched by {@link redactHeaders}' rule instead.
   * `false` turns this off. Default: `{}` ({@link DEFAULT_REDACTED_HEADERS}, censored as
   * `'[REDACTED]'`).
   */
  readonly headers?: HeaderRedactionOptions | false;
}

const OPTION_KEYS: readonly string[] = ['redact', 'headers'];

/** Method names treated as log calls (pino, winston, bunyan, console, syslog levels). */
const LOG_METHODS = new Set([
  'trace',
  'debug',
  'info',
  'warn',
  'warning',
  'error',
  'fatal',
  'log',
  'silly',
  'verbose',
  'http',
  'notice',
  'crit',
  'critical',
  'alert',
  'emerg',
]);

type AnyFn = (this: unknown, ...args: unknown[]) => unknown;

/**
 * Wraps a pino-, winston- or console-shaped logger so that nothing it writes carries a secret:
 * every string argument passes through `redactText`, every object through `redact` (and its
 * `headers` members, down to two levels, through {@link redactHeaders}), and child
 * loggers (`child(bindings)`) are wrapped the same way, their bindings redacted too. Everything
 * else about the logger (levels, properties, other methods) is unchanged.
 *
 * Cheap when nothing needs redacting: a string costs one scan for credential-like fragments and
 * an object one read-only walk; nothing is copied and the original arguments are passed on.
 *
 * Messages built by the logger's own `%s` interpolation are checked piece by piece, not after
 * formatting: prefer structured fields to format strings for anything sensitive.
 *
 * @example
 * const log = createSafeLogger(pino());
 * log.info({ headers: req.headers }, `fetching ${url}`); // authorization and ?token= scrubbed
 */
export function createSafeLogger<T extends object>(logger: T, options: SafeLoggerOptions = {}): T {
  rejectUnknownOptions('createSafeLogger', options, OPTION_KEYS);
  const headers: HeaderRedactor | undefined =
    options.headers === false ? undefined : createHeaderRedactor(options.headers);
  const redactor = createRedactor(
    options.redact ?? {
      fields: DEFAULT_LOG_FIELDS,
      mode: 'censor',
      caseInsensitive: true,
      scrubStrings: true,
      maxDepth: 64,
    },
  );
  const scrubText = createTextRedactor();
  const clean = (arg: unknown): unknown => {
    if (typeof arg === 'string') return mayContainSecret(arg) ? scrubText(arg) : arg;
    if (typeof arg !== 'object' || arg === null) return arg;
    if (headers === undefined) return redactor.needsRedaction(arg) ? redactor(arg) : arg;
    if (!hasRedactableHeaders(headers, arg) && !redactor.needsRedaction(arg)) return arg;
    // Header names are matched on the field redactor's copy, never on `arg`: the copy is plain
    // data we own (getters, proxies and toJSON already resolved), so reassigning its `headers`
    // members cannot touch the caller's object or run the caller's code a second time.
    return redactHeaderMembers(headers, redactor(arg));
  };
  const cleanArgs = (args: unknown[]): unknown[] => {
    let out: unknown[] | undefined;
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      const c = clean(a);
      if (c !== a) (out ??= args.slice())[i] = c;
    }
    return out ?? args;
  };
  const wrap = (target: T): T => {
    const cache = new Map<string | symbol, { orig: unknown; wrapped: unknown }>();
    const isPino = loggerKind(target) === 'pino';
    return new Proxy(target, {
      get(t, prop) {
        const value: unknown = Reflect.get(t, prop, t);
        if (typeof value !== 'function') return value;
        const hit = cache.get(prop);
        if (hit?.orig === value) return hit.wrapped;
        const fn = value as AnyFn;
        let wrapped: unknown;
        if (prop === 'child') {
          wrapped = (...args: unknown[]): unknown => {
            // Only the bindings are data; a second argument (pino's child options) is
            // configuration, such as serializers, and passes unchanged.
            const made = fn.apply(t, args.length > 0 ? [clean(args[0]), ...args.slice(1)] : args);
            return typeof made === 'object' && made !== null ? wrap(made as T) : made;
          };
        } else if (typeof prop === 'string' && LOG_METHODS.has(prop)) {
          const enabled = isPino ? (t as { isLevelEnabled?: unknown }).isLevelEnabled : undefined;
          wrapped = (...args: unknown[]): unknown => {
            // pino's disabled levels cost nothing; neither should their redaction.
            if (typeof enabled === 'function' && (enabled as AnyFn).call(t, prop) === false) {
              return undefined;
            }
            return fn.apply(t, cleanArgs(args));
          };
        } else {
          // Other methods run against the real logger (private fields do not work on proxies).
          wrapped = fn.bind(t);
        }
        cache.set(prop, { orig: value, wrapped });
        return wrapped;
      },
    });
  };
  return wrap(logger);
}
