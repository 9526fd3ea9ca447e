import { markSlot, sharedMarks } from '../util/shared-marks.js';
import type { CompiledSecurityHeaders } from './build.js';

/**
 * How an adapter reads and writes one response's headers. Adapters pass one static object
 * (no allocation per request); the decision of what to write stays here.
 */
export interface HeaderAccess<T> {
  get(target: T, name: string): unknown;
  set(target: T, name: string, value: string): void;
  remove(target: T, name: string): void;
  /**
   * The framework keeps header names in lower case (Fastify): names are passed to `get`,
   * `set` and `remove` already lowered. Default: `false` (names as compiled).
   */
  readonly lowerCase?: boolean;
  /**
   * The names of the headers the response carries now, in lower case (Node's
   * `getHeaderNames()`): one read that, when it finds none, lets every header be written
   * without a `get` of its own first. Default: absent (one `get` per header).
   */
  names?(target: T): readonly string[];
}

// Which compiled headers a response was given, for the layer that comes after.
const APPLIED = 'bulwark.securityHeaders.applied';
const applied = sharedMarks<CompiledSecurityHeaders>(APPLIED);

/**
 * For adapters: the property a framework may declare on its response objects when it builds
 * them, with `null` as its value (Fastify: `decorateReply(securityHeadersSlot, null)`). On
 * such a response, `applySecurityHeaders` notes what it wrote in that property instead of a
 * process-wide WeakMap entry, which the garbage collector would trace on every
 * young-generation collection while the response lives.
 */
export const securityHeadersSlot: symbol = markSlot(APPLIED);

/**
 * Writes the compiled headers onto a response without overwriting what the application set
 * itself. A later bulwark layer (a route-level `securityHeaders(...)`) may replace what an
 * earlier bulwark layer wrote, header by header, and its `false` removes them; a value set
 * by anyone else is left alone.
 */
export function applySecurityHeaders<T extends object>(
  target: T,
  access: HeaderAccess<T>,
  compiled: CompiledSecurityHeaders,
): void {
  // A response that carries no header yet (the usual case for the first middleware) has no
  // value of the app's to keep and none of an earlier layer's to replace or remove: no read
  // of a header, nor of the note an earlier layer left.
  if (access.names?.(target).length === 0) {
    const now = access.lowerCase === true ? compiled.lower : compiled;
    for (const [name, value] of now.entries) access.set(target, name, value);
  } else writeHeaders(target, access, compiled, applied.get(target));
  applied.set(target, compiled);
}

function writeHeaders<T extends object>(
  target: T,
  access: HeaderAccess<T>,
  compiled: CompiledSecurityHeaders,
  earlier: CompiledSecurityHeaders | undefined,
): void {
  const lower = access.lowerCase === true;
  const now = lower ? compiled.lower : compiled;
  const previous = earlier === undefined ? undefined : lower ? earlier.lower : earlier;
  for (const [name, value] of now.entries) {
    const current = access.get(target, name);
    if (current === undefined || current === previous?.headers[name]) {
      access.set(target, name, value);
    }
  }
  if (previous !== undefined) {
    for (const [name, value] of previous.entries) {
      if (now.headers[name] === undefined && access.get(target, name) === value) {
        access.remove(target, name);
      }
    }
  }
}

/** Whether `applySecurityHeaders` has written to this response (or reply) already. */
export function hasSecurityHeaders(target: object): boolean {
  return applied.has(target);
}

/** The headers a response should carry after `applySecurityHeaders`, for frameworks that clear headers on errors (Koa): the error's own headers win. */
export function securityHeadersForError(
  target: object,
  errorHeaders: Readonly<Record<string, unknown>> | undefined,
): Record<string, unknown> | undefined {
  const compiled = applied.get(target);
  if (compiled === undefined) return undefined;
  const out: Record<string, unknown> = { ...compiled.headers };
  if (errorHeaders !== undefined) {
    for (const [k, v] of Object.entries(errorHeaders)) {
      for (const name of Object.keys(out))
        if (name.toLowerCase() === k.toLowerCase()) Reflect.deleteProperty(out, name);
      out[k] = v;
    }
  }
  return out;
}
