import type { CompiledSecurityHeaders } from './build.js';

/**
 * How an adapter reads and writes one response's headers. Adapters pass one static object
 * (no allocation per request); the decision of what to write stays here.
 */
export interface HeaderAccess<T> {
  get(target: T, name: string): unknown;
  set(target: T, name: string, value: string): void;
  remove(target: T, name: string): void;
}

const kApplied = Symbol.for('bulwark.securityHeaders.applied');
interface Marked {
  [kApplied]?: CompiledSecurityHeaders;
}

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
  const previous = (target as Marked)[kApplied];
  for (const [name, value] of compiled.entries) {
    const current = access.get(target, name);
    if (current === undefined || current === previous?.headers[name]) {
      access.set(target, name, value);
    }
  }
  if (previous !== undefined) {
    for (const [name, value] of previous.entries) {
      if (compiled.headers[name] === undefined && access.get(target, name) === value) {
        access.remove(target, name);
      }
    }
  }
  (target as Marked)[kApplied] = compiled;
}

/** Whether `applySecurityHeaders` has written to this response (or reply) already. */
export function hasSecurityHeaders(target: object): boolean {
  return (target as Marked)[kApplied] !== undefined;
}

/** The headers a response should carry after `applySecurityHeaders`, for frameworks that clear headers on errors (Koa): the error's own headers win. */
export function securityHeadersForError(
  target: object,
  errorHeaders: Readonly<Record<string, unknown>> | undefined,
): Record<string, unknown> | undefined {
  const applied = (target as Marked)[kApplied];
  if (applied === undefined) return undefined;
  const out: Record<string, unknown> = { ...applied.headers };
  if (errorHeaders !== undefined) {
    for (const [k, v] of Object.entries(errorHeaders)) {
      for (const name of Object.keys(out))
        if (name.toLowerCase() === k.toLowerCase()) Reflect.deleteProperty(out, name);
      out[k] = v;
    }
  }
  return out;
}
