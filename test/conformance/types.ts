import { createRateLimiter } from 'bulwark';
import { lineLogger } from '../helpers/log-capture.js';
import type {
  BulwarkErrorOptions,
  CorsOptions,
  RateLimiter,
  PayloadLimitOptions,
  RateLimiterOptions,
  RateLimitHeaderFormat,
  SecurityHeadersOptions,
  WebhookReceiverOptions,
} from 'bulwark';

/**
 * The frameworks every scenario runs on. `nest` runs on both of Nest's platforms
 * (@nestjs/platform-express and @nestjs/platform-fastify); `hono` through @hono/node-server.
 */
export const FRAMEWORKS = ['express', 'koa', 'fastify', 'hono', 'nest'] as const;
export type Framework = (typeof FRAMEWORKS)[number];

/**
 * A bulwark (or companion) middleware, described without naming a framework. Each app
 * builder in ./apps translates it into its framework's adapter. A capability adds its kind
 * here and one case to each builder.
 */
export type MiddlewareSpec =
  | { readonly kind: 'securityHeaders'; readonly options?: SecurityHeadersOptions | false }
  /** The framework's usual CORS package (cors, @koa/cors, @fastify/cors), allowing every origin. */
  | { readonly kind: 'corsPackage' }
  /** bulwark's cors (Fastify: the plugin; on a route, route `config.cors`). */
  | { readonly kind: 'cors'; readonly options: CorsOptions }
  /** The app's own middleware setting one response header before what follows it. */
  | { readonly kind: 'header'; readonly name: string; readonly value: string }
  /** bulwark's payloadLimit (Fastify: the plugin, with route `config.payloadLimit`). */
  | {
      readonly kind: 'payloadLimit';
      readonly options?: PayloadLimitOptions;
      readonly onReject?: OnRejectSpec;
    }
  /** bulwark's verifyWebhook (Fastify: the plugin, with route `config.verifyWebhook`). */
  | {
      readonly kind: 'verifyWebhook';
      readonly options?: WebhookSpecOptions;
      /**
       * A per-request secret function instead of `options.secret`: one that misbehaves, or
       * an asynchronous lookup resolving to a key (`publicKey` for discord).
       */
      readonly secretFn?: SecretFnSpec;
      /** A `publicUrl` function of the framework's request, instead of `options.publicUrl`. */
      readonly publicUrlFn?: PublicUrlSpec;
      readonly onReject?: OnRejectSpec;
    }
  | RateLimitMiddlewareSpec
  /**
   * bulwark's protect: security headers, CORS and a rate limit in one middleware (Fastify:
   * one plugin). A part left out is off; the suite builds these from the scenarios that
   * mount the separate middlewares in order (see ../protect.ts).
   */
  | {
      readonly kind: 'protect';
      readonly securityHeaders: SecurityHeadersOptions | false;
      readonly cors?: CorsOptions;
      readonly rateLimit?: RateLimitMiddlewareSpec;
      /** A key a new user might write instead of a part's name (`ratelimit`), given `{}`. */
      readonly misspelt?: string;
    }
  /**
   * The framework's usual body parser, mounted where the user puts it: `json` is
   * express.json(), koa-bodyparser, or a JSON content-type parser added to Fastify;
   * `other` is the body-parser package, @koa/bodyparser, or a Fastify onRequest hook that
   * reads request.raw itself.
   */
  | { readonly kind: 'bodyParser'; readonly parser: 'json' | 'other' }
  /**
   * What a form-posting sender (Twilio, Slack) needs on each framework, as the webhooks
   * guide says: Fastify has no form parser of its own, so the app adds one for
   * `application/x-www-form-urlencoded`, as @fastify/formbody does (an object of fields);
   * Express and Koa need none, since verifyWebhook parses a verified form into `body`
   * itself, so there it mounts nothing.
   */
  | { readonly kind: 'formParser' };

