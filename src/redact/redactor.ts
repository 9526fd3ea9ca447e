import { compileRedaction, type CompiledRedaction } from './compile.js';
import { deepRedact } from './copy.js';
import { needsRedaction } from './inspect.js';
import { redactSpine } from './spine.js';
import type { RedactOptions, Redactor } from './types.js';

/** JSON has no BigInt; writing it as a string beats throwing in the middle of a log call. */
function bigintAsString(_key: string, v: unknown): unknown {
  return typeof v === 'bigint' ? v.toString() : v;
}

/** JSON.stringify, but always a string: `undefined` and functions at the top become `null`. */
function toJson(value: unknown, replacer?: (key: string, v: unknown) => unknown): string {
  const out: unknown = JSON.stringify(value, replacer);
  return typeof out === 'string' ? out : 'null';
}

function safeStringify(c: CompiledRedaction, value: unknown): string {
  return toJson(deepRedact(c, value), bigintAsString);
}

/**
 * Compiles the options once (paths into a deterministic automaton, field names into a set,
 * patterns copied) and returns a redactor for hot paths. Paths are interpreted, never turned into code: no `Function`, no
 * `eval`, so it runs under a strict CSP and with field lists that users influence.
 *
 * @example
 * const redactGateway = createRedactor({ paths: ['gateway.token', 'agents[*].token'] });
 * res.json(redactGateway(row)); // { gateway: { has_token: true, ... }, agents: [...] }
 */
export function createRedactor(options: RedactOptions = {}): Redactor {
  const c = compileRedaction(options);
  const redactor = (value: unknown): unknown => deepRedact(c, value);
  redactor.stringify = c.pathsOnly
    ? (value: unknown): string => {
        try {
          return toJson(redactSpine(c, c.rootStates, value, 0));
        } catch {
          // LEAVE_FAST_PATH, a cycle, a BigInt, a throwing getter (whatever it throws): the
          // safe copy handles all of them.
          return safeStringify(c, value);
        }
      }
    : (value: unknown): string => safeStringify(c, value);
  redactor.needsRedaction = (value: unknown): boolean => needsRedaction(c, value);
  return redactor;
}

/**
 * A redacted deep copy of `value`; the input is never mutated. With no options, `token` and
 * `secret` keys at any depth become `has_token` / `has_secret` booleans, as Mission Control's
 * read endpoints need. Compiles its options on every call: use {@link createRedactor} on hot
 * paths.
 */
export function redact(value: unknown, options?: RedactOptions): unknown {
  return deepRedact(compileRedaction(options), value);
}
