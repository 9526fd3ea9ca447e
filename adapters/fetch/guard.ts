import { applySecurityHeaders, isPromise, mergeVary } from 'bulwark';
import type {
  CompiledSecurityHeaders,
  CorsOutcome,
  HeaderBag,
  MaybePromise,
  RateLimitSettle,
} from 'bulwark';
import { editResponseHeaders, fillHeaders, webHeaders, webRequestHeaders } from '../shared/web.js';

/** What the runtime knows about a request that a Fetch `Request` does not carry. */
export interface FetchRequestInfo {
  /**
   * The client's address as the runtime reports it: Bun `server.requestIP(request)?.address`,
   * Deno `info.remoteAddr.hostname`, @hono/node-server `env.incoming.socket.remoteAddress`.
   * Read only by the rate limit's default key (the client IP), for which it is required.
   * Default: none.
   */
  readonly clientAddress?: string | undefined;
}

/** The request was answered by the guard: a rejection, or the answer to a CORS preflight. */
export interface FetchRejected {
  readonly ok: false;
  /**
   * The answer to send as it is: `{"detail": ...}` with the error's status (or what
   * `onReject` returned), or a 204 preflight answer; it already carries the security headers
   * and the CORS headers that apply.
   */
  readonly response: Response;
}

/** The request may go on to the handler. */
export interface FetchAdmitted {
  readonly ok: true;
  /** The body as received, under the limit (and verified, with `verifyWebhook`); undefined when no body guard ran. */
  readonly rawBody: Buffer | undefined;
  /** The parsed body (see the `parseAs` option); undefined when no body guard ran. */
  readonly body: unknown;
  /**
   * Applies what the guard decided to the handler's response: the security headers (never
   * replacing one the handler set), the RateLimit fields and the CORS headers (likewise),
   * and the CORS fields merged into the handler's `Vary`. A response with immutable headers
   * (from `fetch()` or `Response.redirect()`) is copied first. Returns the response to send.
   * Its status is what `skipSuccessfulRequests` / `skipFailedRequests` judge: call it for
   * every admitted request, an error answer included.
   */
  finish(response: Response): Response;
}

/** A guard's decision on one request. */
export type FetchVerdict = FetchRejected | FetchAdmitted;

/**
 * A guard over the Fetch standard: takes the `Request` (and the client address, which a
 * `Request` does not carry) and decides. The verdict is returned synchronously when nothing
 * asynchronous had to happen (security headers, CORS on listed origins, a memory-backed rate
 * limit), and as a promise otherwise: `await` works on both.
 */
export type FetchGuard = (request: Request, info?: FetchRequestInfo) => MaybePromise<FetchVerdict>;

/**
 * One request on its way through a guard's steps: what each step decided to put on the
 * answer, applied to whichever response answers the request.
 */
export class Pass {
  readonly request: Request;
  readonly info: FetchRequestInfo | undefined;
  /** The client address the rate limit keys by, once a rate-limit step found one. */
  clientAddress: string | undefined;
  security: CompiledSecurityHeaders | undefined;
  cors: CorsOutcome | undefined;
  limit: Readonly<Record<string, string>> | undefined;
  /** The rate limit's take-back, for an admitted request whose count may be returned. */
  settle: RateLimitSettle | undefined;
  rawBody: Buffer | undefined;
  body: unknown;
  #headers: HeaderBag | undefined;

  constructor(request: Request, info: FetchRequestInfo | undefined) {
    this.request = request;
    this.info = info;
  }

  /** The request headers as the core reads them, translated once per request. */
  requestHeaders(): HeaderBag {
    return (this.#headers ??= webRequestHeaders(this.request.headers));
  }

  /** The response with this request's headers applied; the response's own headers win. */
  apply(response: Response): Response {
    const { security, cors, limit } = this;
    if (security === undefined && cors === undefined && limit === undefined) return response;
    return editResponseHeaders(response, applyPass, this);
  }
}

/** Writes a request's headers onto its response (see {@link Pass.apply}). */
function applyPass(headers: Headers, pass: Pass): void {
  const { security, cors, limit } = pass;
  if (security !== undefined) applySecurityHeaders(headers, webHeaders, security);
  if (limit !== undefined) fillHeaders(headers, limit);
  if (cors !== undefined) {
    fillHeaders(headers, cors.headers);
    if (cors.vary !== undefined) {
      headers.set('Vary', mergeVary(headers.get('Vary') ?? undefined, cors.vary));
    }
  }
}

/** One capability's work on a request: a response ends the request there, undefined goes on. */
export type Step = (pass: Pass) => MaybePromise<Response | undefined>;

function verdictOf(pass: Pass, answer: Response | undefined): FetchVerdict {
  if (answer !== undefined) return { ok: false, response: pass.apply(answer) };
  return {
    ok: true,
    rawBody: pass.rawBody,
    body: pass.body,
    finish: (response) => {
      pass.settle?.(pass.request, response, response.status);
      return pass.apply(response);
    },
  };
}

function run(steps: readonly Step[], from: number, pass: Pass): MaybePromise<FetchVerdict> {
  let i = from;
  for (const step of from === 0 ? steps : steps.slice(from)) {
    i++;
    const answer = step(pass);
    if (isPromise(answer)) {
      const next = i;
      return answer.then((a) => (a === undefined ? run(steps, next, pass) : verdictOf(pass, a)));
    }
    if (answer !== undefined) return verdictOf(pass, answer);
  }
  return verdictOf(pass, undefined);
}

/** The guard that runs `steps` in order, stopping at the first that answers. */
export function guardOf(steps: readonly Step[]): FetchGuard {
  return (request, info) => run(steps, 0, new Pass(request, info));
}