/**
 * The core webhook options, with `publicKey` also given as `undefined`: what
 * `publicKey: process.env.DISCORD_PUBLIC_KEY` is with the variable unset, which every
 * adapter's options accept and must refuse at startup.
 */
export type WebhookSpecOptions = Omit<WebhookReceiverOptions, 'publicKey'> & {
  readonly publicKey?: WebhookReceiverOptions['publicKey'] | undefined;
};

/** bulwark's rateLimit; `false` on a route opts it out (Fastify route config). */
export interface RateLimitMiddlewareSpec {
  readonly kind: 'rateLimit';
  readonly options: RateLimitSpec | false;
  /**
   * Mount one middleware instance everywhere this id appears (Express, Koa). Fastify
   * plugins cannot be mounted twice as one instance: there the plugin is registered
   * again with the same limiter instance.
   */
  readonly share?: string;
  /** A new middleware with the one limiter instance every spec with this id gets. */
  readonly sameLimiter?: string;
  readonly onReject?: OnRejectSpec;
}

/** An `onReject` that misbehaves: throws at once, or returns a promise that rejects. */
export type OnRejectSpec = 'throws' | 'rejects';

/**
 * A scope: middleware mounted for a path prefix only (Express: a Router mounted at the
 * prefix; Koa: a chain run for paths under it; Fastify: a registered child plugin with
 * that prefix, the encapsulation context). Route paths are relative to the prefix.
 */
export interface ScopeSpec {
  readonly prefix: string;
  readonly use: readonly MiddlewareSpec[];
  readonly routes: readonly RouteSpec[];
  /**
   * Fastify: declare the routes before registering the plugins, as a user may. Express and
   * Koa run middleware in mounting order by design, so this does not apply to them.
   */
  readonly routesFirst?: boolean;
}

/**
 * One limit of several on a request (the middleware's `limiter` list), described without
 * naming a framework.
 */
export interface RateLimitEntrySpec {
  /** Options for a new limiter. */
  readonly limiter: RateLimiterOptions;
  /**
   * Key this limit by these request headers, joined with ':' (`['x-user', 'x-forwarded-for']`
   * is the login recipe's user and client IP, as the trusted proxy, the test client, forwards
   * it). Default: the client IP.
   */
  readonly keyHeaders?: readonly string[];
  readonly resetOnSuccess?: boolean;
  /** Entries with the same id get one limiter instance (the "same limiter twice" misuse). */
  readonly instance?: string;
}

/** Framework-neutral rateLimit options; each builder turns them into its adapter's options. */
export interface RateLimitSpec {
  /**
   * Options for a new limiter (each app gets its own, so counts never leak between
   * frameworks), or a list of limits, each with its own limiter.
   */
  readonly limiter: RateLimiterOptions | readonly RateLimitEntrySpec[];
  /** Key requests by this request header instead of the client IP. */
  readonly keyHeader?: string;
  /** Skip requests that carry this header. */
  readonly skipHeader?: string;
  readonly headers?: RateLimitHeaderFormat | false;
  readonly legacyHeaders?: boolean;
  readonly trustedProxies?: readonly string[];
  readonly skipSuccessfulRequests?: boolean;
  readonly skipFailedRequests?: boolean;
  /**
   * A `requestWasSuccessful` of the app's own: `'accepted'` counts a response as successful
   * only when its status is 201 or 202, read from the framework's response the framework's
   * way (each builder passes its reader); `'throws'` is one that throws.
   */
  readonly requestWasSuccessful?: 'accepted' | 'throws';
  readonly allowList?: readonly string[];
  readonly denyList?: readonly string[];
  /**
   * Options added past the adapter's type, as a JavaScript user writes them
   * (`skipSuccessfulRequests: 'yes'`): what the adapter must refuse at startup.
   */
  readonly unchecked?: Readonly<Record<string, unknown>>;
}

