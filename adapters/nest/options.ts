import type { IncomingMessage, ServerResponse } from 'node:http';
import type {
  CorsOptions,
  LoggerLike,
  PayloadLimitOptions,
  RateLimitMiddlewareOptions,
  RequestWebhookReceiverOptions,
  RequestWebhookSecret,
  SecurityHeadersOptions,
} from 'bulwark';
import type { NestRequest } from './platform.js';
import { PROTECT_PARTS, checkProtectOptions } from '../shared/protect-options.js';

/**
 * Security headers for every response of the app: the core's options (preset and
 * per-header values, `false` turning one off).
 */
export interface NestSecurityHeadersOptions extends SecurityHeadersOptions {
  /**
   * Remove Express's `X-Powered-By: Express`, which advertises the stack to scanners, and
   * turn Express's own `x-powered-by` setting off on the app that serves the request, so it
   * is not written at all from then on. Default: `true`.
   */
  readonly removePoweredBy?: boolean;
}

/**
 * CORS for the whole app. The `origins` function, when given one, gets Node's request
 * (Express's `req`, Fastify's `request.raw`): preflights are answered in a middleware,
 * before Nest routes the request.
 */
export type NestCorsOptions = CorsOptions<IncomingMessage>;

/**
 * A rate limit: the limiter (or its options), and how requests are keyed and skipped.
 * `key` and `skip` get the request `@Req()` gives (Express's `req`, Fastify's `request`);
 * `requestWasSuccessful` gets it and Node's response (`res.statusCode`).
 */
export type NestRateLimitOptions = RateLimitMiddlewareOptions<NestRequest, ServerResponse>;

/** A payload limit: the core's options (`limit`, `inflate`, `parseAs`, `timeoutMs`, `logger`). */
export type NestPayloadLimitOptions = PayloadLimitOptions;

/** The webhook secret, or a function of the request `@Req()` gives (per-webhook secrets, possibly looked up asynchronously). */
export type NestWebhookSecret = RequestWebhookSecret<NestRequest>;

/** Options for `@VerifyWebhook(...)`: the payload limit and the verifier. */
export interface NestVerifyWebhookOptions extends Omit<
  RequestWebhookReceiverOptions<NestRequest>,
  'secret'
> {
  /**
   * The secret (several while rotating), or a function of the request returning it; a
   * function returning `undefined` means "no secret for this webhook" (mission-control
   * then does not check, other schemes refuse). Required: none given, or an empty one (an
   * unset environment variable), is a `TypeError` when the decorator is applied.
   */
  readonly secret?: NestWebhookSecret;
}

/**
 * Options for `BulwarkModule.forRoot`: what `protect` mounts on the other frameworks, plus
 * an app-wide payload limit. A part left out is off, except the security headers.
 */
export interface BulwarkModuleOptions {
  /**
   * Security headers on every response (404s, thrown errors, preflights and bulwark's own
   * rejections included), or `false` for none. A header the app sets itself is never
   * overwritten. Default: `{}` (the mission-control preset).
   */
  readonly securityHeaders?: NestSecurityHeadersOptions | false;
  /** CORS for the whole app, preflights answered before guards and rate limits, or `false`. Default: none. */
  readonly cors?: NestCorsOptions | false;
  /**
   * The global rate limit, counted for every request (404s included), before the app's
   * guards; `@SkipRateLimit()` opts a handler or controller out, or `false`. Default: none.
   */
  readonly rateLimit?: NestRateLimitOptions | false;
  /** A payload limit for every route that receives a body, or `false`. Default: none. */
  readonly payloadLimit?: NestPayloadLimitOptions | false;
  /**
   * Where wiring mistakes seen while serving are logged, once per process each (a body
   * parser that read the request first). Default: the rate limit's logger, else `console`.
   */
  readonly logger?: LoggerLike;
}

/** The parts of {@link BulwarkModuleOptions}, in the order they apply. */
const PARTS = [...PROTECT_PARTS, 'payloadLimit'] as const;

const EXAMPLE =
  "BulwarkModule.forRoot({ securityHeaders: {}, cors: { origins: ['https://app.example.com'] }, rateLimit: { limiter: { limit: 100, windowMs: 60_000 } } })";

/**
 * Checks the module options at startup, as `protect` is checked on the other frameworks
 * (`forRoot` takes what `protect` takes, and an app-wide payload limit): an object, with no
 * key other than its parts and `logger` (a misspelt `ratelimit` would otherwise leave the app
 * silently unlimited), at least one part switched on.
 */
export function checkModuleOptions(options: unknown): BulwarkModuleOptions {
  checkProtectOptions(options, {
    parts: PARTS,
    name: 'BulwarkModule.forRoot',
    extra: ['logger'],
    example: EXAMPLE,
  });
  return options as BulwarkModuleOptions;
}
