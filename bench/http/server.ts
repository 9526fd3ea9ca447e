// One benchmark server: `tsx bench/http/server.ts <express|koa|fastify|hono|nest> <variant>`. Listens on a
// free loopback port, prints `listening <port> <where 'bulwark' was loaded from>` and serves GET /status with a small JSON until
// killed. Variants: bare; bulwark headers + rate limit on memory or Redis (REDIS_URL), as
// two middlewares or as one protect() (memory); the
// usual peer stack for the framework. Limits are far above what a run can send: the cost
// measured is the check, not 429s. The CORS variants serve the same GET and also answer
// OPTIONS /status 204 themselves (the bare row's answer to a preflight): no CORS, bulwark's
// `cors`, or the framework's usual CORS package, all configured alike (CORS_OPTIONS).
// Everything a variant needs is imported when it is built, so no server loads (and starts
// slower for) what another variant uses: the suite starts a few dozen of them at once.
import type { Server, ServerResponse } from 'node:http';
import type { HttpBindings } from '@hono/node-server';
import type { RateLimiter } from 'bulwark';
import { CORS_OPTIONS, CORS_VARIANTS } from './cors.js';
import type { CorsVariant } from './cors.js';

export const FRAMEWORKS = ['express', 'koa', 'fastify', 'hono', 'nest'] as const;
export type Framework = (typeof FRAMEWORKS)[number];
export const VARIANTS = [
  'bare',
  'floor',
  'bulwark-memory',
  'bulwark-protect',
  'bulwark-redis',
  'peers',
] as const;
export type Variant = (typeof VARIANTS)[number];
type AnyVariant = Variant | CorsVariant;

const ORIGINS: string[] = [...CORS_OPTIONS.origins];
const METHODS: string[] = [...CORS_OPTIONS.methods];
const EXPOSED: string[] = [...CORS_OPTIONS.exposedHeaders];
const BULWARK_CORS = {
  origins: ORIGINS,
  credentials: false,
  methods: METHODS,
  exposedHeaders: EXPOSED,
  maxAge: CORS_OPTIONS.maxAge,
};
const isCors = (variant: AnyVariant): variant is CorsVariant => variant.startsWith('cors-');

const LIMIT = 1_000_000_000;
const WINDOW_MS = 60_000;
const BODY = { ok: true, service: 'mission-control', version: '1.0.0' };
// The floor: the same five headers bulwark sends here, constant, set by one trivial
// middleware, with no counting. The least any headers + rate-limit stack can cost.
const FLOOR_HEADERS: Readonly<Record<string, string>> = {
  'referrer-policy': 'strict-origin-when-cross-origin',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'ratelimit-policy': '"bench";q=1000000000;w=60',
  ratelimit: '"bench";r=999999999;t=60',
};
const FLOOR_ENTRIES = Object.entries(FLOOR_HEADERS);

async function limiter(
  variant: 'bulwark-memory' | 'bulwark-redis' | 'bulwark-protect',
): Promise<RateLimiter> {
  const { createRateLimiter } = await import('bulwark');
  if (variant === 'bulwark-redis') {
    const url = process.env.REDIS_URL;
    if (url === undefined) throw new Error('bulwark-redis needs REDIS_URL');
    const { Redis } = await import('ioredis');
    const { RedisStore } = await import('bulwark/redis');
    const client = new Redis(url, { enableOfflineQueue: false });
    return createRateLimiter({
      name: 'bench',
      limit: LIMIT,
      windowMs: WINDOW_MS,
      store: new RedisStore({ client, prefix: `bench:http:${String(process.pid)}:` }),
    });
  }
  return createRateLimiter({ name: 'bench', limit: LIMIT, windowMs: WINDOW_MS });
}

/** Listens on a free loopback port (express and koa share `listen(port, host, cb)`). */
function listenOn(app: {
  listen: (port: number, host: string, cb: () => void) => Server;
}): Promise<number> {
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : 0);
    });
  });
}

