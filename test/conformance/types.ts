import type {
  BulwarkErrorOptions,
  PayloadLimitOptions,
  RateLimiterOptions,
  RateLimitHeaderFormat,
  SecurityHeadersOptions,
  WebhookReceiverOptions,
} from 'bulwark';

/** The frameworks every scenario runs on. */
export const FRAMEWORKS = ['express', 'koa', 'fastify'] as const;
export type Framework = (typeof FRAMEWORKS)[number];

/**
 * A bulwark (or companion) middleware, described without naming a framework. Each app
 * builder in ./apps translates it into its framework's adapter. A capability adds its kind
 * here and one case to each builder.
 */
export type MiddlewareSpec =
  | { readonly kind: 'securityHeaders'; readonly options?: SecurityHeadersOptions | false }
  /** The framework's usual CORS package (cors, @koa/cors, @fastify/cors), allowing every origin. */
  | { readonly kind: 'cors' }
  /** bulwark's payloadLimit (Fastify: the plugin, with route `config.payloadLimit`). */
  | { readonly kind: 'payloadLimit'; readonly options?: PayloadLimitOptions }
  /** bulwark's verifyWebhook (Fastify: the plugin, with route `config.verifyWebhook`). */
  | { readonly kind: 'verifyWebhook'; readonly options?: WebhookReceiverOptions }
  /** bulwark's rateLimit; `false` on a route opts it out (Fastify route config). */
  | { readonly kind: 'rateLimit'; readonly options: RateLimitSpec | false };

/** Framework-neutral rateLimit options; each builder turns them into its adapter's options. */
export interface RateLimitSpec {
  /** Options for a new limiter (each app gets its own, so counts never leak between frameworks). */
  readonly limiter: RateLimiterOptions;
  /** Key requests by this request header instead of the client IP. */
  readonly keyHeader?: string;
  /** Skip requests that carry this header. */
  readonly skipHeader?: string;
  readonly headers?: RateLimitHeaderFormat | false;
  readonly legacyHeaders?: boolean;
  readonly trustedProxies?: readonly string[];
}

/** The adapter options for a RateLimitSpec, given how a framework reads a request header. */
export function rateLimitOptions<Req>(
  spec: RateLimitSpec,
  header: (req: Req, name: string) => string | undefined,
) {
  const { keyHeader, skipHeader, limiter, headers, legacyHeaders, trustedProxies } = spec;
  return {
    limiter,
    ...(headers === undefined ? {} : { headers }),
    ...(legacyHeaders === undefined ? {} : { legacyHeaders }),
    ...(trustedProxies === undefined ? {} : { trustedProxies }),
    ...(keyHeader === undefined ? {} : { key: (req: Req) => header(req, keyHeader) ?? 'none' }),
    ...(skipHeader === undefined
      ? {}
      : { skip: (req: Req) => header(req, skipHeader) !== undefined }),
  };
}

/** What a route handler does. */
export type ReplySpec =
  | { readonly kind: 'json'; readonly status?: number; readonly body: unknown }
  /** Throws an Error (with `status` as Koa's/Express's http-errors do when given). */
  | { readonly kind: 'throw'; readonly status?: number }
  /** Streams the chunks as text/plain. */
  | { readonly kind: 'stream'; readonly chunks: readonly string[] }
  /** Sets a header itself, then answers JSON. */
  | {
      readonly kind: 'set-header';
      readonly name: string;
      readonly value: string;
      readonly body: unknown;
    }
  /** Rejects through the adapter's shared rejection renderer. */
  | { readonly kind: 'reject'; readonly error: BulwarkErrorOptions }
  /** Answers 202 `{ body, rawBytes }`: the parsed body and the length of the raw body left on the request. */
  | { readonly kind: 'echo-body' };

export interface RouteSpec {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly path: string;
  readonly reply: ReplySpec;
  /** Route-level middleware (Express/Koa: mounted on the route; Fastify: route `config`). */
  readonly use?: readonly MiddlewareSpec[];
}

/** One app: global middleware in order, then routes. Scenarios that share an AppSpec object share one server. */
export interface AppSpec {
  readonly use: readonly MiddlewareSpec[];
  readonly routes: readonly RouteSpec[];
  /**
   * Serve with Node's lenient parser (`insecureHTTPParser`), which lets framings such as
   * Content-Length with Transfer-Encoding through to the app, as a lenient proxy in front
   * would: bulwark must refuse them itself. Default: false.
   */
  readonly lenientParser?: boolean;
  /**
   * Node's limit on the request head in bytes (`maxHeaderSize`), raised by the attack tests
   * so that oversized headers reach bulwark instead of Node's own 431. Default: Node's (16 KiB).
   */
  readonly maxHeaderSize?: number;
}

export interface ScenarioRequest {
  readonly method: string;
  readonly path: string;
  readonly headers?: Readonly<Record<string, string | readonly string[]>>;
  readonly body?: string | Buffer;
  /**
   * Send over a raw TCP socket instead of node:http, for framings node:http refuses to
   * send: `head` holds the header lines (the request line and Host are added), `body` is
   * written as is, then `trailingBytes` of filler (framed as chunks when chunked).
   */
  readonly raw?: {
    readonly head: readonly string[];
    readonly body?: string | Buffer;
    readonly trailingBytes?: number;
  };
}

export interface ScenarioExpect {
  readonly status: number;
  /** Expected header values (case-insensitive names); `null` means the header must be absent. */
  readonly headers?: Readonly<Record<string, string | null>>;
  /** Expected JSON body (deep equality). */
  readonly json?: unknown;
  /** Expected body text (exact). */
  readonly text?: string;
  /** Raw requests only: whether the server closed the connection after answering. */
  readonly closed?: boolean;
}

export interface Scenario {
  readonly name: string;
  readonly app: AppSpec;
  readonly request: ScenarioRequest;
  readonly expect: ScenarioExpect;
  /** Requests sent first, on the same app, each expected to get `status` (such as the first delivery of a replay). */
  readonly before?: readonly { readonly request: ScenarioRequest; readonly status: number }[];
  /** Frameworks this scenario does not apply to, with the reason in `name`. Default: none. */
  readonly skip?: readonly Framework[];
}

/** A running app on 127.0.0.1. */
export interface RunningApp {
  readonly url: string;
  close(): Promise<void>;
}
