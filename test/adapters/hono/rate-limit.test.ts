import { Hono } from 'hono';
import type { Context } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import { rateLimitSlot } from 'bulwark';
import { rateLimit } from 'bulwark/hono';
import { http } from '../../helpers/http.js';
import { captureLog } from '../../helpers/log-capture.js';
import type { WatchedServer } from '../../helpers/serve.js';
import { serveHono } from './serve.js';

const oncePerMinute = { limit: 1, windowMs: 60_000, algorithm: 'fixed-window' } as const;

let server: WatchedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('Hono rateLimit', () => {
  it("counts by the node-server socket peer (c.env.incoming) and sets the fields on a handler's own Response", async () => {
    const app = new Hono();
    app.use(rateLimit({ limiter: { name: 'peer', ...oncePerMinute } }));
    app.get('/', () => new Response('raw'));
    server = await serveHono(app);
    const first = await http(`${server.url}/`);
    expect(first.status).toBe(200);
    expect(first.text).toBe('raw');
    expect(first.headers.ratelimit).toBe('"peer";r=0;t=60');
    const second = await http(`${server.url}/`);
    expect(second.status).toBe(429);
    expect(JSON.parse(second.text)).toEqual({ detail: 'Too Many Requests' });
    expect(second.headers['retry-after']).toBe('60');
  });

  it('refuses with 500 where the runtime gives no address, and logs the wiring once', async () => {
    const log = captureLog();
    const app = new Hono();
    app.use(rateLimit({ limiter: { name: 'nowhere', ...oncePerMinute }, logger: log.logger }));
    app.get('/', (c) => c.json({ ok: true }));
    // app.request() hands Hono a bare Request, as Bun, Deno and Workers do: no peer in it.
    for (let i = 0; i < 2; i++) {
      const res = await app.request('/');
      expect(res.status).toBe(500);
      expect(await res.json()).toEqual({
        detail: 'The client address could not be determined; see the server log.',
      });
    }
    expect(log.misuse()).toHaveLength(1);
    expect(log.misuse()[0]).toMatch(
      /^error: misuse\.client_address: .*bulwark\/hono: clientAddress: \(c\) => \.\.\./,
    );
  });

  it('counts by the address clientAddress returns (a Workers-style header here)', async () => {
    const app = new Hono();
    app.use(
      rateLimit({
        limiter: { name: 'edge', ...oncePerMinute },
        clientAddress: (c: Context) => c.req.header('cf-connecting-ip'),
      }),
    );
    app.get('/', (c) => c.json({ ok: true }));
    const from = (ip: string) => app.request('/', { headers: { 'CF-Connecting-IP': ip } });
    expect((await from('203.0.113.1')).status).toBe(200);
    expect((await from('203.0.113.1')).status).toBe(429);
    expect((await from('203.0.113.2')).status).toBe(200);
  });

  it('refuses when clientAddress returns something that is not an address', async () => {
    const log = captureLog();
    const app = new Hono();
    app.use(
      rateLimit({
        limiter: { name: 'object', ...oncePerMinute },
        logger: log.logger,
        // getConnInfo(c).remote instead of getConnInfo(c).remote.address.
        clientAddress: () => ({ address: '203.0.113.1' }) as unknown as string,
      }),
    );
    app.get('/', (c) => c.json({ ok: true }));
    expect((await app.request('/')).status).toBe(500);
    expect(log.misuse()).toHaveLength(1);
  });

  it('needs no address with a key', async () => {
    const app = new Hono();
    app.use(
      rateLimit({
        limiter: { name: 'keyed', ...oncePerMinute },
        key: (c) => c.req.header('x-api-key') ?? 'anonymous',
      }),
    );
    app.get('/', (c) => c.json({ ok: true }));
    const send = () => app.request('/', { headers: { 'X-Api-Key': 'k1' } });
    expect((await send()).status).toBe(200);
    expect((await send()).status).toBe(429);
  });

  it('refuses a clientAddress that is not a function at creation', () => {
    expect(() =>
      rateLimit({
        limiter: oncePerMinute,
        clientAddress: 'cf-connecting-ip' as unknown as () => string,
      }),
    ).toThrow(/clientAddress: not a function; write clientAddress: \(c\) =>/);
  });
  it("notes a count as a property of node-server's request (a slot on its own prototype), never on the standard Request.prototype, and counts a twice-mounted limit once either way", async () => {
    const limit = rateLimit({ limiter: { name: 'slot', ...oncePerMinute, limit: 2 } });
    const app = new Hono();
    let own: boolean | undefined;
    app.use(limit);
    app.get('/', limit, (c) => {
      own = Object.getOwnPropertySymbols(c.req.raw).includes(rateLimitSlot);
      return c.text('ok');
    });
    server = await serveHono(app);
    const first = await http(`${server.url}/`);
    expect(first.status).toBe(200);
    // Mounted app-wide and on the route: counted once, so one of two is left.
    expect(first.headers.ratelimit).toBe('"slot";r=1;t=60');
    expect(own).toBe(true);
    expect(rateLimitSlot in Request.prototype).toBe(false);

    // A standard Request (app.request(), as Bun, Deno and Workers hand one): the WeakMap.
    const keyed = rateLimit({
      limiter: { name: 'standard', ...oncePerMinute, limit: 2 },
      key: () => 'k',
    });
    const bare = new Hono();
    bare.use(keyed);
    bare.get('/', keyed, (c) => {
      own = Object.getOwnPropertySymbols(c.req.raw).includes(rateLimitSlot);
      return c.text('ok');
    });
    const res = await bare.request('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('ratelimit')).toBe('"standard";r=1;t=60');
    expect(own).toBe(false);
    expect(rateLimitSlot in Request.prototype).toBe(false);
  });
});
