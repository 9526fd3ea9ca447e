import { createServer } from 'node:http';
import type { IncomingMessage, RequestListener, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import Fastify from 'fastify';
import Koa from 'koa';
import { getRequestListener } from '@hono/node-server';
import type { HttpBindings } from '@hono/node-server';
import { Hono } from 'hono';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, it } from 'vitest';
import type { CorsOptions } from 'bulwark';
import * as onExpress from 'bulwark/express';
import * as onFastify from 'bulwark/fastify';
import * as onHono from 'bulwark/hono';
import { BulwarkModule } from 'bulwark/nest';
import { Controller, Get, Module, Put, Req } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import * as onKoa from 'bulwark/koa';
import { launchChromium, noChromium } from '../helpers/browser.js';
import { http } from '../helpers/http.js';
import { watch } from '../helpers/serve.js';

/**
 * CORS where it is enforced: a real Chromium loads a page from one origin and fetches from
 * the API on another. Pages are served from http://localhost:<port> and the API from
 * http://localhost:<apiPort>: different ports are different origins but the same site, so
 * a cookie for `localhost` goes with a credentialed cross-origin fetch.
 */

type Framework = 'express' | 'koa' | 'fastify' | 'hono' | 'nest';

/** One request as the API's Node server received it (its 'request' event), preflights included. */
interface Seen {
  readonly method: string;
  readonly path: string;
  readonly origin: string | undefined;
  readonly cookie: string | undefined;
}

interface Api {
  /** The origin pages fetch from: http://localhost:<port>. */
  readonly url: string;
  /** The same server at 127.0.0.1, for direct requests from Node. */
  readonly direct: string;
  readonly seen: Seen[];
  close(): Promise<void>;
}

const DATA = { items: ['alpha', 'beta'] };
/** Generous: the rate limiter is here for its headers, and never refuses in these tests. */
const RATE_LIMIT = { limiter: { limit: 10_000, windowMs: 60_000 } };

/** Logs every request the server receives, whatever the framework then does with it. */
function record(server: Server, seen: Seen[]): void {
  server.on('request', (req: IncomingMessage) => {
    seen.push({
      method: req.method ?? '',
      path: req.url ?? '',
      origin: req.headers.origin,
      cookie: req.headers.cookie,
    });
  });
}

async function listenNode(listener: RequestListener): Promise<Api> {
  const server = createServer(listener);
  const seen: Seen[] = [];
  record(server, seen);
  const running = await watch(server);
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://localhost:${port}`,
    direct: running.url,
    seen,
    close: () => running.close(),
  };
}

/** The API: bulwark's cors first, then its rate limiter, then three routes. */
async function startApi(framework: Framework, options: CorsOptions): Promise<Api> {
  if (framework === 'express') {
    const app = express();
    app.use(onExpress.cors(options));
    app.use(onExpress.rateLimit(RATE_LIMIT));
    app.get('/data', (_req, res) => {
      res.json(DATA);
    });
    app.put('/items', (req, res) => {
      res.json({ clientVersion: req.get('X-Client-Version') ?? null });
    });
    app.get('/session', (req, res) => {
      res.json({ cookie: req.headers.cookie ?? null });
    });
    return listenNode(app);
  }
  if (framework === 'koa') {
    const app = new Koa();
    app.use(onKoa.cors(options));
    app.use(onKoa.rateLimit(RATE_LIMIT));
    app.use((ctx) => {
      if (ctx.method === 'GET' && ctx.path === '/data') ctx.body = DATA;
      else if (ctx.method === 'PUT' && ctx.path === '/items') {
        ctx.body = { clientVersion: ctx.get('X-Client-Version') || null };
      } else if (ctx.method === 'GET' && ctx.path === '/session') {
        ctx.body = { cookie: ctx.headers.cookie ?? null };
      }
    });
    const handle = app.callback();
    return listenNode((req, res) => {
      void handle(req, res);
    });
  }
  if (framework === 'hono') {
    const app = new Hono<{ Bindings: HttpBindings }>();
    app.use(onHono.cors(options));
    app.use(onHono.rateLimit(RATE_LIMIT));
    app.get('/data', (c) => c.json(DATA));
    app.put('/items', (c) => c.json({ clientVersion: c.req.header('X-Client-Version') ?? null }));
    app.get('/session', (c) => c.json({ cookie: c.req.header('cookie') ?? null }));
    const listener = getRequestListener(app.fetch);
    return listenNode((req, res) => {
      void listener(req, res);
    });
  }
  if (framework === 'nest') return startNestApi(options);
  const app = Fastify();
  await app.register(onFastify.cors, options);
  await app.register(onFastify.rateLimit, RATE_LIMIT);
  app.get('/data', () => DATA);
  app.put('/items', (request) => ({ clientVersion: request.headers['x-client-version'] ?? null }));
  app.get('/session', (request) => ({ cookie: request.headers.cookie ?? null }));
  const seen: Seen[] = [];
  record(app.server, seen);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return {
    url: `http://localhost:${port}`,
    direct: `http://127.0.0.1:${port}`,
    seen,
    close: () => app.close(),
  };
}

