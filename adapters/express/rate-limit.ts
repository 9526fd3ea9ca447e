import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { compileRateLimit, isPromise, rateLimitLogger } from 'bulwark';
import type { ClientAddressInput, RateLimitMiddlewareOptions, RateLimitOutcome } from 'bulwark';
import { setNodeHeaders } from '../shared/node-headers.js';
import { settleWhenClosed } from '../shared/node-settle.js';
import { rejectExpress } from './reject.js';
import type { ExpressRejectOptions } from './reject.js';

/** Options for the Express `rateLimit` middleware: the shared options plus `onReject`. */
export interface ExpressRateLimitOptions
  extends RateLimitMiddlewareOptions<Request, Response>, ExpressRejectOptions {}

const peer = (req: Request): ClientAddressInput => ({
  remoteAddress: req.socket.remoteAddress,
  headers: req.headers,
});
// The request object itself: every Express middleware sees the same one.
const carrier = (req: Request): object => req;

/**
 * Rate limiting for Express: counts each request under its key (the client IP by default)
 * and answers 429 `{"detail":"Too Many Requests"}` with `Retry-After` and the RateLimit
 * headers once the limit is reached. Mount it after `securityHeaders` so the 429 carries them.
 */
export function rateLimit(options: ExpressRateLimitOptions): RequestHandler {
  const check = compileRateLimit(options, peer, carrier);
  const { onReject } = options;
  const logger = rateLimitLogger(options);
  const apply = (
    outcome: RateLimitOutcome | undefined,
    req: Request,
    res: Response,
    next: NextFunction,
  ): void => {
    if (outcome === undefined) {
      next();
      return;
    }
    if (outcome.error !== undefined) {
      rejectExpress(outcome.error, req, res, next, onReject, logger);
      return;
    }
    setNodeHeaders(res, outcome.headers);
    if (outcome.settle !== undefined) settleWhenClosed(res, outcome.settle, req, res);
    next();
  };
  return (req, res, next) => {
    let result: ReturnType<typeof check>;
    try {
      result = check(req);
    } catch (error: unknown) {
      next(error);
      return;
    }
    // A memory-backed decision is ready now: the request goes on in the same tick.
    if (!isPromise(result)) {
      apply(result, req, res, next);
      return;
    }
    result.then(
      (outcome) => {
        apply(outcome, req, res, next);
      },
      (error: unknown) => {
        next(error);
      },
    );
  };
}
