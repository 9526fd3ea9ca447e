import type { RequestHandler, Response } from 'express';
import type { SecurityHeadersOptions } from 'bulwark';
import { nodeHeadersStep } from '../shared/node-headers.js';

/** Options for the Express `securityHeaders` middleware. */
export interface ExpressSecurityHeadersOptions extends SecurityHeadersOptions {
  /**
   * Remove Express's `X-Powered-By: Express`, which advertises the stack to scanners, and
   * turn Express's own `x-powered-by` setting off on the app that serves the request, so it
   * is not written at all from then on. Default: `true`.
   */
  readonly removePoweredBy?: boolean;
}

/**
 * Security response headers on every response that passes through: mount it first, before
 * routers, CORS and error handlers, so 404s, thrown errors, preflights and bulwark's own
 * 413/429 answers carry them too. Mounted again on a route, it replaces what the global one
 * set for that route (`false` removes them); a header the app set itself is never
 * overwritten.
 */
export function securityHeaders(
  options: ExpressSecurityHeadersOptions | false = {},
): RequestHandler {
  const apply = headersStep(options);
  return (_req, res, next) => {
    apply(res);
    next();
  };
}

/** The per-response work of {@link securityHeaders}, compiled once; `protect` runs it too. */
export function headersStep(
  options: ExpressSecurityHeadersOptions | false,
): (res: Response) => void {
  return nodeHeadersStep(options);
}
