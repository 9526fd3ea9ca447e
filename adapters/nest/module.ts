import type { IncomingMessage, ServerResponse } from 'node:http';
import { Inject, Module, RequestMethod } from '@nestjs/common';
import type {
  DynamicModule,
  InjectionToken,
  MiddlewareConsumer,
  ModuleMetadata,
  NestModule,
  OnModuleInit,
  OptionalFactoryDependency,
  Provider,
} from '@nestjs/common';
import { APP_GUARD, HttpAdapterHost } from '@nestjs/core';
import { BulwarkGuard } from './guards.js';
import { BulwarkMiddleware } from './middleware.js';
import type { BulwarkModuleOptions } from './options.js';
import { installPlatformHooks } from './platform-hooks.js';
import type { PlatformHooks } from './platform-hooks.js';
import { compileRuntime } from './runtime.js';
import type { BulwarkRuntime } from './runtime.js';
import { BULWARK_RUNTIME } from './tokens.js';

/** Options for `BulwarkModule.forRootAsync`: Nest's usual async-options shape. */
export interface BulwarkModuleAsyncOptions {
  /** Modules whose providers the factory injects (a ConfigModule). Default: none. */
  readonly imports?: ModuleMetadata['imports'];
  /** The providers passed to `useFactory`, in order. Default: none. */
  readonly inject?: (InjectionToken | OptionalFactoryDependency)[];
  /**
   * Returns the module options (see `BulwarkModuleOptions`), possibly asynchronously;
   * they are validated when the app is created, and a bad one fails `NestFactory.create`
   * with a TypeError. Required.
   */
  readonly useFactory: (...args: never[]) => BulwarkModuleOptions | Promise<BulwarkModuleOptions>;
}

/**
 * Security headers, CORS, the global rate limit and a payload limit for a whole Nest app,
 * on @nestjs/platform-express and @nestjs/platform-fastify alike. A global module: import it
 * once, in the root module.
 *
 * - Security headers and CORS come from a middleware Nest runs for every request (404s,
 *   thrown errors and preflights included); a preflight is answered there, 204. On
 *   @nestjs/platform-express the headers are written earlier still, in the first middleware
 *   of the app, so the answers of Nest's body parsers and of the app's own `app.use()`
 *   middleware carry them too (a value the app sets itself wins).
 * - The global rate limit is a guard (APP_GUARD) that runs before the app's guards and
 *   honours `@SkipRateLimit()`; requests no route matched are counted too (guards never see
 *   them), so a scanner probing paths is limited.
 * - Rejections are thrown as {@link BulwarkHttpException}, which Nest's default filter answers
 *   `{"detail": ...}` as the other adapters do, and an app filter may catch.
 */
export class BulwarkModule implements NestModule, OnModuleInit {
  readonly #hooks: PlatformHooks;

  constructor(
    private readonly runtime: BulwarkRuntime,
    adapterHost: HttpAdapterHost,
  ) {
    // Created by NestFactory.create, before the app is initialized: the hooks that must come
    // before Nest's body parsers are added now.
    this.#hooks = installPlatformHooks(adapterHost.httpAdapter, runtime);
  }

  /**
   * The module with options known at startup. Every option is checked here: a bad one
   * throws a TypeError saying what to write.
   */
  static forRoot(options: BulwarkModuleOptions = {}): DynamicModule {
    return BulwarkModule.withRuntime({
      provide: BULWARK_RUNTIME,
      useValue: compileRuntime(options),
    });
  }

  /** The module with options from a factory that injects providers (configuration read at startup). */
  static forRootAsync(options: BulwarkModuleAsyncOptions): DynamicModule {
    if (typeof options !== 'object' || typeof options.useFactory !== 'function') {
      throw new TypeError(
        'bulwark: BulwarkModule.forRootAsync: useFactory is missing; write BulwarkModule.forRootAsync({ imports: [ConfigModule], inject: [ConfigService], useFactory: (config) => ({ rateLimit: { limiter: { limit: 100, windowMs: 60_000 } } }) }).',
      );
    }
    const { useFactory, inject = [], imports = [] } = options;
    return {
      ...BulwarkModule.withRuntime({
        provide: BULWARK_RUNTIME,
        inject,
        useFactory: async (...args: never[]) => compileRuntime(await useFactory(...args)),
      }),
      imports,
    };
  }

  private static withRuntime(runtime: Provider): DynamicModule {
    return {
      module: BulwarkModule,
      global: true,
      providers: [runtime, { provide: APP_GUARD, useClass: BulwarkGuard }],
      exports: [BULWARK_RUNTIME],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    const { headers, cors } = this.runtime;
    // On Express the headers are written in the platform's first middleware already.
    const early = this.#hooks.headersEarly;
    if ((headers === undefined || early) && cors === undefined) return;
    const middleware = new BulwarkMiddleware(this.runtime, !early);
    // configure() runs after Nest's body parsers and the app's own app.use() middleware are
    // in place and before the routes, so CORS still merges into the Vary an app middleware
    // set. On Express a plain middleware added here stands where the consumer's route would,
    // without Nest matching each request's path again and wrapping the call in a promise.
    const run = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => {
      middleware.use(req, res, next);
    };
    const { use } = this.#hooks;
    if (use !== undefined) use(run);
    else consumer.apply(run).forRoutes({ path: '{*path}', method: RequestMethod.ALL });
  }

  onModuleInit(): void {
    this.#hooks.whenRouted();
  }
}
Module({})(BulwarkModule);
Inject(BULWARK_RUNTIME)(BulwarkModule, undefined, 0);
Inject(HttpAdapterHost)(BulwarkModule, undefined, 1);
