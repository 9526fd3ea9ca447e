/**
 * The Next.js App Router route-handler wrapper, tested with the objects Next.js hands a
 * route handler: a `Request` (Next's `NextRequest` extends it; modelled below by a subclass
 * with `nextUrl`) and a context whose `params` is a promise (Next.js 15 and later).
 *
 * A real Next.js app is not part of this suite: Next.js 16 needs react and react-dom as
 * peers and compiles the app (`next build`) before it serves one route, which costs minutes
 * of CI on every run for what this file checks directly: a route handler is a function
 * from a Request (and context) to a Response, and nothing else of Next.js reaches bulwark.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { signWebhook } from 'bulwark';
import { withBulwark } from 'bulwark/fetch';
import { captureLog } from '../../helpers/log-capture.js';

/** The part of `NextRequest` a handler reads beyond `Request`. */
class NextLikeRequest extends Request {
  readonly nextUrl: URL;
  constructor(input: string, init?: RequestInit) {
    super(input, init);
    this.nextUrl = new URL(input);
  }
}

interface RouteContext<P> {
  params: Promise<P>;
}

const BODY = JSON.stringify({ action: 'opened', number: 7 });
const SECRET = 'github-webhook-secret';

// As app/api/webhooks/[id]/route.ts would export it.
const POST = withBulwark(
  {
    verifyWebhook: { scheme: 'github', secret: SECRET },
    rateLimit: {
      limiter: { limit: 2, windowMs: 60_000 },
      key: (request) => request.headers.get('x-github-hook-id') ?? 'unknown-hook',
    },
  },
  async (request: NextLikeRequest, { body }, { params }: RouteContext<{ id: string }>) => {
    const { id } = await params;
    return Response.json({ id, path: request.nextUrl.pathname, body }, { status: 202 });
  },
);

const delivery = (headers: Record<string, string>) =>
  new NextLikeRequest('https://app.example.com/api/webhooks/42', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-GitHub-Hook-ID': '9', ...headers },
    body: BODY,
  });
const context = { params: Promise.resolve({ id: '42' }) };

describe('withBulwark as a Next.js route handler', () => {
  it('keeps the route handler signature Next.js checks', () => {
    expectTypeOf(POST).parameters.toEqualTypeOf<[NextLikeRequest, RouteContext<{ id: string }>]>();
    expectTypeOf(POST).returns.toEqualTypeOf<Promise<Response>>();
  });

  it('verifies the delivery, then runs the handler with the body and the awaited params', async () => {
    const res = await POST(delivery(signWebhook(BODY, SECRET, { scheme: 'github' })), context);
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({
      id: '42',
      path: '/api/webhooks/42',
      body: { action: 'opened', number: 7 },
    });
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('ratelimit')).toMatch(/;r=1;/);
  });

  it('refuses a forged delivery before the handler, with the headers on the refusal', async () => {
    const res = await POST(delivery(signWebhook(BODY, 'guess', { scheme: 'github' })), context);
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ detail: 'Invalid webhook signature.' });
    expect(res.headers.get('x-frame-options')).toBe('DENY');
  });

  it('refuses with 500 and the misuse line when a rate limit has neither an address nor a key', async () => {
    const log = captureLog();
    const GET = withBulwark(
      { rateLimit: { limiter: { limit: 5, windowMs: 60_000 }, logger: log.logger } },
      () => Response.json({ ok: true }),
    );
    const res = await GET(new Request('https://app.example.com/api/items'));
    expect(res.status).toBe(500);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(log.misuse()).toHaveLength(1);
    expect(log.misuse()[0]).toContain('misuse.client_address');
  });

  it('keys by the forwarded client when the proxy in front is the only way in', async () => {
    // The app is reachable only through the proxy at 10.0.0.2, so that is the peer of every
    // request; the proxy overwrites X-Forwarded-For's last hop with the client it saw.
    const GET = withBulwark(
      {
        clientAddress: () => '10.0.0.2',
        rateLimit: {
          limiter: { limit: 1, windowMs: 60_000 },
          trustedProxies: ['10.0.0.2'],
          proxyHeader: 'x-forwarded-for',
        },
      },
      () => Response.json({ ok: true }),
    );
    const from = (xff: string) =>
      GET(
        new Request('https://app.example.com/api/items', { headers: { 'X-Forwarded-For': xff } }),
      );
    expect((await from('203.0.113.1')).status).toBe(200);
    expect((await from('203.0.113.2')).status).toBe(200);
    // A client that writes its own X-Forwarded-For still ends with the address the proxy saw.
    expect((await from('198.51.100.77, 203.0.113.1')).status).toBe(429);
  });
});
