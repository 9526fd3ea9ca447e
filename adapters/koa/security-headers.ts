import type { Middleware } from 'koa';
import { applySecurityHeaders, compileSecurityHeaders, securityHeadersForError } from 'bulwark';
import type { SecurityHeadersOptions } from 'bulwark';
import { nodeResponseHeaders } from '../shared/node-headers.js';

/** Options for the Koa `securityHeaders` middleware. */
export type KoaSecurityHeadersOptions = SecurityHeadersOptions;

/**
 * Security response headers on every response: mount it first. Mounted again on a route, it
 * replaces what the global one set (`false` removes them); the app's own headers stay. Koa clears every header
 * when a downstream middleware throws, so the headers are handed to the error as
 * `err.headers` (which Koa sets after clearing); the error's own headers win.
 */
export function securityHeaders(options: KoaSecurityHeadersOptions | false = {}): Middleware {
  const compiled = compileSecurityHeaders(options);
  return async (ctx, next) => {
    applySecurityHeaders(ctx.res, nodeResponseHeaders, compiled);
    try {
      await next();
    } catch (error: unknown) {
      if (typeof error === 'object' && error !== null) {
        const e = error as { headers?: Record<string, unknown> };
        const merged = securityHeadersForError(ctx.res, e.headers);
        try {
          if (merged !== undefined) e.headers = merged;
        } catch {
          // A frozen error keeps its own headers; Koa still answers it.
        }
      }
      throw error;
    }
  };
}