async function express(variant: AnyVariant): Promise<number> {
  const { default: createApp } = await import('express');
  const app = createApp();
  if (variant === 'floor') {
    app.use((_req, res, next) => {
      for (const [name, value] of FLOOR_ENTRIES) res.setHeader(name, value);
      next();
    });
  } else if (variant === 'peers') {
    const { default: helmet } = await import('helmet');
    const { rateLimit } = await import('express-rate-limit');
    app.use(helmet());
    app.use(rateLimit({ windowMs: WINDOW_MS, limit: LIMIT }));
  } else if (variant === 'cors-peer') {
    const { default: cors } = await import('cors');
    app.use(
      cors({
        origin: ORIGINS,
        credentials: false,
        methods: METHODS,
        exposedHeaders: EXPOSED,
        maxAge: CORS_OPTIONS.maxAge,
      }),
    );
  } else if (variant === 'cors-bulwark') {
    const b = await import('bulwark/express');
    app.use(b.cors(BULWARK_CORS));
  } else if (variant === 'bulwark-memory' || variant === 'bulwark-redis') {
    const b = await import('bulwark/express');
    app.use(b.securityHeaders());
    app.use(b.rateLimit({ limiter: await limiter(variant) }));
  } else if (variant === 'bulwark-protect') {
    const b = await import('bulwark/express');
    app.use(b.protect({ rateLimit: { limiter: await limiter(variant) } }));
  }
  app.get('/status', (_req, res) => {
    res.json(BODY);
  });
  if (isCors(variant)) {
    app.options('/status', (_req, res) => {
      res.status(204).end();
    });
  }
  return listenOn(app);
}

async function koa(variant: AnyVariant): Promise<number> {
  const { default: Koa } = await import('koa');
  const app = new Koa();
  if (variant === 'floor') {
    app.use((ctx, next) => {
      ctx.set(FLOOR_HEADERS);
      return next();
    });
  } else if (variant === 'peers') {
    const { default: helmet } = await import('koa-helmet');
    const { default: ratelimit } = await import('koa-ratelimit');
    app.use(helmet());
    app.use(
      ratelimit({
        driver: 'memory',
        db: new Map(),
        duration: WINDOW_MS,
        max: LIMIT,
        id: (ctx) => ctx.ip,
      }),
    );
  } else if (variant === 'cors-peer') {
    const { default: cors } = await import('@koa/cors');
    // @koa/cors takes one origin or a function: a function over a set is its way to allow a list.
    const allowed = new Set(ORIGINS);
    app.use(
      cors({
        origin: (ctx) => {
          const origin = ctx.get('Origin');
          return allowed.has(origin) ? origin : '';
        },
        credentials: false,
        allowMethods: METHODS,
        exposeHeaders: EXPOSED,
        maxAge: CORS_OPTIONS.maxAge,
      }),
    );
  } else if (variant === 'cors-bulwark') {
    const b = await import('bulwark/koa');
    app.use(b.cors(BULWARK_CORS));
  } else if (variant === 'bulwark-memory' || variant === 'bulwark-redis') {
    const b = await import('bulwark/koa');
    app.use(b.securityHeaders());
    app.use(b.rateLimit({ limiter: await limiter(variant) }));
  } else if (variant === 'bulwark-protect') {
    const b = await import('bulwark/koa');
    app.use(b.protect({ rateLimit: { limiter: await limiter(variant) } }));
  }
  const answersOptions = isCors(variant);
  app.use((ctx) => {
    if (ctx.path !== '/status') return;
    if (answersOptions && ctx.method === 'OPTIONS') ctx.status = 204;
    else ctx.body = BODY;
  });
  return listenOn(app);
}

async function fastify(variant: AnyVariant): Promise<number> {
  const { default: Fastify } = await import('fastify');
  const app = Fastify();
  if (variant === 'floor') {
    app.addHook('onRequest', (_request, reply, done) => {
      reply.headers(FLOOR_HEADERS);
      done();
    });
  } else if (variant === 'peers') {
    await app.register((await import('@fastify/helmet')).default);
    await app.register((await import('@fastify/rate-limit')).default, {
      max: LIMIT,
      timeWindow: WINDOW_MS,
    });
  } else if (variant === 'cors-peer') {
    await app.register((await import('@fastify/cors')).default, {
      origin: ORIGINS,
      credentials: false,
      methods: METHODS,
      exposedHeaders: EXPOSED,
      maxAge: CORS_OPTIONS.maxAge,
    });
  } else if (variant === 'cors-bulwark') {
    const b = await import('bulwark/fastify');
    await app.register(b.cors, BULWARK_CORS);
  } else if (variant === 'bulwark-memory' || variant === 'bulwark-redis') {
    const b = await import('bulwark/fastify');
    await app.register(b.securityHeaders);
    await app.register(b.rateLimit, { limiter: await limiter(variant) });
  } else if (variant === 'bulwark-protect') {
    const b = await import('bulwark/fastify');
    await app.register(b.protect, { rateLimit: { limiter: await limiter(variant) } });
  }
  app.get('/status', () => BODY);
  if (isCors(variant)) {
    app.options('/status', (_request, reply) => {
      void reply.code(204).send();
    });
  }
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  return typeof address === 'object' && address !== null ? address.port : 0;
}

