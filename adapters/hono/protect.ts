import type { MiddlewareHandler } from 'hono';
import { compileSecurityHeaders, isPromise } from 'bulwark';
import type { CorsOutcome } from 'bulwark';
import { checkProtectOptions } from '../shared/protect-options.js';
import { fillHeaders } from '../shared/web.js';
import { editAnswer } from './context.js';
import { corsDecision, finishCors, startCors } from './cors.js';
import type { HonoCorsOptions } from './cors.js';
import { compileHonoLimit, settleLimit, watchLimit } from './rate-limit.js';
import type { HonoRateLimitOptions } from './rate-limit.js';
import { decideSecurityHeaders, finishSecurityHeaders } from './security-headers.js';
import type { HonoSecurityHeadersOptions } from './security-headers.js';

/** Options for the Hono `protect` middleware: each part takes its own middleware's options. */
export interface HonoProtectOptions {
  /** Options for the security headers, or `false` for none. Default: `{}` (the default preset). */
  readonly securityHeaders?: HonoSecurityHeadersOptions | false;
  /** Options for CORS, or `false` (or leaving it out) for none. Default: none. */
  readonly cors?: HonoCorsOptions | false;
  /** Options for the rate limit, or `false` (or leaving it out) for none. Default: none. */
  readonly rateLimit?: HonoRateLimitOptions | false;
}

/**
 * Security headers, CORS and a rate limit as one middleware, applied in the order they are
 * meant to be mounted: headers first (so every answer carries them), then CORS (a preflight
 * is answered before it is counted), then the rate limit. It behaves exactly as
 * `securityHeaders()`, `cors()` and `rateLimit()` mounted in that order, for one step of
 * Hono's middleware chain instead of three: the parts run inline, in one async function, so
 * a request awaits one promise per step it takes. Mount it first: `app.use(protect({...}))`.
 */
export function protect(options: HonoProtectOptions = {}): MiddlewareHandler {
  checkProtectOptions(options);
  const { securityHeaders = {}, cors = false, rateLimit: limit = false } = options;
  const headers = securityHeaders === false ? undefined : compileSecurityHeaders(securityHeaders);
  const decide = cors === false ? undefined : corsDecision(cors);
  const limited = limit === false ? undefined : compileHonoLimit(limit);
  return async (c, next) => {
    if (headers !== undefined) decideSecurityHeaders(c, headers);
    let answer: Response | undefined;
    let allowed: CorsOutcome | undefined;
    if (decide !== undefined) {
      const decided = decide(c);
      allowed = isPromise(decided) ? await decided : decided;
      answer = startCors(c, allowed);
    }
    // The rate limit's fields, written with the security headers in one pass over the answer.
    let limitHeaders: Readonly<Record<string, string>> | undefined;
    if (answer === undefined) {
      const result = limited?.check(c);
      const outcome = isPromise(result) ? await result : result;
      if (outcome === undefined) {
        await next();
      } else if (outcome.error !== undefined) {
        answer = await limited?.refuse(c, outcome.error);
      } else {
        watchLimit(c, outcome);
        await next();
        settleLimit(c, outcome);
        limitHeaders = outcome.headers;
      }
      if (allowed !== undefined) answer = finishCors(c, allowed, answer);
    }
    if (headers !== undefined) return finishSecurityHeaders(c, answer, limitHeaders);
    return limitHeaders === undefined ? answer : editAnswer(c, answer, fillHeaders, limitHeaders);
  };
}
