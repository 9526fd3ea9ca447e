import type { Context, Middleware } from 'koa';
import { applySecurityHeaders, compileSecurityHeaders, securityHeadersSlot } from 'bulwark';
import type { HeaderAccess, SecurityHeadersOptions } from 'bulwark';
import { guardErrors } from './error-headers.js';
import { declareSlot } from './slots.js';

/** Options for the Koa `securityHeaders` middleware. */
export type KoaSecurityHeadersOptions = SecurityHeadersOptions;

/**
 * Security response headers on every response: mount it first. Mounted again on a route, it
 * replaces what the global one set (`false` removes them); the app's own headers stay. Koa
 * clears every header when a downstream middleware throws, so the headers are handed to the
 * error as `err.headers` (which Koa sets after clearing); the error's own headers win.
 */
export function securityHeaders(options: KoaSecurityHeadersOptions | false = {}): Middleware {
  const apply = headersStep(options);
  // Not an async function, and no catch around next(): the error path goes through
  // ctx.onerror instead, so a request costs a call, not a promise and a microtask.
  return (ctx, next) => {
    apply(ctx);
    return next();
  };
}

/**
 * The headers of Node's response, reached through the context: the context is what the
 * headers are noted on (for a route-level `securityHeaders` and for the error answer), since
 * Koa builds it per request and every middleware, a mounted sub-app's included, shares it.
 */
const contextHeaders: HeaderAccess<Context> = {
  get: (ctx, name) => ctx.res.getHeader(name),
  set: (ctx, name, value) => ctx.res.setHeader(name, value),
  remove: (ctx, name) => {
    ctx.res.removeHeader(name);
  },
};

/** The per-request work of {@link securityHeaders}, compiled once; `protect` runs it too. */
export function headersStep(options: KoaSecurityHeadersOptions | false): (ctx: Context) => void {
  const compiled = compileSecurityHeaders(options);
  return (ctx) => {
    declareSlot(ctx, securityHeadersSlot);
    applySecurityHeaders(ctx, contextHeaders, compiled);
    guardErrors(ctx);
  };
}
