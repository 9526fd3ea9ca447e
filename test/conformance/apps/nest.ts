import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  Catch,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpException,
  Module,
  NotFoundException,
  Post,
  Put,
  Req,
  Res,
  StreamableFile,
} from '@nestjs/common';
import type { ArgumentsHost, Type } from '@nestjs/common';
import { BaseExceptionFilter, NestFactory } from '@nestjs/core';
import type { INestApplication } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import bodyParser from 'body-parser';
import express from 'express';
import { BulwarkError } from 'bulwark';
import {
  BulwarkModule,
  PayloadLimit,
  RateLimit,
  SecurityHeaders,
  SkipRateLimit,
  VerifyWebhook,
  rejectNest,
} from 'bulwark/nest';
import type { BulwarkModuleOptions, NestRequest } from 'bulwark/nest';
import { watch } from '../../helpers/serve.js';
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
  RateLimitMiddlewareSpec,
  RateLimitSpec,
  ReplySpec,
  RouteSpec,
  RunningApp,
} from '../types.js';
import { limitHeaderLines, serverOptions } from './listen.js';

type Platform = 'express' | 'fastify';
type Decorator = (
  target: object,
  key?: string | symbol,
  descriptor?: PropertyDescriptor,
) => unknown;
type Middleware = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

/** The platform's response as a handler gets it with `@Res({ passthrough: true })`. */
interface PlatformResponse {
  /** Fastify's reply. */
  header?: (name: string, value: string) => unknown;
  getHeader?: (name: string) => unknown;
  /** Express's response. */
  setHeader?: (name: string, value: string) => unknown;
  vary?: (field: string) => unknown;
}

const header = (req: NestRequest, name: string): string | undefined => {
  const v = req.headers[name.toLowerCase()];
  return typeof v === 'string' ? v : undefined;
};

/** The request target as the platform reports it: Express `originalUrl`, Fastify `url`. */
const target = (req: NestRequest): string =>
  (req as NestRequest & { originalUrl?: string }).originalUrl ??
  (req as NestRequest & { url?: string }).url ??
  '/';

/**
 * How the app is created, from its global middleware specs: bulwark's parts become
 * BulwarkModule.forRoot options (the module applies them in its own fixed order, as protect
 * does), the app's own middleware become Nest middleware, and body parsing becomes the
 * NestFactory options.
 */
interface AppPlan {
  forRoot: { -readonly [K in keyof BulwarkModuleOptions]: BulwarkModuleOptions[K] } & Record<
    string,
    unknown
  >;
  bulwark: boolean;
  enableCors: boolean;
  /** The app parses bodies without keeping the bytes (the 'bodyParser' misuse). */
  parsedWithoutRaw: boolean;
  /** A parser of the app's own reads the body before Nest does. */
  readFirst: boolean;
  middleware: Middleware[];
  /** verifyWebhook mounted for the whole app: applied to every controller. */
  appDecorators: Decorator[];
}

/** Translates specs for one app: the app's logger, and one limiter per `share` id. */
class Translator {
  readonly #limiterFor = sharedLimiters();
  constructor(readonly log: AppLog) {}

