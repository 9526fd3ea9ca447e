import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { checkProtectOptions } from '../shared/protect-options.js';
import { corsStep } from './cors.js';
import type { ExpressCorsOptions } from './cors.js';
import { rateLimit } from './rate-limit.js';
import type { ExpressRateLimitOptions } from './rate-limit.js';
import { headersStep } from './security-headers.js';
import type { ExpressSecurityHeadersOptions } from './security-headers.js';

/** Options for the Express `protect` middleware: each part takes its own middleware's options. */
export interface ExpressProtectOptions {
  /** Options for the security headers, or `false` for none. Default: `{}` (the default preset). */
  readonly securityHeaders?: ExpressSecurityHeadersOptions | false;
  /** Options for CORS, or `false` (or leaving it out) for none. Default: none. */
  readonly cors?: ExpressCorsOptions | false;
  /** Options for the rate limit, or `false` (or leaving it out) for none. Default: none. */
  readonly rateLimit?: ExpressRateLimitOptions | false;
}

const proceed = (_req: Request, _res: Response, next: NextFunction): void => {
  next();
};

/**
 * Security headers, CORS and a rate limit as one middleware, applied in the order they are
 * meant to be mounted: headers first (so every answer carries them), then CORS (a preflight
 * is answered before it is counted), then the rate limit. It behaves exactly as
 * `securityHeaders()`, `cors()` and `rateLimit()` mounted in that order, for one router layer
 * instead of three. Mount it first.
 */
export function protect(options: ExpressProtectOptions = {}): RequestHandler {
  checkProtectOptions(options);
  const { securityHeaders = {}, cors = false, rateLimit: limit = false } = options;
  const headers = securityHeaders === false ? undefined : headersStep(securityHeaders);
  const preflight = cors === false ? undefined : corsStep(cors);
  const counted: RequestHandler = limit === false ? proceed : rateLimit(limit);
  return (req, res, next) => {
    if (headers !== undefined) headers(res);
    if (preflight === undefined) {
      void counted(req, res, next);
      return;
    }
    const answered = preflight(req, res);
    if (answered === false) void counted(req, res, next);
    else if (answered !== true) {
      answered.then((a) => {
        if (!a) void counted(req, res, next);
      }, next);
    }
  };
}