/** The `limiter` option for a spec's limiter, or its list with each entry's key read from headers. */
function limiterOption<Req>(
  limiter: RateLimitSpec['limiter'],
  header: (req: Req, name: string) => string | undefined,
) {
  if (!Array.isArray(limiter)) return limiter as RateLimiterOptions;
  const instances = new Map<string, RateLimiter>();
  return (limiter as readonly RateLimitEntrySpec[]).map((entry) => {
    const { instance, keyHeaders, resetOnSuccess } = entry;
    let shared: RateLimiter | undefined;
    if (instance !== undefined) {
      shared = instances.get(instance) ?? createRateLimiter(entry.limiter);
      instances.set(instance, shared);
    }
    return {
      limiter: shared ?? entry.limiter,
      ...(keyHeaders === undefined
        ? {}
        : { key: (req: Req) => keyHeaders.map((name) => header(req, name) ?? 'none').join(':') }),
      ...(resetOnSuccess === undefined ? {} : { resetOnSuccess }),
    };
  });
}

/** The `requestWasSuccessful` a spec asks for, given how the framework reads a response's status. */
function successOption<Res>(
  kind: RateLimitSpec['requestWasSuccessful'],
  status: (res: Res) => number,
): { requestWasSuccessful?: (req: unknown, res: Res) => boolean } {
  if (kind === undefined) return {};
  if (kind === 'throws') {
    return {
      requestWasSuccessful: () => {
        throw new Error('status lookup failed');
      },
    };
  }
  return {
    requestWasSuccessful: (_req, res) => {
      const code = status(res);
      return code === 201 || code === 202;
    },
  };
}

/**
 * The adapter options for a RateLimitSpec, given how a framework reads a request header and
 * the status of the response its `requestWasSuccessful` receives (Express `res.statusCode`,
 * Koa `ctx.status`, Fastify `reply.statusCode`, Hono `res.status`, Nest `res.statusCode`).
 */
export function rateLimitOptions<Req, Res>(
  spec: RateLimitSpec,
  header: (req: Req, name: string) => string | undefined,
  status: (res: Res) => number,
) {
  const { keyHeader, skipHeader, limiter, headers, legacyHeaders, trustedProxies } = spec;
  const { skipSuccessfulRequests, skipFailedRequests, allowList, denyList } = spec;
  const options = {
    limiter: limiterOption(limiter, header),
    ...(headers === undefined ? {} : { headers }),
    ...(legacyHeaders === undefined ? {} : { legacyHeaders }),
    ...(trustedProxies === undefined ? {} : { trustedProxies }),
    ...(keyHeader === undefined ? {} : { key: (req: Req) => header(req, keyHeader) ?? 'none' }),
    ...(skipHeader === undefined
      ? {}
      : { skip: (req: Req) => header(req, skipHeader) !== undefined }),
    ...(skipSuccessfulRequests === undefined ? {} : { skipSuccessfulRequests }),
    ...(skipFailedRequests === undefined ? {} : { skipFailedRequests }),
    ...successOption(spec.requestWasSuccessful, status),
    ...(allowList === undefined ? {} : { allowList }),
    ...(denyList === undefined ? {} : { denyList }),
  };
  // Added past the options' type on purpose: what the adapter must refuse.
  return spec.unchecked === undefined ? options : Object.assign(options, spec.unchecked);
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
  | { readonly kind: 'echo-body' }
  /** Adds `field` to `Vary` the framework's way (Express res.vary, Koa ctx.vary, Fastify by hand), then answers JSON. */
  | { readonly kind: 'vary'; readonly field: string; readonly body: unknown }
  /** Answers 200 JSON `body` after `ms` milliseconds: a client may hang up first. */
  | { readonly kind: 'slow'; readonly ms: number; readonly body: unknown }
  /** A sign-in checking the `x-password` header: see {@link loginAnswer}. */
  | { readonly kind: 'login' };

/** What the 'login' route answers: 200 `{ ok: true }` for the password 'right', else 401. */
export function loginAnswer(password: string | undefined): {
  readonly status: 200 | 401;
  readonly body: unknown;
} {
  return password === 'right'
    ? { status: 200, body: { ok: true } }
    : { status: 401, body: { detail: 'Wrong password' } };
}

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
  /** Scopes mounted after the app's own routes. Default: none. */
  readonly scopes?: readonly ScopeSpec[];
  /**
   * An error handler of the app's own that answers `{"error": "handled"}` with status 500
   * (Express: a four-argument middleware after the routes; Koa: a try/catch middleware
   * mounted first; Fastify: setErrorHandler). Default: none.
   */
  readonly errorHandler?: boolean;
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
  /**
   * Node's limit on the number of header lines (`maxHeadersCount`), raised by the attack
   * tests for the same reason. Default: Node's (2000; Node 22 and later answer 431 above
   * about 1000 lines).
   */
  readonly maxHeadersCount?: number;
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
  /**
   * Hang up this many milliseconds after sending, before the app answers (a route that
   * answers later, such as 'slow'): the request gets status 0 unless an answer came first.
   */
  readonly abortAfterMs?: number;
}

