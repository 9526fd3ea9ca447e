import type { Request, RequestHandler, Response } from 'express';
import { compileCors, isPromise, mergeVary } from 'bulwark';
import type { CorsOptions, CorsOutcome, MaybePromise } from 'bulwark';
import { setNodeHeaders } from '../shared/node-headers.js';

/** Options for the Express `cors` middleware. */
export type ExpressCorsOptions = CorsOptions<Request>;

/** Applies a CORS outcome to Node's response: the headers, the merged `Vary`, a 204 for a preflight. */
function apply(outcome: CorsOutcome, res: Response): boolean {
  setNodeHeaders(res, outcome.headers);
  if (outcome.vary !== undefined)
    res.setHeader('Vary', mergeVary(res.getHeader('Vary'), outcome.vary));
  if (!outcome.preflight) return false;
  // No Content-Length: RFC 9110 section 8.6 forbids it on a 204.
  res.statusCode = 204;
  res.end();
  return true;
}

/**
 * CORS for Express: allowed origins get exactly their origin back in
 * `Access-Control-Allow-Origin` (with `Vary: Origin` merged into the app's own), others no
 * CORS header at all; a preflight (`OPTIONS` with `Origin` and
 * `Access-Control-Request-Method`) is answered 204 here, before authentication and rate
 * limits. Mount it right after `securityHeaders()`, before everything else.
 */
export function cors(options: ExpressCorsOptions): RequestHandler {
  const step = corsStep(options);
  return (req, res, next) => {
    const answered = step(req, res);
    if (answered === false) next();
    else if (answered !== true) {
      answered.then((a) => {
        if (!a) next();
      }, next);
    }
  };
}

/**
 * The per-request work of {@link cors}, compiled once (`protect` runs it too): true when the
 * request was answered here (a preflight), as a promise when the origin check is asynchronous.
 */
export function corsStep(
  options: ExpressCorsOptions,
): (req: Request, res: Response) => MaybePromise<boolean> {
  const policy = compileCors(options);
  return (req, res) => {
    const outcome = policy.decide(req, req);
    return isPromise(outcome) ? outcome.then((o) => apply(o, res)) : apply(outcome, res);
  };
}
