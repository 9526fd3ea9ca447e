import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NestMiddleware } from '@nestjs/common';
import { isPromise, mergeVary } from 'bulwark';
import type { CorsOutcome } from 'bulwark';
import { setHeaders } from './platform.js';
import type { BulwarkRuntime } from './runtime.js';

type Next = (error?: unknown) => void;

/** Applies a CORS outcome to Node's response; true when it answered a preflight (204). */
function applyCors(outcome: CorsOutcome, res: ServerResponse): boolean {
  setHeaders(res, outcome.headers);
  if (outcome.vary !== undefined) {
    res.setHeader('Vary', mergeVary(res.getHeader('Vary'), outcome.vary));
  }
  if (!outcome.preflight) return false;
  // No Content-Length: RFC 9110 section 8.6 forbids it on a 204.
  res.statusCode = 204;
  res.end();
  return true;
}

/**
 * The module's security headers and CORS, as a Nest middleware applied to every route
 * (`forRoutes('*')`; on Express a plain middleware at the same place): it runs for every
 * request, unmatched paths included, on Node's request and response on both platforms
 * (Express's own, and Fastify's `raw` through @fastify/middie). Headers written here stay
 * through Nest's exception layer, so 404s, thrown errors and rejections carry them; a
 * preflight is answered here, 204, before any guard or rate limit sees it.
 */
export class BulwarkMiddleware implements NestMiddleware<IncomingMessage, ServerResponse> {
  /**
   * @param runtime - The module's compiled options.
   * @param withHeaders - Whether this middleware writes the security headers (false where
   *   the platform's first middleware wrote them already). Default: `true`.
   */
  constructor(
    private readonly runtime: BulwarkRuntime,
    private readonly withHeaders = true,
  ) {}

  use(req: IncomingMessage, res: ServerResponse, next: Next): void {
    const { headers, cors } = this.runtime;
    if (this.withHeaders) headers?.(res);
    if (cors === undefined) {
      next();
      return;
    }
    const outcome = cors.decide(req, req);
    if (!isPromise(outcome)) {
      if (!applyCors(outcome, res)) next();
      return;
    }
    outcome.then((o) => {
      if (!applyCors(o, res)) next();
    }, next);
  }
}
