import { Catch, Module } from '@nestjs/common';
import type { ArgumentsHost, ExceptionFilter } from '@nestjs/common';
import { ExecutionContextHost } from '@nestjs/core/internal';
import bodyParser from 'body-parser';
import { afterEach, describe, expect, it } from 'vitest';
import { BulwarkError, signWebhook } from 'bulwark';
import {
  BulwarkGuard,
  BulwarkHttpException,
  BulwarkModule,
  BulwarkRouteGuard,
  PayloadLimit,
  RateLimit,
  SkipRateLimit,
  VerifyWebhook,
  rejectNest,
} from 'bulwark/nest';
import type { BulwarkModuleOptions, BulwarkRuntime } from 'bulwark/nest';
import { http } from '../../helpers/http.js';
import { captureLog } from '../../helpers/log-capture.js';
import { PLATFORMS, controller, startApp } from './app.js';
import type { RunningNest } from './app.js';

const SECRET = 'nest-webhook-secret';
const payload = JSON.stringify({ event: 'task.created', id: 7 });
const JSON_TYPE = 'application/json; charset=utf-8';

interface ServerResponseLike {
  statusCode: number;
  end(body: string): void;
}
const window = { windowMs: 60_000, algorithm: 'fixed-window' } as const;

let running: RunningNest | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

const get = (path: string, headers: Record<string, string> = {}) =>
  http(`${running?.url ?? ''}${path}`, { headers });
