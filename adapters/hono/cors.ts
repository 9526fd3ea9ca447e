import type { Context, MiddlewareHandler } from 'hono';
import { compileCors, mergeVary } from 'bulwark';
import type { CorsOptions, CorsOutcome, MaybePromise } from 'bulwark';
import { fillHeaders } from '../shared/web.js';
import { editAnswer } from './context.js';
import { headerView } from './client-address.js';

/** Options for the Hono `cors` middleware; an `origins` function receives the context. */
export type HonoCorsOptions = CorsOptions<Context>;

/**
 * Applies an outcome on the way in, through `c.header()` so that every answer built from the
 * context (`c.json()`, `app.onError`, notFound, bulwark's rejections) carries it, with `Vary`
 * appended after the app's own fields. A preflight is answered here: the 204 is returned.
 */
export function startCors(c: Context, outcome: CorsOutcome): Response | undefined {
  for (const name in outcome.headers) c.header(name, outcome.headers[name]);
  if (outcome.vary !== undefined) c.header('Vary', outcome.vary, { append: true });
  // No Content-Length or body: RFC 9110 section 8.6 forbids them on a 204.
  return outcome.preflight ? c.body(null, 204) : undefined;
}

/**
 * After the app answered: a response that was not built from the context (a handler's
 * `new Response(...)`, a `fetch()` passed through) gets the CORS headers it lacks, and its
 * own `Vary` merged with CORS's; what the app set itself stays.
 */
export function finishCors(
  c: Context,
  outcome: CorsOutcome,
  answer?: Response,
): Response | undefined {
  return editAnswer(c, answer, fillCors, outcome);
}

function fillCors(headers: Headers, outcome: CorsOutcome): void {
  fillHeaders(headers, outcome.headers);
  if (outcome.vary === undefined) return;
  const current = headers.get('Vary');
  const merged = mergeVary(current, outcome.vary);
  if (merged !== current) headers.set('Vary', merged);
}

/** The per-request CORS decision, compiled once; `protect` runs it too. */
export function corsDecision(options: HonoCorsOptions): (c: Context) => MaybePromise<CorsOutcome> {
  const policy = compileCors(options);
  return (c) => policy.decide({ method: c.req.method, headers: headerView(c.req.raw.headers) }, c);
}

/**
 * CORS for Hono: allowed origins get exactly their origin back in
 * `Access-Control-Allow-Origin` (with `Vary: Origin` merged into the app's own), others no
 * CORS header at all; a preflight (`OPTIONS` with `Origin` and
 * `Access-Control-Request-Method`) is answered 204 here, before authentication and rate
 * limits. Mount it right after `securityHeaders()`, before everything else.
 */
export function cors(options: HonoCorsOptions): MiddlewareHandler {
  const decide = corsDecision(options);
  return async (c, next) => {
    const outcome = await decide(c);
    const preflight = startCors(c, outcome);
    if (preflight !== undefined) return preflight;
    await next();
    finishCors(c, outcome);
    return undefined;
  };
}