/** Hono on @hono/node-server, as a Node user serves it. */
async function hono(variant: AnyVariant): Promise<number> {
  const { Hono } = await import('hono');
  const { serve } = await import('@hono/node-server');
  interface Env {
    Bindings: HttpBindings;
  }
  const app = new Hono<Env>();
  if (variant === 'floor') {
    app.use(async (c, next) => {
      await next();
      for (const [name, value] of FLOOR_ENTRIES) c.res.headers.set(name, value);
    });
  } else if (variant === 'peers') {
    const { secureHeaders } = await import('hono/secure-headers');
    const { rateLimiter } = await import('hono-rate-limiter');
    app.use(secureHeaders());
    app.use(
      rateLimiter<Env>({
        windowMs: WINDOW_MS,
        limit: LIMIT,
        keyGenerator: (c) => c.env.incoming.socket.remoteAddress ?? '',
      }),
    );
  } else if (variant === 'cors-peer') {
    const { cors } = await import('hono/cors');
    app.use(
      cors({
        origin: ORIGINS,
        credentials: false,
        allowMethods: METHODS,
        exposeHeaders: EXPOSED,
        maxAge: CORS_OPTIONS.maxAge,
      }),
    );
  } else if (variant === 'cors-bulwark') {
    const b = await import('bulwark/hono');
    app.use(b.cors(BULWARK_CORS));
  } else if (variant === 'bulwark-memory' || variant === 'bulwark-redis') {
    const b = await import('bulwark/hono');
    app.use(b.securityHeaders());
    app.use(b.rateLimit({ limiter: await limiter(variant) }));
  } else if (variant === 'bulwark-protect') {
    const b = await import('bulwark/hono');
    app.use(b.protect({ rateLimit: { limiter: await limiter(variant) } }));
  }
  app.get('/status', (c) => c.json(BODY));
  if (isCors(variant)) app.options('/status', (c) => c.body(null, 204));
  return new Promise((resolve) => {
    serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
      resolve(info.port);
    });
  });
}

/**
 * NestJS on its Express platform. bulwark's Nest module applies headers, CORS and the rate
 * limit as one unit (there is no mounting order to choose), so its memory row and its
 * protect() row are the same configuration. The peers are what Nest's documentation
 * recommends: helmet and @nestjs/throttler; Nest's own enableCors() for CORS.
 */