const post = (path: string, headers: Record<string, string>, body: string = payload) =>
  http(`${running?.url ?? ''}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body,
  });

/** A configuration service of the app's own, as @nestjs/config's ConfigService is used. */
class ConfigService {
  readonly values: Readonly<Record<string, number>> = { RATE_LIMIT: 1 };
  get(name: string): number | undefined {
    return this.values[name];
  }
}
// eslint-disable-next-line @typescript-eslint/no-extraneous-class -- a Nest module carries only metadata
class ConfigModule {}
Module({ providers: [ConfigService], exports: [ConfigService] })(ConfigModule);

describe.each(PLATFORMS)('bulwark/nest on %s', (platform) => {
  it("two apps in one process sharing a controller class each count under their own module's limit", async () => {
    const shared = controller('', [{ method: 'GET', path: 'ok' }]);
    const one = await startApp(platform, {
      imports: [
        BulwarkModule.forRoot({ rateLimit: { limiter: { name: 'one', limit: 1, ...window } } }),
      ],
      controllers: [shared],
    });
    try {
      running = await startApp(platform, {
        imports: [
          BulwarkModule.forRoot({ rateLimit: { limiter: { name: 'three', limit: 3, ...window } } }),
        ],
        controllers: [shared],
      });
      const fromOne = () => http(`${one.url}/ok`);
      expect((await fromOne()).headers.ratelimit).toBe('"one";r=0;t=60');
      expect((await get('/ok')).headers.ratelimit).toBe('"three";r=2;t=60');
      expect((await fromOne()).status).toBe(429);
      expect((await get('/ok')).headers.ratelimit).toBe('"three";r=1;t=60');
      expect((await fromOne()).status).toBe(429);
      expect((await get('/ok')).status).toBe(200);
      expect((await get('/ok')).status).toBe(429);
    } finally {
      await one.close();
    }
  });

  it('forRoot: security headers on a 200 and a 404, the global limit counting both', async () => {
    running = await startApp(platform, {
      imports: [
        BulwarkModule.forRoot({ rateLimit: { limiter: { name: 'app', limit: 2, ...window } } }),
      ],
      controllers: [controller('', [{ method: 'GET', path: 'ok' }])],
    });
    const ok = await get('/ok');
    expect(ok.status).toBe(200);
    expect(ok.headers['x-frame-options']).toBe('DENY');
    expect(ok.headers.ratelimit).toBe('"app";r=1;t=60');
    // A scanner probing a path that does not exist is counted like any client.
    const missing = await get('/wp-admin');
    expect(missing.status).toBe(404);
    expect(missing.headers['x-content-type-options']).toBe('nosniff');
    const refused = await get('/ok');
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBe('60');
    expect(refused.headers['content-type']).toBe(JSON_TYPE);
    expect(refused.headers['x-frame-options']).toBe('DENY');
    expect(refused.text).toBe('{"detail":"Too Many Requests"}');
    expect((await get('/elsewhere')).status).toBe(429);
  });

  it('forRootAsync: the options come from a factory that injects a provider', async () => {
    running = await startApp(platform, {
      imports: [
        BulwarkModule.forRootAsync({
          imports: [ConfigModule],
          inject: [ConfigService],
          useFactory: (config: ConfigService): BulwarkModuleOptions => ({
            securityHeaders: { preset: 'api' },
            rateLimit: {
              limiter: { name: 'cfg', limit: config.get('RATE_LIMIT') ?? 100, ...window },
            },
          }),
        }),
      ],
      controllers: [controller('', [{ method: 'GET', path: 'ok' }])],
    });
    const first = await get('/ok');
    expect(first.status).toBe(200);
    expect(first.headers['cache-control']).toBe('no-store');
    expect((await get('/ok')).status).toBe(429);
  });

  it('forRootAsync: a bad option from the factory fails the app at creation', async () => {
    const starting = startApp(platform, {
      imports: [
        BulwarkModule.forRootAsync({
          useFactory: () => ({ ratelimit: {} }) as unknown as BulwarkModuleOptions,
        }),
      ],
      controllers: [],
    });
    await expect(starting).rejects.toThrow(
      /BulwarkModule.forRoot: unknown option "ratelimit"; write rateLimit/,
    );
  });

  it('@SkipRateLimit on a controller skips the global limit and its @RateLimit', async () => {
    const global = { limiter: { name: 'global', limit: 1, ...window } };
    running = await startApp(platform, {
      imports: [BulwarkModule.forRoot({ rateLimit: global })],
      controllers: [
        controller(
          'health',
          [{ method: 'GET', path: 'live' }],
          [RateLimit({ limiter: { name: 'health', limit: 1, ...window } }), SkipRateLimit()],
        ),
        controller('', [{ method: 'GET', path: 'counted' }]),
      ],
    });
    for (let i = 0; i < 3; i++) {
      const res = await get('/health/live');
      expect(res.status).toBe(200);
      expect(res.headers.ratelimit).toBeUndefined();
    }
    expect((await get('/counted')).status).toBe(200);
    expect((await get('/counted')).status).toBe(429);
  });

  it('@SkipRateLimit on one handler skips every limit there, the controller’s named one included', async () => {
    running = await startApp(platform, {
      imports: [BulwarkModule.forRoot({ rateLimit: { limiter: { limit: 1, ...window } } })],
      controllers: [
        controller(
          'api',
          [
            { method: 'GET', path: 'free', decorators: [SkipRateLimit()] },
            { method: 'GET', path: 'limited' },
          ],
          [RateLimit({ limiter: { name: 'api', limit: 5, ...window } })],
        ),
      ],
    });
    for (let i = 0; i < 3; i++) expect((await get('/api/free')).status).toBe(200);
    expect((await get('/api/limited')).status).toBe(200);
    expect((await get('/api/limited')).status).toBe(429);
  });

  it('@RateLimit on a route: one limiter for the route, in addition to the global one', async () => {
    running = await startApp(platform, {
      imports: [BulwarkModule.forRoot({ rateLimit: { limiter: { limit: 10, ...window } } })],
      controllers: [
        controller('', [
          {
            method: 'POST',
            path: 'login',
            decorators: [
              RateLimit({ limiter: { name: 'login', limit: 1, ...window }, headers: 'draft-6' }),
            ],
          },
          { method: 'GET', path: 'other' },
        ]),
      ],
    });
    expect((await post('/login', {}, '{}')).status).toBe(202);
    const refused = await post('/login', {}, '{}');
    expect(refused.status).toBe(429);
    expect(refused.headers['ratelimit-policy']).toBe('1;w=60');
    expect(refused.text).toBe('{"detail":"Too Many Requests"}');
    expect((await get('/other')).status).toBe(200);
  });

  it('@RateLimit works in an app that never imported BulwarkModule', async () => {
    running = await startApp(platform, {
      controllers: [
        controller('', [
          {
            method: 'GET',
            path: 'a',
            decorators: [RateLimit({ limiter: { name: 'alone', limit: 1, ...window } })],
          },
        ]),
      ],
    });
    expect((await get('/a')).status).toBe(200);
    expect((await get('/a')).status).toBe(429);
  });

  it.each([
    ['rawBody: true', { rawBody: true }],
    ['bodyParser: false', { bodyParser: false }],
    ["Nest's own parser without rawBody", {}],
  ] as const)(
    '@VerifyWebhook with %s: @Body() gets the parsed body, a forgery is a 403',
    async (_what, factory) => {
      running = await startApp(platform, {
        ...factory,
        imports: [BulwarkModule.forRoot({})],
        controllers: [
          controller('hooks', [
            {
              method: 'POST',
              path: 'in',
              decorators: [VerifyWebhook({ secret: SECRET })],
              handle: (request, body) => ({
                body,
                rawBytes: (request as { rawBody?: Buffer }).rawBody?.length ?? null,
              }),
            },
          ]),
        ],
      });
      const ok = await post('/hooks/in', signWebhook(payload, SECRET));
      expect(ok.status).toBe(202);
      expect(JSON.parse(ok.text)).toEqual({
        body: JSON.parse(payload) as unknown,
        rawBytes: payload.length,
      });
      const forged = await post('/hooks/in', signWebhook(payload, 'not-the-secret'));
      expect(forged.status).toBe(403);
      expect(forged.headers['content-type']).toBe(JSON_TYPE);
      expect(forged.headers['x-frame-options']).toBe('DENY');
      expect(forged.text).toBe('{"detail":"Invalid webhook signature."}');
    },
  );

  it('the answers of Nest’s body parser and of the app’s own middleware carry the security headers', async () => {
    running = await startApp(platform, {
      imports: [BulwarkModule.forRoot()],
      controllers: [controller('', [{ method: 'POST', path: 'in' }])],
      setup: (app) => {
        // The app's own middleware, added after NestFactory.create as main.ts does.
        app.use((req: { url?: string }, res: ServerResponseLike, next: () => void) => {
          if (req.url !== '/own') {
            next();
            return;
          }
          res.statusCode = 403;
          res.end('no');
        });
      },
    });
    const malformed = await post('/in', {}, '{"unterminated');
    expect(malformed.status).toBe(400);
    expect(malformed.headers['x-content-type-options']).toBe('nosniff');
    // On Express the headers are written in the app's first middleware, before the app's own;
    // on Fastify the app's app.use() runs before the module's middleware, as Nest orders it.
    if (platform === 'express') {
      const own = await get('/own');
      expect(own.status).toBe(403);
      expect(own.headers['x-frame-options']).toBe('DENY');
    }
  });

  it('@PayloadLimit: 413 with the shared body, before Nest parses', async () => {
    running = await startApp(platform, {
      rawBody: true,
      controllers: [
        controller('', [
          { method: 'POST', path: 'small', decorators: [PayloadLimit({ limit: 16 })] },
        ]),
      ],
    });
    const res = await post('/small', {}, JSON.stringify({ pad: 'x'.repeat(32) }));
    expect(res.status).toBe(413);
    expect(res.text).toBe('{"detail":"Payload exceeds maximum size of 16 bytes."}');
  });

  it('an app filter for BulwarkHttpException sees the rejection, with its headers already set', async () => {
    class Teapot implements ExceptionFilter {
      catch(exception: BulwarkHttpException, host: ArgumentsHost): void {
        const response = host.switchToHttp().getResponse<object>();
        running?.app
          .getHttpAdapter()
          .reply(response, { code: exception.error.code }, exception.getStatus());
      }
    }
    Catch(BulwarkHttpException)(Teapot);
    running = await startApp(platform, {
      imports: [BulwarkModule.forRoot({ rateLimit: { limiter: { limit: 1, ...window } } })],
      controllers: [controller('', [{ method: 'GET', path: 'a' }])],
      setup: (app) => app.useGlobalFilters(new Teapot()),
    });
    await get('/a');
    const res = await get('/a');
    expect(res.status).toBe(429);
    expect(JSON.parse(res.text)).toEqual({ code: 'rate_limited' });
    expect(res.headers['retry-after']).toBe('60');
  });

  it('rejectNest answers a handler’s own rejection like bulwark’s', async () => {
    running = await startApp(platform, {
      imports: [BulwarkModule.forRoot({})],
      controllers: [
        controller('', [
          {
            method: 'GET',
            path: 'busy',
            handle: (_request, _body, _id, response) => {
              throw rejectNest(
                new BulwarkError({
                  status: 503,
                  code: 'rate_limited',
                  detail: 'Busy',
                  headers: { 'Retry-After': '9' },
                }),
                response,
              );
            },
          },
        ]),
      ],
    });
    const res = await get('/busy');
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('9');
    expect(res.headers['content-type']).toBe(JSON_TYPE);
    expect(res.text).toBe('{"detail":"Busy"}');
  });
});

describe('a body read before bulwark', () => {
  it('Express: a parser on the instance handed to Nest: 500 and one misuse line naming it', async () => {
    const log = captureLog();
    running = await startApp('express', {
      express: (instance) => instance.use(bodyParser.json()),
      controllers: [
        controller('', [
          {
            method: 'POST',
            path: 'in',
            decorators: [VerifyWebhook({ secret: SECRET, logger: log.logger })],
          },
        ]),
      ],
    });
    for (let i = 0; i < 2; i++) {
      const res = await post('/in', signWebhook(payload, SECRET));
      expect(res.status).toBe(500);
      expect(JSON.parse(res.text)).toEqual({
        detail:
          'The request body was read by another body parser before it could be checked; see the server log.',
      });
    }
    expect(log.misuse()).toHaveLength(1);
    expect(log.misuse()[0]).toMatch(
      /misuse\.body_consumed: the request body was already read by a body parser that ran before bulwark/,
    );
  });

  it('Fastify, a route path with parameters: the bytes Nest kept with rawBody: true are verified', async () => {
    running = await startApp('fastify', {
      rawBody: true,
      controllers: [
        controller('', [
          {
            method: 'POST',
            path: 'hooks/:id',
            decorators: [VerifyWebhook({ secret: SECRET })],
            handle: (_request, body, id) => ({ id, body }),
          },
        ]),
      ],
    });
    const ok = await post('/hooks/7', signWebhook(payload, SECRET));
    expect(ok.status).toBe(202);
    expect(JSON.parse(ok.text)).toEqual({ id: '7', body: JSON.parse(payload) as unknown });
    expect((await post('/hooks/7', signWebhook(payload, 'wrong'))).status).toBe(403);
  });

  it('Fastify, a route path with parameters and no rawBody: 500 and one misuse line, never a pass', async () => {
    const log = captureLog();
    running = await startApp('fastify', {
      controllers: [
        controller('', [
          {
            method: 'POST',
            path: 'hooks/:id',
            decorators: [VerifyWebhook({ secret: SECRET, logger: log.logger })],
          },
        ]),
      ],
    });
    expect((await post('/hooks/7', signWebhook(payload, SECRET))).status).toBe(500);
    expect((await post('/hooks/7', signWebhook(payload, SECRET))).status).toBe(500);
    expect(log.misuse()).toHaveLength(1);
    expect(log.misuse()[0]).toMatch(/rawBody: true/);
  });
});

describe('contexts other than HTTP', () => {
  const runtime = (): BulwarkRuntime => {
    let captured: BulwarkRuntime | undefined;
    const module = BulwarkModule.forRoot({ rateLimit: { limiter: { limit: 1, ...window } } });
    for (const provider of module.providers ?? []) {
      const value = (provider as { useValue?: unknown }).useValue;
      if (value !== undefined) captured = value as BulwarkRuntime;
    }
    if (captured === undefined) throw new Error('no runtime provider');
    return captured;
  };

  it.each(['rpc', 'ws', 'graphql'])(
    'a %s context passes both guards untouched, every time',
    (type) => {
      class Resolver {
        handle(): string {
          return 'handled';
        }
      }
      const descriptor = Object.getOwnPropertyDescriptor(Resolver.prototype, 'handle')!;
      (RateLimit({ limiter: { limit: 1, ...window } }) as MethodDecorator)(
        Resolver.prototype,
        'handle',
        descriptor,
      );
      // An RPC context's arguments are the message data and the transport context: no
      // request, no response.
      const context = new ExecutionContextHost(
        [{ pattern: 'orders.created' }, {}],
        Resolver,
        descriptor.value as () => string,
      );
      context.setType(type);
      const guard = new BulwarkGuard(runtime());
      const route = new BulwarkRouteGuard();
      for (let i = 0; i < 3; i++) {
        expect(guard.canActivate(context)).toBe(true);
        expect(route.canActivate(context)).toBe(true);
      }
    },
  );
});

describe('options refused at startup', () => {
  it('a misspelt forRoot key names the right one', () => {
    expect(() =>
      BulwarkModule.forRoot({ ratelimit: {} } as unknown as BulwarkModuleOptions),
    ).toThrow(/unknown option "ratelimit"; write rateLimit/);
  });

  it('every part off', () => {
    expect(() => BulwarkModule.forRoot({ securityHeaders: false })).toThrow(/every part is off/);
  });

  it('@VerifyWebhook without a secret (an unset environment variable)', () => {
    expect(() => VerifyWebhook({ secret: process.env.NEST_TEST_UNSET_SECRET })).toThrow(TypeError);
    expect(() => VerifyWebhook({})).toThrow(/verifyWebhook secret: no secret is given/);
  });

  it('@RateLimit with a limit of 0', () => {
    expect(() => RateLimit({ limiter: { limit: 0, windowMs: 1000 } })).toThrow(TypeError);
  });

  it('forRootAsync without a factory', () => {
    expect(() =>
      BulwarkModule.forRootAsync({} as unknown as Parameters<typeof BulwarkModule.forRootAsync>[0]),
    ).toThrow(/useFactory is missing/);
  });
});
