import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import fastifyCors from '@fastify/cors';
import Fastify from 'fastify';
import type { FastifyContextConfig, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { BulwarkError } from 'bulwark';
import {
  cors,
  payloadLimit,
  protect,
  rateLimit,
  rejectFastify,
  securityHeaders,
  verifyWebhook,
} from 'bulwark/fastify';
import {
  appLog,
  loginAnswer,
  misbehaving,
  protectOptions,
  publicUrlOption,
  rateLimitOptions,
  sharedLimiters,
} from '../types.js';
import type {
  AppLog,
  AppSpec,
  MiddlewareSpec,
  RateLimitSpec,
  ReplySpec,
  RouteSpec,
  RunningApp,
} from '../types.js';
import { limitHeaderLines, serverOptions } from './listen.js';

const fastifyHeader = (req: FastifyRequest, name: string): string | undefined => {
  const v = req.headers[name.toLowerCase()];
  return typeof v === 'string' ? v : undefined;
};

/** Translates specs for one app: the app's logger, and one limiter per `share` id. */
class Translator {
  readonly #limiterFor = sharedLimiters();
  constructor(readonly log: AppLog) {}

  rateLimit(spec: RateLimitSpec, share: string | undefined) {
    const options = rateLimitOptions(
      spec,
      fastifyHeader,
      (reply: FastifyReply) => reply.statusCode,
    );
    // Fastify plugins are not mounted twice as one instance: sharing a middleware and
    // sharing a limiter are both one limiter here.
    return share === undefined
      ? options
      : { ...options, limiter: this.#limiterFor(share, spec.limiter) };
  }

  webhook(spec: Extract<MiddlewareSpec, { kind: 'verifyWebhook' }>) {
    return {
      ...spec.options,
      ...misbehaving(spec),
      ...publicUrlOption(spec, (request: FastifyRequest) => request.url),
    };
  }

  async register(app: FastifyInstance, spec: MiddlewareSpec): Promise<void> {
    const { logger } = this.log;
    switch (spec.kind) {
      case 'securityHeaders':
        // A global `false` means "registered, but no headers", which is global: false here.
        await app.register(
          securityHeaders,
          spec.options === false ? { global: false } : (spec.options ?? {}),
        );
        return;
      case 'corsPackage':
        await app.register(fastifyCors);
        return;
      case 'cors':
        await app.register(cors, spec.options);
        return;
      case 'header':
        app.addHook('onRequest', (_request, reply, done) => {
          reply.header(spec.name, spec.value);
          done();
        });
        return;
      case 'bodyParser':
        if (spec.parser === 'json') {
          // The app's own JSON parser, added before bulwark's plugins: Fastify still runs
          // every content-type parser after bulwark's preParsing hook.
          app.removeContentTypeParser('application/json');
          app.addContentTypeParser('application/json', { parseAs: 'string' }, (_r, body, done) => {
            try {
              done(null, JSON.parse(String(body)) as unknown);
            } catch (error: unknown) {
              done(error as Error, undefined);
            }
          });
        } else {
          // An onRequest hook that reads the raw stream itself.
          app.addHook('onRequest', async (request) => {
            let bytes = 0;
            for await (const chunk of request.raw) bytes += (chunk as Buffer).length;
            request.log.debug({ bytes }, 'read the body in onRequest');
          });
        }
        return;
      case 'formParser':
        // The app's own form parser, as @fastify/formbody adds: Fastify answers 415 to a
        // form without one, after bulwark's preParsing hook verified the bytes.
        app.addContentTypeParser(
          'application/x-www-form-urlencoded',
          { parseAs: 'string' },
          (_r, body, done) => {
            done(null, Object.fromEntries(new URLSearchParams(String(body))));
          },
        );
        return;
      case 'payloadLimit':
        await app.register(payloadLimit, { ...spec.options, logger, ...misbehaving(spec) });
        return;
      case 'verifyWebhook':
        await app.register(verifyWebhook, { ...this.webhook(spec), logger });
        return;
      case 'rateLimit':
        if (spec.options !== false) {
          await app.register(rateLimit, {
            ...this.rateLimit(spec.options, spec.share ?? spec.sameLimiter),
            logger,
            ...misbehaving(spec),
          });
        }
        return;
      case 'protect':
        await app.register(
          protect,
          protectOptions(spec, (limit, options) => ({
            ...this.rateLimit(options, limit.share ?? limit.sameLimiter),
            logger,
            ...misbehaving(limit),
          })),
        );
        return;
    }
  }

  /** Route-level middleware becomes route config, the Fastify way. */
  routeConfig(use: readonly MiddlewareSpec[]): FastifyContextConfig {
    const config: FastifyContextConfig = {};
    for (const m of use) {
      if (m.kind === 'securityHeaders') config.securityHeaders = m.options ?? {};
      if (m.kind === 'cors') config.cors = m.options;
      if (m.kind === 'payloadLimit') config.payloadLimit = m.options ?? {};
      if (m.kind === 'verifyWebhook') config.verifyWebhook = this.webhook(m);
      if (m.kind === 'rateLimit') {
        config.rateLimit =
          m.options === false
            ? false
            : { ...this.rateLimit(m.options, m.share ?? m.sameLimiter), ...misbehaving(m) };
      }
    }
    return config;
  }

  /** Plugins that route-level middleware needs in a scope with no global one of their own. */
  async routePlugins(
    app: FastifyInstance,
    use: readonly MiddlewareSpec[],
    routes: readonly RouteSpec[],
  ): Promise<void> {
    const { logger } = this.log;
    const routeKinds = new Set(routes.flatMap((r) => (r.use ?? []).map((m) => m.kind)));
    // protect registers the plugins it stands for.
    const globalKinds = new Set<string>(
      use.flatMap((m) =>
        m.kind === 'protect'
          ? [
              ...(m.securityHeaders === false ? [] : ['securityHeaders']),
              ...(m.cors === undefined ? [] : ['cors']),
              ...(m.rateLimit === undefined ? [] : ['rateLimit']),
            ]
          : [m.kind],
      ),
    );
    if (routeKinds.has('payloadLimit') && !globalKinds.has('payloadLimit'))
      await app.register(payloadLimit, { global: false, logger });
    if (routeKinds.has('verifyWebhook') && !globalKinds.has('verifyWebhook'))
      await app.register(verifyWebhook, { global: false, logger });
    // Route-level rate limits need the plugin; without a global one it limits only those routes.
    if (routeKinds.has('rateLimit') && !globalKinds.has('rateLimit'))
      await app.register(rateLimit, {
        global: false,
        limiter: { limit: 1, windowMs: 1000 },
        logger,
      });
  }

  addRoutes(app: FastifyInstance, routes: readonly RouteSpec[]): void {
    for (const r of routes) {
      const reply: ReplySpec = r.reply;
      app.route({
        method: r.method,
        url: r.path,
        config: this.routeConfig(r.use ?? []),
        handler: async (request, res) => {
          switch (reply.kind) {
            case 'json':
              return res.code(reply.status ?? 200).send(reply.body);
            case 'throw':
              throw Object.assign(
                new Error('route failed'),
                reply.status === undefined ? {} : { statusCode: reply.status },
              );
            case 'stream':
              return res.type('text/plain').send(Readable.from(reply.chunks));
            case 'set-header':
              return res.header(reply.name, reply.value).send(reply.body);
            case 'reject':
              await rejectFastify(new BulwarkError(reply.error), request, res, undefined);
              return res;
            case 'echo-body':
              return res
                .code(202)
                .send({ body: request.body ?? null, rawBytes: request.rawBody?.length ?? null });
            case 'vary': {
              // Fastify has no vary helper: appended by hand, as @fastify/compress does.
              const current = res.getHeader('vary');
              const vary =
                typeof current === 'string' && current !== ''
                  ? `${current}, ${reply.field}`
                  : reply.field;
              return res.header('Vary', vary).send(reply.body);
            }
            case 'slow':
              await sleep(reply.ms);
              return res.send(reply.body);
            case 'login': {
              const { status, body } = loginAnswer(fastifyHeader(request, 'x-password'));
              return res.code(status).send(body);
            }
          }
        },
      });
    }
  }
}

export async function startFastify(spec: AppSpec, log: AppLog = appLog()): Promise<RunningApp> {
  const app = Fastify({ logger: false, http: serverOptions(spec) });
  const t = new Translator(log);
  limitHeaderLines(app.server, spec);
  try {
    if (spec.errorHandler === true) {
      app.setErrorHandler((_error, _request, reply) => reply.code(500).send({ error: 'handled' }));
    }
    for (const m of spec.use) await t.register(app, m);
    await t.routePlugins(app, spec.use, spec.routes);
    t.addRoutes(app, spec.routes);
    for (const s of spec.scopes ?? []) {
      await app.register(
        async (scope) => {
          if (s.routesFirst === true) t.addRoutes(scope, s.routes);
          for (const m of s.use) await t.register(scope, m);
          await t.routePlugins(scope, s.use, s.routes);
          if (s.routesFirst !== true) t.addRoutes(scope, s.routes);
        },
        { prefix: s.prefix },
      );
    }
    await app.listen({ port: 0, host: '127.0.0.1' });
  } catch (error: unknown) {
    await app.close();
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return { url: `http://127.0.0.1:${port}`, close: () => app.close() };
}
