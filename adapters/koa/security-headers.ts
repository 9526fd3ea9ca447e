import type { Context, Middleware } from 'koa';
import { applySecurityHeaders, compileSecurityHeaders, securityHeadersForError } from 'bulwark';
import type { SecurityHeadersOptions } from 'bulwark';
import { nodeResponseHeaders } from '../shared/node-headers.js';

/** Options for the Koa `securityHeaders` middleware. */
export type KoaSecurityHeadersOptions = SecurityHeadersOptions;

const kOuterOnError = Symbol('bulwark.koa.onerror');

type ErrorHandler = (this: Context, error: unknown) => void;
type Guarded = Context & { [kOuterOnError]?: ErrorHandler };

/**
 * Koa answers an unhandled error through `ctx.onerror`, which first removes every header and
 * then sets the error's own `err.headers`. This stands in for it on requests that passed
 * `securityHeaders`: it hands the headers to the error (the error's own win) and then calls
 * the handler it replaced. Koa also calls `ctx.onerror(null)` when the response finishes.
 */
function onerror(this: Guarded, error: unknown): void {
  if (typeof error === 'object' && error !== null) {
    const e = error as { headers?: Record<string, unknown> };
    const merged = securityHeadersForError(this.res, e.headers);
    try {
      if (merged !== undefined) e.headers = merged;
    } catch {
      // A frozen error keeps its own headers; Koa still answers it.
    }
  }
  const outer =
    this[kOuterOnError] ??
    (Reflect.get(Object.getPrototypeOf(this) as object, 'onerror') as ErrorHandler);
  outer.call(this, error);
}

/**
 * Security response headers on every response: mount it first. Mounted again on a route, it
 * replaces what the global one set (`false` removes them); the app's own headers stay. Koa
 * clears every header when a downstream middleware throws, so the headers are handed to the
 * error as `err.headers` (which Koa sets after clearing); the error's own headers win.
 */
export function securityHeaders(options: KoaSecurityHeadersOptions | false = {}): Middleware {
  const compiled = compileSecurityHeaders(options);
  // Not an async function, and no catch around next(): the error path goes through
  // ctx.onerror instead, so a request costs a call, not a promise and a microtask.
  return (ctx: Guarded, next) => {
    applySecurityHeaders(ctx.res, nodeResponseHeaders, compiled);
    const current = Reflect.get(ctx, 'onerror') as ErrorHandler;
    if (current !== onerror) {
      if (Object.hasOwn(ctx, 'onerror')) ctx[kOuterOnError] = current;
      ctx.onerror = onerror;
    }
    return next();
  };
}
