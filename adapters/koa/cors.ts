import type { Context, Middleware } from 'koa';
import { compileCors, isPromise, mergeVary } from 'bulwark';
import type { CorsOptions, CorsOutcome, MaybePromise } from 'bulwark';
import { keepOnError } from './error-headers.js';

/** Options for the Koa `cors` middleware. */
export type KoaCorsOptions = CorsOptions<Context>;

/**
 * Applies a CORS outcome: the headers (kept on error answers too, where Koa would clear
 * them and leave the page unable to read the error), the merged `Vary`, a 204 for a
 * preflight. Returns true when the request is answered.
 */
function apply(outcome: CorsOutcome, ctx: Context): boolean {
  const { res } = ctx;
  for (const name in outcome.headers) res.setHeader(name, outcome.headers[name] ?? '');
  if (outcome.vary !== undefined)
    res.setHeader('Vary', mergeVary(res.getHeader('Vary'), outcome.vary));
  if (!outcome.preflight) {
    keepOnError(ctx, outcome);
    return false;
  }
  // Answered here: nothing runs after that could throw.
  ctx.status = 204;
  return true;
}

/**
 * CORS for Koa: allowed origins get exactly their origin back in
 * `Access-Control-Allow-Origin` (with `Vary: Origin` merged into the app's own), others no
 * CORS header at all; a preflight is answered 204 here, before authentication and rate
 * limits. Mount it right after `securityHeaders()`.
 */
export function cors(options: KoaCorsOptions): Middleware {
  const step = corsStep(options);
  // Not an async function: a decision on a listed origin is ready now.
  return (ctx, next) => {
    const answered = step(ctx);
    if (answered === false) return next();
    if (answered === true) return Promise.resolve();
    return answered.then((a) => (a ? undefined : next()));
  };
}

/**
 * The per-request work of {@link cors}, compiled once (`protect` runs it too): true when the
 * request was answered here (a preflight), as a promise when the origin check is asynchronous.
 */
export function corsStep(options: KoaCorsOptions): (ctx: Context) => MaybePromise<boolean> {
  const policy = compileCors(options);
  return (ctx) => {
    const outcome = policy.decide(ctx.req, ctx);
    return isPromise(outcome) ? outcome.then((o) => apply(o, ctx)) : apply(outcome, ctx);
  };
}
