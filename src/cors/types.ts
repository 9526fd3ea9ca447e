import type { HeaderBag } from '../body/options.js';
import type { LoggerLike } from '../log/logger-kind.js';

/**
 * Decides per request whether an origin may read responses: called with the request's
 * origin (normalized: lower case, no default port; never `null`, which only a listed
 * `'null'` allows) and the framework's request. A throw or a rejection counts as "no", and
 * is logged once.
 */
export type CorsOriginFunction<Req> = (origin: string, request: Req) => boolean | Promise<boolean>;

/** The origins a CORS policy allows: `'*'`, an origin string, a RegExp, a list of those, or a function. */
export type CorsOrigins<Req> =
  string | RegExp | readonly (string | RegExp)[] | CorsOriginFunction<Req>;

/** Options for `cors()` on every framework, and for {@link compileCors}. */
export interface CorsOptions<Req = unknown> {
  /**
   * The origins whose pages may read responses: `'*'` (any, without credentials), an origin
   * string such as `'https://app.example.com'`, an anchored `RegExp` such as
   * `/^https:\/\/[a-z0-9-]+\.example\.com$/`, an array of those, or a function
   * `(origin, request) => boolean | Promise<boolean>`. The literal `'null'` origin is
   * allowed only when listed. Required: `cors()` without it is a `TypeError`.
   */
  readonly origins: CorsOrigins<Req>;
  /**
   * Let pages send cookies and HTTP authentication, and read the answers
   * (`Access-Control-Allow-Credentials: true`). Not with `'*'`. Default: `false`.
   */
  readonly credentials?: boolean;
  /** Methods a preflight allows (`Access-Control-Allow-Methods`). Default: GET, HEAD, POST, PUT, PATCH, DELETE. */
  readonly methods?: readonly string[];
  /**
   * Request headers a preflight allows (`Access-Control-Allow-Headers`). Default: the
   * headers the preflight asks for (`Access-Control-Request-Headers`), for an allowed origin.
   */
  readonly allowedHeaders?: readonly string[];
  /**
   * Response headers page scripts may read beyond the CORS-safelisted ones
   * (`Access-Control-Expose-Headers`). To let a page see its rate limit, expose
   * `['RateLimit', 'RateLimit-Policy', 'Retry-After']`. Default: none.
   */
  readonly exposedHeaders?: readonly string[];
  /**
   * How long, in seconds, a browser may reuse a preflight answer
   * (`Access-Control-Max-Age`); Chromium caps it at 7,200 and Firefox at 86,400. Default:
   * not sent (browsers then cache for 5 seconds).
   */
  readonly maxAge?: number;
  /**
   * Answer Private Network Access preflights (`Access-Control-Request-Private-Network: true`)
   * with `Access-Control-Allow-Private-Network: true`, for a server on a private address
   * that public pages may call. Chromium has since moved to Local Network Access, a
   * permission the user grants, and no longer sends this preflight; the option serves the
   * browsers and versions that still do. Default: `false`.
   */
  readonly privateNetwork?: boolean;
  /**
   * Pass preflights on to the app (with the CORS headers set) instead of answering 204.
   * Default: `false`.
   */
  readonly preflightContinue?: boolean;
  /** Where a failing origin function is logged, once per process. Default: `console`. */
  readonly logger?: LoggerLike;
}

/** The request parts a CORS decision reads. */
export interface CorsRequest {
  /** The request method. */
  readonly method?: string | undefined;
  /** Request headers with lower-case names, as Node gives them. */
  readonly headers: HeaderBag;
}

/** What a CORS decision tells the adapter to do. */
export interface CorsOutcome {
  /** CORS headers to set on the response. */
  readonly headers: Readonly<Record<string, string>>;
  /** Fields to merge into the response's `Vary` (without replacing the app's), or undefined. */
  readonly vary: string | undefined;
  /** Answer the preflight now with 204 and these headers, without running later middleware. */
  readonly preflight: boolean;
}