async function nest(variant: AnyVariant): Promise<number> {
  await import('reflect-metadata');
  const common = await import('@nestjs/common');
  const { NestFactory, APP_GUARD, Reflector } = await import('@nestjs/core');
  const { ExpressAdapter } = await import('@nestjs/platform-express');
  class StatusController {
    status(): typeof BODY {
      return BODY;
    }
    preflight(): void {
      // 204 from the decorator below: the bare row's answer to a preflight.
    }
  }
  common.Controller()(StatusController);
  const proto = StatusController.prototype;
  const method = (name: 'status' | 'preflight') => Object.getOwnPropertyDescriptor(proto, name)!;
  common.Get('status')(proto, 'status', method('status'));
  if (isCors(variant)) {
    common.Options('status')(proto, 'preflight', method('preflight'));
    common.HttpCode(204)(proto, 'preflight', method('preflight'));
  }
  const imports: unknown[] = [];
  const providers: unknown[] = [];
  if (
    variant === 'bulwark-memory' ||
    variant === 'bulwark-redis' ||
    variant === 'bulwark-protect'
  ) {
    const b = await import('bulwark/nest');
    imports.push(b.BulwarkModule.forRoot({ rateLimit: { limiter: await limiter(variant) } }));
  } else if (variant === 'cors-bulwark') {
    const b = await import('bulwark/nest');
    imports.push(b.BulwarkModule.forRoot({ securityHeaders: false, cors: BULWARK_CORS }));
  } else if (variant === 'peers') {
    const { ThrottlerGuard, ThrottlerStorageService } = await import('@nestjs/throttler');
    // Built by hand: @nestjs/throttler is CommonJS, and under tsx its require('@nestjs/core')
    // loads a second copy of Nest's (ESM-only) core, whose Reflector this app cannot inject.
    const throttlers = [{ ttl: WINDOW_MS, limit: LIMIT }];
    const storage = new ThrottlerStorageService();
    providers.push({
      provide: APP_GUARD,
      useFactory: (reflector: InstanceType<typeof Reflector>) =>
        new ThrottlerGuard(throttlers, storage, reflector),
      inject: [Reflector],
    });
  }
  // eslint-disable-next-line @typescript-eslint/no-extraneous-class -- a Nest module carries only metadata
  class AppModule {}
  common.Module({
    imports: imports as never[],
    controllers: [StatusController],
    providers: providers as never[],
  })(AppModule);
  const app = await NestFactory.create(AppModule, new ExpressAdapter(), { logger: ['error'] });
  if (variant === 'floor') {
    app.use((_req: unknown, res: ServerResponse, next: () => void) => {
      for (const [name, value] of FLOOR_ENTRIES) res.setHeader(name, value);
      next();
    });
  } else if (variant === 'peers') {
    const { default: helmet } = await import('helmet');
    app.use(helmet());
  } else if (variant === 'cors-peer') {
    app.enableCors({
      origin: ORIGINS,
      credentials: false,
      methods: METHODS,
      exposedHeaders: EXPOSED,
      maxAge: CORS_OPTIONS.maxAge,
    });
  }
  await app.listen(0, '127.0.0.1');
  const address = (app.getHttpServer() as Server).address();
  return typeof address === 'object' && address !== null ? address.port : 0;
}

/**
 * BENCH_ALLOC=1 (with --expose-gc and a young generation large enough for a sample): answers
 * the benchmark over IPC. `start` collects garbage and notes the heap; `stop` answers the heap
 * growth since, and how many collections ran in between (a sample with one is discarded: the
 * growth would undercount). Nothing else runs in the process, so the growth is what serving
 * the requests allocated.
 */
async function allocationProbe(): Promise<void> {
  const { getHeapStatistics } = await import('node:v8');
  const { PerformanceObserver } = await import('node:perf_hooks');
  const collect = (globalThis as { gc?: () => void }).gc;
  if (collect === undefined) throw new Error('BENCH_ALLOC=1 needs node --expose-gc');
  let collections = 0;
  new PerformanceObserver((list) => {
    collections += list.getEntries().length;
  }).observe({ entryTypes: ['gc'] });
  let heap = 0;
  let seen = 0;
  process.on('message', (message: unknown) => {
    if (message === 'start') {
      collect();
      // The observer reports collections a little later, on a timer of its own: let the forced
      // collection's entry arrive before counting from it.
      setTimeout(() => {
        seen = collections;
        heap = getHeapStatistics().used_heap_size;
        process.send?.('ready');
      }, 50);
    } else if (message === 'stop') {
      const grown = getHeapStatistics().used_heap_size - heap;
      setTimeout(() => process.send?.({ grown, collections: collections - seen }), 50);
    }
  });
}

async function main(): Promise<void> {
  const [framework, variant] = process.argv.slice(2) as [Framework, AnyVariant];
  if (process.env.BENCH_ALLOC === '1') await allocationProbe();
  const variants: readonly AnyVariant[] = [...VARIANTS, ...CORS_VARIANTS];
  if (!FRAMEWORKS.includes(framework) || !variants.includes(variant))
    throw new Error(`usage: server.ts <${FRAMEWORKS.join('|')}> <${variants.join('|')}>`);
  const builders = { express, koa, fastify, hono, nest };
  const port = await builders[framework](variant);
  process.stdout.write(`listening ${port} ${import.meta.resolve('bulwark')}\n`);
}

if (process.argv[1]?.endsWith('server.ts') === true) await main();
