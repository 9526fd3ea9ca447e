import { compileCors, isPromise } from 'bulwark';
import type { CorsOptions, CorsOutcome } from 'bulwark';
import { guardOf } from './guard.js';
import type { FetchGuard, Pass, Step } from './guard.js';

/** Options for the Fetch `cors` guard; an `origins` function receives the `Request`. */
export type FetchCorsOptions = CorsOptions<Request>;

function settle(outcome: CorsOutcome, pass: Pass): Response | undefined {
  pass.cors = outcome;
  // No Content-Length and no body: RFC 9110 section 8.6 forbids it on a 204.
  return outcome.preflight ? new Response(null, { status: 204 }) : undefined;
}

/**
 * CORS over Fetch: allowed origins get exactly their origin back in
 * `Access-Control-Allow-Origin` (with `Vary: Origin` merged into the handler's own), others
 * no CORS header at all. A preflight (`OPTIONS` with `Origin` and
 * `Access-Control-Request-Method`) is answered 204 by the guard itself: the verdict is not
 * ok and its `response` is the answer, so it never reaches authentication or a rate limit.
 */
export function cors(options: FetchCorsOptions): FetchGuard {
  return guardOf([corsStep(options)]);
}

/** The per-request work of {@link cors}, compiled once; `protect` runs it too. */
export function corsStep(options: FetchCorsOptions): Step {
  const policy = compileCors<Request>(options);
  return (pass) => {
    const { request } = pass;
    const outcome = policy.decide(
      { method: request.method, headers: pass.requestHeaders() },
      request,
    );
    return isPromise(outcome) ? outcome.then((o) => settle(o, pass)) : settle(outcome, pass);
  };
}
