import type { Context, MiddlewareHandler } from 'hono';
import { compileSecurityHeaders } from 'bulwark';
import type { CompiledSecurityHeaders, SecurityHeadersOptions } from 'bulwark';
import { fillWebHeaders } from '../shared/web.js';
import { editAnswer } from './context.js';

/** Options for the Hono `securityHeaders` middleware. */
export type HonoSecurityHeadersOptions = SecurityHeadersOptions;

// The headers a request is to get, decided on the way in: the innermost mount (a route's own
// securityHeaders after the app's) decides, as the last one to run does on Express. Noted as
// a property of the request's Context (a symbol nothing else reads), not a WeakMap entry: a
// WeakMap entry per request is an ephemeron the garbage collector traces while it lives.
const kDecided = Symbol('bulwark.hono.securityHeaders');
type Decided = Context & { [kDecided]?: CompiledSecurityHeaders };

/** Records, on the way in, which headers this request's response is to get. */
export function decideSecurityHeaders(c: Context, compiled: CompiledSecurityHeaders): void {
  (c as Decided)[kDecided] = compiled;
}

/**
 * Writes the decided headers onto the response after the app answered (with `limitHeaders`,
 * the rate limit's fields `protect` hands over, in the same pass): the answer a
 * middleware is about to return, or `c.res` (the handler's, notFound's, onError's). Written
 * then, not through `c.header()` before `next()`, because a handler that returns
 * `new Response(...)` drops headers prepared on the context; and a header the response
 * already carries is the app's and stays.
 */
export function finishSecurityHeaders(
  c: Context,
  answer?: Response,
  limitHeaders?: Readonly<Record<string, string>>,
): Response | undefined {
  // protect() hands limitHeaders over only after deciding the headers, so a request with
  // no decision has none.
  const compiled = (c as Decided)[kDecided];
  if (compiled === undefined) return answer;
  // One decision per request, so no earlier layer's headers to replace: each finish (the
  // route's, then the app's) fills what the answer lacks, and what the app set stays.
  return editAnswer(c, answer, fillWebHeaders, compiled, limitHeaders);
}

/**
 * Security response headers on every response that passes through: mount it first
 * (`app.use(securityHeaders())`), so 404s, errors answered by `app.onError`, CORS preflights
 * and bulwark's own 413/429 answers carry them too. Mounted again on a route, it replaces
 * what the app-wide one would set for that route (`false` sends none); a header the app set
 * itself is never overwritten.
 */
export function securityHeaders(
  options: HonoSecurityHeadersOptions | false = {},
): MiddlewareHandler {
  const compiled = compileSecurityHeaders(options);
  return async (c, next) => {
    decideSecurityHeaders(c, compiled);
    await next();
    finishSecurityHeaders(c);
  };
}