/**
 * The API on NestJS (Express platform): bulwark's module with cors and the rate limit, and a
 * controller with the three routes, its decorators applied as functions.
 */
async function startNestApi(options: CorsOptions): Promise<Api> {
  // eslint-disable-next-line @typescript-eslint/no-extraneous-class -- Nest's decorators, applied below, give the class its meaning
  class Routes {}
  const proto = Routes.prototype as Record<string, unknown>;
  const route = (
    name: string,
    verb: typeof Get,
    path: string,
    handle: (req: IncomingMessage) => unknown,
  ): void => {
    proto[name] = handle;
    Req()(proto, name, 0);
    verb(path)(proto, name, Object.getOwnPropertyDescriptor(proto, name)!);
  };
  route('data', Get, 'data', () => DATA);
  route('items', Put, 'items', (req) => ({
    clientVersion: req.headers['x-client-version'] ?? null,
  }));
  route('session', Get, 'session', (req) => ({ cookie: req.headers.cookie ?? null }));
  Controller()(Routes);
  // eslint-disable-next-line @typescript-eslint/no-extraneous-class -- a Nest module carries only metadata
  class ApiModule {}
  Module({
    imports: [BulwarkModule.forRoot({ securityHeaders: {}, cors: options, rateLimit: RATE_LIMIT })],
    controllers: [Routes],
  })(ApiModule);
  const instance = express();
  const app = await NestFactory.create(ApiModule, new ExpressAdapter(instance), { logger: false });
  await app.init();
  const api = await listenNode(instance);
  return {
    ...api,
    close: async () => {
      await api.close();
      await app.close();
    },
  };
}

/** A server for one page origin: a tiny HTML page on every path. */
async function startPage(): Promise<{ origin: string; close(): Promise<void> }> {
  const running = await watch(
    createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end('<!doctype html><title>bulwark cors page</title><p>page</p>');
    }),
  );
  return { origin: running.url.replace('127.0.0.1', 'localhost'), close: () => running.close() };
}

interface PageFetch {
  readonly method?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly credentials?: 'include' | 'omit' | 'same-origin';
  /** Response headers the script reads with `headers.get()`. */
  readonly read?: readonly string[];
}

/** What the page's script got: the response as script sees it, or the fetch's rejection. */
type Outcome =
  | {
      readonly blocked: false;
      readonly status: number;
      readonly text: string;
      readonly headers: Readonly<Record<string, string | null>>;
    }
  | { readonly blocked: true; readonly name: string; readonly message: string };

/** Runs `fetch(url, init)` in the page, as the page's own script. */
function pageFetch(page: Page, url: string, init: PageFetch = {}): Promise<Outcome> {
  return page.evaluate(
    async ({ url, init }): Promise<Outcome> => {
      try {
        const res = await fetch(url, {
          method: init.method ?? 'GET',
          headers: { ...init.headers },
          body: init.body ?? null,
          credentials: init.credentials ?? 'same-origin',
        });
        const headers: Record<string, string | null> = {};
        for (const name of init.read ?? []) headers[name] = res.headers.get(name);
        return { blocked: false, status: res.status, text: await res.text(), headers };
      } catch (error: unknown) {
        const e = error instanceof Error ? error : new Error(String(error));
        return { blocked: true, name: e.name, message: e.message };
      }
    },
    { url, init },
  );
}

