import { guardOf } from './guard.js';
import type { FetchRequestInfo } from './guard.js';
import { checkFetchProtectOptions } from './protect-options.js';
import { protectSteps } from './protect.js';
import type { FetchProtectOptions } from './protect.js';

/**
 * Options for {@link withBulwark}: the parts of `protect`, plus where the client address
 * comes from. `Req` and `Rest` are the wrapped function's parameters.
 */
export interface FetchHandlerOptions<
  Req extends Request = Request,
  Rest extends readonly unknown[] = readonly unknown[],
> extends FetchProtectOptions {
  /**
   * The client's address for a request, for the rate limit's default key (see
   * {@link FetchRequestInfo.clientAddress}), given what the runtime passes beside the
   * request: Bun `(request, server) => server.requestIP(request)?.address`, Deno
   * `(request, info) => info.remoteAddr.hostname`. Next.js route handlers are given no peer
   * address: see the guide for what is safe there. Default: none.
   */
  readonly clientAddress?: ((request: Req, ...rest: Rest) => string | undefined) | undefined;
}

/** What the guard read from the request body, for the handler. */
export interface FetchBody {
  /** The body as received, under the limit (and verified, with `verifyWebhook`); undefined without a body guard. */
  readonly rawBody: Buffer | undefined;
  /** The parsed body (see the `parseAs` option); undefined without a body guard. */
  readonly body: unknown;
}

/**
 * A route handler wrapped by {@link withBulwark}: the request (Next.js passes a
 * `NextRequest`, which is a `Request`), the verified body, and whatever else the runtime
 * passes (Next.js: `{ params }`).
 */
export type FetchHandler<Req extends Request, Rest extends readonly unknown[]> = (
  request: Req,
  received: FetchBody,
  ...rest: Rest
) => Response | Promise<Response>;

/**
 * Wraps a Fetch handler (a Next.js route handler, a `Bun.serve` or `Deno.serve` fetch
 * function) in a `protect` guard: a refused request is answered by the guard and never
 * reaches the handler; an admitted one reaches it with `{ rawBody, body }`, and its
 * response gets the security, RateLimit and CORS headers (the handler's own headers win).
 * A handler that throws is not caught: the error goes to the runtime (Next.js's error
 * handling and `onRequestError`, Bun's and Deno's `onError`) as it would without bulwark,
 * and the runtime's 500 does not carry bulwark's headers.
 *
 * ```ts
 * export const POST = withBulwark(
 *   { verifyWebhook: { scheme: 'github', secret: process.env.GITHUB_WEBHOOK_SECRET } },
 *   async (request, { body }) => Response.json({ received: body }),
 * );
 * ```
 */
export function withBulwark<Req extends Request = Request, Rest extends readonly unknown[] = []>(
  options: FetchHandlerOptions<Req, Rest>,
  handler: FetchHandler<Req, Rest>,
): (request: Req, ...rest: Rest) => Promise<Response> {
  checkFetchProtectOptions(options, 'withBulwark', ['clientAddress']);
  if (typeof handler !== 'function') {
    throw new TypeError(
      'bulwark: withBulwark: the handler is missing; write withBulwark(options, async (request, { body }) => Response.json(...)).',
    );
  }
  const { clientAddress, ...parts } = options;
  if (clientAddress !== undefined && typeof clientAddress !== 'function') {
    throw new TypeError(
      'bulwark: withBulwark clientAddress: not a function; write clientAddress: (request) => address.',
    );
  }
  const guard = guardOf(protectSteps(parts));
  return async (request, ...rest) => {
    const info: FetchRequestInfo | undefined =
      clientAddress === undefined ? undefined : { clientAddress: clientAddress(request, ...rest) };
    const verdict = await guard(request, info);
    if (!verdict.ok) return verdict.response;
    let response: Response;
    try {
      response = await handler(request, { rawBody: verdict.rawBody, body: verdict.body }, ...rest);
    } catch (error: unknown) {
      // The runtime answers a throw with 500: a failed request, for skipFailedRequests.
      verdict.finish(new Response(null, { status: 500 }));
      throw error;
    }
    return verdict.finish(response);
  };
}