  limitOptions(spec: RateLimitMiddlewareSpec, options: RateLimitSpec) {
    // Nest has no onReject: an app changes how rejections look with an exception filter.
    const id = spec.share ?? spec.sameLimiter;
    return {
      ...rateLimitOptions(options, header, (res: ServerResponse) => res.statusCode),
      ...(id === undefined ? {} : { limiter: this.#limiterFor(id, options.limiter) }),
      logger: this.log.logger,
    };
  }

  webhook(spec: Extract<MiddlewareSpec, { kind: 'verifyWebhook' }>): Decorator {
    return VerifyWebhook({
      ...spec.options,
      logger: this.log.logger,
      ...misbehaving(spec.secretFn === undefined ? {} : { secretFn: spec.secretFn }),
      ...publicUrlOption(spec, target),
    });
  }

  plan(use: readonly MiddlewareSpec[]): AppPlan {
    const plan: AppPlan = {
      forRoot: { securityHeaders: false, logger: this.log.logger },
      bulwark: false,
      enableCors: false,
      parsedWithoutRaw: false,
      readFirst: false,
      middleware: [],
      appDecorators: [],
    };
    const { forRoot } = plan;
    for (const m of use) {
      switch (m.kind) {
        case 'securityHeaders':
          forRoot.securityHeaders = m.options ?? {};
          plan.bulwark = true;
          break;
        case 'corsPackage':
          plan.enableCors = true;
          break;
        case 'cors':
          forRoot.cors = m.options;
          plan.bulwark = true;
          break;
        case 'header':
          plan.middleware.push((_req, res, next) => {
            res.setHeader(m.name, m.value);
            next();
          });
          break;
        case 'bodyParser':
          plan.parsedWithoutRaw = true;
          // 'other': a parser that reads the stream before anything Nest runs: the
          // body-parser package on the Express instance handed to Nest, or a middleware
          // reading request.raw on Fastify (@fastify/middie runs it before the parsers).
          plan.readFirst = m.parser === 'other';
          break;
        case 'formParser':
          // Nest registers a form parser on both platforms.
          break;
        case 'payloadLimit':
          forRoot.payloadLimit = { ...m.options, logger: this.log.logger };
          plan.bulwark = true;
          break;
        case 'verifyWebhook':
          plan.appDecorators.push(this.webhook(m));
          break;
        case 'rateLimit':
          if (m.options !== false) {
            forRoot.rateLimit = this.limitOptions(m, m.options);
            plan.bulwark = true;
          }
          break;
        case 'protect': {
          // One forRoot stands for every protect of the list: a later protect's `false`
          // part does not switch off an earlier one's.
          const parts = protectOptions(m, (limit, options) => this.limitOptions(limit, options));
          for (const [key, value] of Object.entries(parts)) {
            if (value !== false || forRoot[key] === undefined) forRoot[key] = value;
          }
          plan.bulwark = true;
          break;
        }
      }
    }
    return plan;
  }

  /** Route- and scope-level middleware become bulwark's decorators. */
  decorators(use: readonly MiddlewareSpec[]): Decorator[] {
    const out: Decorator[] = [];
    for (const m of use) {
      if (m.kind === 'securityHeaders') out.push(SecurityHeaders(m.options ?? {}));
      if (m.kind === 'payloadLimit') {
        out.push(PayloadLimit({ ...m.options, logger: this.log.logger }));
      }
      if (m.kind === 'verifyWebhook') out.push(this.webhook(m));
      if (m.kind === 'protect') {
        if (m.securityHeaders !== false) out.push(SecurityHeaders(m.securityHeaders));
        if (m.rateLimit !== undefined && m.rateLimit.options !== false) {
          out.push(RateLimit(this.limitOptions(m.rateLimit, m.rateLimit.options)));
        }
      }
      if (m.kind === 'rateLimit') {
        out.push(
          m.options === false ? SkipRateLimit() : RateLimit(this.limitOptions(m, m.options)),
        );
      }
    }
    return out;
  }

  controller(
    prefix: string,
    routes: readonly RouteSpec[],
    classDecorators: readonly Decorator[],
  ): Type {
    // eslint-disable-next-line @typescript-eslint/no-extraneous-class -- Nest's decorators, applied below, give the class its meaning
    class Routes {}
    const proto = Routes.prototype as Record<string, unknown>;
    routes.forEach((route, i) => {
      const name = `route${i}`;
      proto[name] = handlerFor(route.reply);
      const descriptor = Object.getOwnPropertyDescriptor(proto, name)!;
      const apply = (d: Decorator): void => {
        d(proto, name, descriptor);
      };
      Req()(proto, name, 0);
      Res({ passthrough: true })(proto, name, 1);
      const verb = { GET: Get, POST: Post, PUT: Put, DELETE: Delete }[route.method];
      apply(verb(route.path) as Decorator);
      apply(HttpCode(statusOf(route.reply)) as Decorator);
      for (const d of this.decorators(route.use ?? [])) apply(d);
    });
    for (const d of classDecorators) d(Routes);
    Controller(prefix)(Routes);
    return Routes;
  }
}

function statusOf(reply: ReplySpec): number {
  if (reply.kind === 'json') return reply.status ?? 200;
  return reply.kind === 'echo-body' ? 202 : 200;
}

function setHeader(res: PlatformResponse, name: string, value: string): void {
  if (res.header !== undefined) res.header(name, value);
  else res.setHeader?.(name, value);
}

function handlerFor(reply: ReplySpec) {
  return (req: NestRequest & { body?: unknown; rawBody?: Buffer }, res: PlatformResponse) => {
    switch (reply.kind) {
      case 'json':
        return reply.body;
      case 'throw':
        if (reply.status !== undefined) throw new HttpException('route failed', reply.status);
        throw new Error('route failed');
      case 'stream':
        return new StreamableFile(Readable.from(reply.chunks), { type: 'text/plain' });
      case 'set-header':
        setHeader(res, reply.name, reply.value);
        return reply.body;
      case 'reject':
        throw rejectNest(new BulwarkError(reply.error), res);
      case 'echo-body':
        return { body: req.body ?? null, rawBytes: req.rawBody?.length ?? null };
      case 'vary': {
        if (res.vary !== undefined) {
          res.vary(reply.field);
        } else {
          // Fastify has no vary helper: appended by hand, as @fastify/compress does.
          const current = res.getHeader?.('vary');
          setHeader(
            res,
            'Vary',
            typeof current === 'string' && current !== ''
              ? `${current}, ${reply.field}`
              : reply.field,
          );
        }
        return reply.body;
      }
      case 'slow':
        return sleep(reply.ms).then(() => reply.body);
      case 'login': {
        const { status, body } = loginAnswer(header(req, 'x-password'));
        // Nest answers with the route's @HttpCode: another status is an HttpException.
        if (status !== 200) throw new HttpException(body as Record<string, unknown>, status);
        return body;
      }
    }
  };
}

/** The app's own error handler: 500 `{"error": "handled"}` for every error a handler threw. */
class HandledFilter extends BaseExceptionFilter {
  override catch(exception: unknown, host: ArgumentsHost): void {
    // Nest answers an unmatched path with a NotFoundException; the app leaves it as is.
    if (exception instanceof NotFoundException) {
      super.catch(exception, host);
      return;
    }
    this.applicationRef?.reply(host.switchToHttp().getResponse(), { error: 'handled' }, 500);
  }
}
Catch()(HandledFilter);

async function create(
  plan: AppPlan,
  controllers: Type[],
  platform: Platform,
  spec: AppSpec,
): Promise<{ app: INestApplication; server: Server }> {
  // eslint-disable-next-line @typescript-eslint/no-extraneous-class -- Nest's decorators, applied below, give the class its meaning
  class AppModule {}
  Module({
    imports: plan.bulwark ? [BulwarkModule.forRoot(plan.forRoot)] : [],
    controllers,
  })(AppModule);
  // The harness app is created as the guide tells webhook receivers to: with rawBody: true,
  // so Nest's parsers keep the raw bytes for bulwark. The 'bodyParser' misuse is the same
  // app without it.
  const options = { logger: false as const, abortOnError: false, rawBody: !plan.parsedWithoutRaw };
  if (platform === 'express') {
    const instance = express();
    if (plan.readFirst) instance.use(bodyParser.json());
    const server = createServer(serverOptions(spec), instance);
    // Nest declares its options as a class, written as an object literal, as its docs do.

    const app = await NestFactory.create(AppModule, new ExpressAdapter(instance), options);
    return { app, server };
  }
  const app = await NestFactory.create(
    AppModule,
    new FastifyAdapter({ logger: false, http: serverOptions(spec) } as never),

    options,
  );
  if (plan.readFirst) {
    app.use((req: IncomingMessage, _res: ServerResponse, next: () => void) => {
      req.resume();
      req.once('end', next);
    });
  }
  return { app, server: app.getHttpServer() as Server };
}

export async function startNest(
  spec: AppSpec,
  log: AppLog = appLog(),
  platform: Platform,
): Promise<RunningApp> {
  const t = new Translator(log);
  const plan = t.plan(spec.use);
  const controllers = [
    t.controller('', spec.routes, plan.appDecorators),
    ...(spec.scopes ?? []).map((s) =>
      t.controller(s.prefix, s.routes, [...plan.appDecorators, ...t.decorators(s.use)]),
    ),
  ];
  const { app, server } = await create(plan, controllers, platform, spec);
  try {
    // The app's own global middleware, mounted the Nest way for one that must run first.
    for (const m of plan.middleware) app.use(m);
    if (plan.enableCors) app.enableCors();
    if (spec.errorHandler === true) app.useGlobalFilters(new HandledFilter(app.getHttpAdapter()));
    await app.init();
    if (platform === 'fastify') {
      await (app.getHttpAdapter().getInstance() as { ready(): Promise<unknown> }).ready();
    }
  } catch (error: unknown) {
    await app.close();
    throw error;
  }
  limitHeaderLines(server, spec);
  const running = await watch(server);
  return {
    url: running.url,
    close: async () => {
      await running.close();
      await app.close().catch(() => undefined);
    },
  };
}