/** The response the script read; fails the test when the browser blocked it. */
function readable(outcome: Outcome): Extract<Outcome, { blocked: false }> & { json: unknown } {
  if (outcome.blocked) {
    throw new Error(`the browser blocked the fetch: ${outcome.name}: ${outcome.message}`);
  }
  return { ...outcome, json: JSON.parse(outcome.text) as unknown };
}

const BLOCKED = { blocked: true, name: 'TypeError' };

const PUT: PageFetch = {
  method: 'PUT',
  headers: { 'Content-Type': 'application/json', 'X-Client-Version': '2.4.1' },
  body: JSON.stringify({ name: 'widget' }),
};

/** Chromium caches a preflight for 5 s when the answer has no Access-Control-Max-Age. */
const CHROMIUM_DEFAULT_PREFLIGHT_CACHE_MS = 5_000;

// Five frameworks share one Chromium and two cores, and one test waits out Chromium's 5 s
// preflight cache: a test takes 5-13 s on a quiet machine, so the limits leave room for a
// loaded CI runner (a time limit here only stops a hang; nothing asserts a duration).
describe.skipIf(noChromium())('CORS in Chromium', { timeout: 60_000 }, () => {
  let browser: Browser | undefined;
  let allowed: { origin: string; close(): Promise<void> };
  let other: { origin: string; close(): Promise<void> };

  beforeAll(async () => {
    [browser, allowed, other] = await Promise.all([launchChromium(), startPage(), startPage()]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([browser?.close(), allowed.close(), other.close()]);
  });

  // The frameworks run side by side, each with its own servers (the preflight cache test
  // waits out Chromium's default cache once per framework); one framework's tests run in
  // order, since they count the requests its servers receive.
  describe.concurrent.each<Framework>(['express', 'koa', 'fastify', 'hono', 'nest'])(
    '%s',
    (framework) => {
      /** Credentials allowed, preflights cached for 600 s, RateLimit exposed to scripts. */
      let api: Api;
      /** The same origin allowed, without credentials; preflights not cached (maxAge: 0). */
      let plain: Api;
      let context: BrowserContext | undefined;

      beforeAll(async () => {
        [api, plain] = await Promise.all([
          startApi(framework, {
            origins: [allowed.origin],
            credentials: true,
            maxAge: 600,
            exposedHeaders: ['RateLimit'],
          }),
          startApi(framework, { origins: [allowed.origin], maxAge: 0 }),
        ]);
      }, 60_000);
      afterAll(async () => {
        await Promise.all([api.close(), plain.close()]);
      });
      beforeEach(() => {
        api.seen.length = 0;
        plain.seen.length = 0;
      });
      afterEach(async () => {
        await context?.close();
        context = undefined;
      });

      /**
       * A page of `origin` in this test's own browser context. The page origins and the API
       * are one site (localhost), so moving the page to the other origin keeps its renderer.
       */
      async function open(origin: string): Promise<Page> {
        context ??= await browser!.newContext();
        const page = await context.newPage();
        await page.goto(`${origin}/`);
        return page;
      }

      /** The methods of the requests the server received for `path`, in order. */
      function methods(server: Api, path: string): string[] {
        return server.seen.filter((s) => s.path === path).map((s) => s.method);
      }

      describe('cors', { concurrent: false }, () => {
        it('a simple GET: the allowed page reads the JSON, the other page is refused though the server answered', async ({
          expect,
        }) => {
          const page = await open(allowed.origin);
          const read = readable(await pageFetch(page, `${api.url}/data`));
          expect(read.status).toBe(200);
          expect(read.json).toEqual(DATA);

          await page.goto(`${other.origin}/`);
          const refused = await pageFetch(page, `${api.url}/data`);
          expect(refused).toMatchObject(BLOCKED);
          // The request did reach the API (a simple request needs no preflight): the browser
          // kept the answer from the script because it carried no Access-Control-Allow-Origin.
          expect(api.seen.filter((s) => s.path === '/data').map((s) => s.origin)).toEqual([
            allowed.origin,
            other.origin,
          ]);
        });

        it('credentials: the cookie arrives and the page reads the answer only where cors allows credentials', async ({
          expect,
        }) => {
          const page = await open(allowed.origin);
          await context!.addCookies([
            { name: 'session', value: 's3cret', domain: 'localhost', path: '/' },
          ]);

          // Without credentials: 'include' a cross-origin fetch carries no cookie.
          const anonymous = readable(await pageFetch(page, `${api.url}/session`));
          expect(anonymous.json).toEqual({ cookie: null });

          const signedIn = readable(
            await pageFetch(page, `${api.url}/session`, { credentials: 'include' }),
          );
          expect(signedIn.json).toEqual({ cookie: 'session=s3cret' });

          // The API without credentials: true: the browser sends the cookie, the server
          // answers, and the answer (no Access-Control-Allow-Credentials) is kept from the script.
          const refused = await pageFetch(page, `${plain.url}/session`, { credentials: 'include' });
          expect(refused).toMatchObject(BLOCKED);
          expect(plain.seen).toContainEqual(
            expect.objectContaining({ path: '/session', cookie: 'session=s3cret' }),
          );
        });

        it('a preflighted PUT with X-Client-Version: the allowed page gets the answer, the other page never reaches the route', async ({
          expect,
        }) => {
          const page = await open(allowed.origin);
          const done = readable(await pageFetch(page, `${api.url}/items`, PUT));
          expect(done.status).toBe(200);
          expect(done.json).toEqual({ clientVersion: '2.4.1' });
          expect(methods(api, '/items')).toEqual(['OPTIONS', 'PUT']);

          api.seen.length = 0;
          await page.goto(`${other.origin}/`);
          const refused = await pageFetch(page, `${api.url}/items`, PUT);
          expect(refused).toMatchObject(BLOCKED);
          // The preflight was refused, so the browser never sent the PUT.
          expect(methods(api, '/items')).toEqual(['OPTIONS']);
        });

        it('maxAge: 600: one preflight for PUTs in a row, still cached after Chromium’s own 5 s default', async ({
          expect,
        }) => {
          const page = await open(allowed.origin);
          readable(await pageFetch(page, `${api.url}/items`, PUT));
          readable(await pageFetch(page, `${api.url}/items`, PUT));
          expect(methods(api, '/items')).toEqual(['OPTIONS', 'PUT', 'PUT']);
          // Without Access-Control-Max-Age: 600 the browser would ask again from here on.
          await new Promise((r) => setTimeout(r, CHROMIUM_DEFAULT_PREFLIGHT_CACHE_MS + 500));
          readable(await pageFetch(page, `${api.url}/items`, PUT));
          expect(methods(api, '/items')).toEqual(['OPTIONS', 'PUT', 'PUT', 'PUT']);
        });

        it('maxAge: 0: every PUT is preflighted again', async ({ expect }) => {
          const page = await open(allowed.origin);
          readable(await pageFetch(page, `${plain.url}/items`, PUT));
          readable(await pageFetch(page, `${plain.url}/items`, PUT));
          expect(methods(plain, '/items')).toEqual(['OPTIONS', 'PUT', 'OPTIONS', 'PUT']);
        });

        it('the script reads the exposed RateLimit header, and not RateLimit-Policy, which the server sent too', async ({
          expect,
        }) => {
          const page = await open(allowed.origin);
          const read = readable(
            await pageFetch(page, `${api.url}/data`, { read: ['RateLimit', 'RateLimit-Policy'] }),
          );
          expect(read.headers.RateLimit).toMatch(/;r=\d+/);
          expect(read.headers['RateLimit-Policy']).toBeNull();

          const direct = await http(`${api.direct}/data`, { headers: { Origin: allowed.origin } });
          expect(direct.headers['access-control-expose-headers']).toBe('RateLimit');
          expect(direct.headers.ratelimit).toMatch(/;r=\d+/);
          expect(direct.headers['ratelimit-policy']).toMatch(/;w=60/);
        });
      });
    },
  );
});
