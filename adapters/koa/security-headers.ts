import type { Context, Middleware } from 'koa';
import { applySecurityHeaders, compileSecurityHeaders } from 'bulwark';
import type { SecurityHeadersOptions } from 'bulwark';
import { nodeResponseHeaders } from '../shared/node-headers.js';
import { guardErrors } from './error-headers.js';

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

/** The per-request work of {@link securityHeaders}, compiled once; `protect` runs it too. */
export function headersStep(options: KoaSecurityHeadersOptions | false): (ctx: Context) => void {
  const compiled = compileSecurityHeaders(options);
  return (ctx) => {
    applySecurityHeaders(ctx.res, nodeResponseHeaders, compiled);
    guardErrors(ctx);
  };
}