export interface ScenarioExpect {
  readonly status: number;
  /**
   * The misuse lines logged while this scenario ran (its `before` requests included), each
   * matched in order; `[]` means none. Misuse is logged once per process, and the runner
   * forgets earlier reports before each scenario, so a scenario that sends the same misuse
   * twice proves it is logged once.
   */
  readonly log?: readonly RegExp[];
  /**
   * Expected header values (case-insensitive names); `null` means the header must be absent,
   * a RegExp that the value must match (for seconds that depend on how long the run took).
   */
  readonly headers?: Readonly<Record<string, string | RegExp | null>>;
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
  /** Send `request` this many times, each answered as expected (misuse still logged once). Default: 1. */
  readonly repeat?: number;
  /**
   * Wait this many milliseconds after `before`, before `request`: for a window that must run
   * out. Kept short; the wait counts for every app, as the clock is the real one.
   */
  readonly waitMs?: number;
  /** Requests sent first, on the same app, each expected to get `status` (such as the first delivery of a replay). */
  readonly before?: readonly { readonly request: ScenarioRequest; readonly status: number }[];
  /** Frameworks this scenario does not apply to, with the reason in `name`. Default: none. */
  readonly skip?: readonly Framework[];
  /**
   * Where one framework answers the same wiring differently (and as safely), with the reason
   * in `name`: that framework's expectation replaces `expect`.
   */
  readonly expectOn?: Partial<Readonly<Record<Framework, ScenarioExpect>>>;
}

/** A wiring that must be refused at startup: building the app fails with a TypeError matching `error`. */
export interface StartupScenario {
  readonly name: string;
  readonly app: AppSpec;
  readonly error: RegExp;
}

/** A running app on 127.0.0.1. */
export interface RunningApp {
  readonly url: string;
  close(): Promise<void>;
}

/** Every line an app's bulwark middleware logged, as `level: text`. */
export interface AppLog {
  readonly logger: { warn: (line: string) => void; error: (line: string) => void };
  readonly lines: string[];
}

/** A logger that keeps its lines, one per app. */
export function appLog(): AppLog {
  return lineLogger();
}

/** The options a misbehaving spec adds to a middleware: its `onReject`, its secret function. */
export function misbehaving(spec: {
  readonly onReject?: OnRejectSpec;
  readonly secretFn?: SecretFnSpec;
}): {
  onReject?: () => Promise<void>;
  secret?: () => never | Promise<string>;
  publicKey?: () => Promise<string>;
} {
  const fn = spec.secretFn;
  return {
    ...(spec.onReject === undefined ? {} : { onReject: misbehavingOnReject(spec.onReject) }),
    ...(fn === undefined
      ? {}
      : typeof fn === 'string'
        ? { secret: misbehavingSecret(fn) }
        : // A per-webhook key looked up asynchronously, as from a database.
          {
            [fn.as]: () =>
              new Promise<string>((resolve) => {
                setImmediate(() => {
                  resolve(fn.resolves);
                });
              }),
          }),
  };
}

/**
 * A per-request secret function described as data: one that misbehaves, or an asynchronous
 * lookup resolving to `resolves`, given as the `secret` or (discord) the `publicKey` option.
 */
export type SecretFnSpec =
  'throws' | 'wrong-type' | { readonly resolves: string; readonly as: 'secret' | 'publicKey' };

/** One limiter instance per id, for specs that share a limiter across middlewares. */
export function sharedLimiters(): (id: string, options: RateLimitSpec['limiter']) => RateLimiter {
  const limiters = new Map<string, RateLimiter>();
  return (id, options) => {
    let limiter = limiters.get(id);
    if (limiter === undefined) {
      if (Array.isArray(options))
        throw new TypeError('suite: a shared limiter is one limiter, not a list');
      limiter = createRateLimiter(options as RateLimiterOptions);
      limiters.set(id, limiter);
    }
    return limiter;
  };
}

/** A per-request secret function that misbehaves the way a spec asks. */
export function misbehavingSecret(kind: 'throws' | 'wrong-type'): () => never | Promise<string> {
  if (kind === 'throws') {
    return () => {
      throw new Error('secret store offline: postgres://app:hunter2@db.internal/hooks');
    };
  }
  // A lookup that returns the whole record instead of its secret field.
  return () => Promise.resolve({ id: 7, secret: 's' } as unknown as string);
}

/**
 * A twilio `publicUrl` function, described as data: `{ base }` joins the base to the request
 * target as the framework itself reports it (Express req.originalUrl, Koa ctx.originalUrl,
 * Fastify request.url), as an app behind a proxy writes it; `'throws'` is a URL lookup that
 * fails; `'relative'` returns the target alone, without the public host (a URL the sender
 * never signed).
 */
export type PublicUrlSpec = { readonly base: string } | 'throws' | 'relative';

/** The `publicUrl` option a spec asks for, given how a framework reads the request target. */
export function publicUrlOption<Req>(
  spec: { readonly publicUrlFn?: PublicUrlSpec },
  target: (req: Req) => string,
): { publicUrl?: (req: Req) => string } {
  const fn = spec.publicUrlFn;
  if (fn === undefined) return {};
  if (fn === 'throws') {
    return {
      publicUrl: () => {
        throw new Error('route map offline: postgres://app:hunter2@db.internal/routes');
      },
    };
  }
  if (fn === 'relative') return { publicUrl: target };
  return { publicUrl: (req) => fn.base + target(req) };
}

/** An onReject that misbehaves the way a spec asks. */
export function misbehavingOnReject(kind: OnRejectSpec): () => Promise<void> {
  if (kind === 'throws') {
    return () => {
      throw new Error('template missing');
    };
  }
  return () => Promise.reject(new Error('template missing'));
}

/**
 * The adapter options for a protect spec: its parts as given, the rate limit through the
 * builder's own translation (`limitOptions`), so each framework builds protect the way it
 * builds the separate middlewares.
 */
export function protectOptions<L>(
  spec: Extract<MiddlewareSpec, { kind: 'protect' }>,
  limitOptions: (limit: RateLimitMiddlewareSpec, options: RateLimitSpec) => L,
): { securityHeaders: SecurityHeadersOptions | false; cors?: CorsOptions; rateLimit?: L } {
  const limit = spec.rateLimit;
  const options = {
    securityHeaders: spec.securityHeaders,
    ...(spec.cors === undefined ? {} : { cors: spec.cors }),
    ...(limit === undefined || limit.options === false
      ? {}
      : { rateLimit: limitOptions(limit, limit.options) }),
  };
  // The misspelt key is what the adapter must refuse: added past the options' type on purpose.
  return spec.misspelt === undefined ? options : Object.assign(options, { [spec.misspelt]: {} });
}
