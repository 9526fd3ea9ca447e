// The quickest start over the Fetch standard, run on Node through @hono/node-server: the same
// handler runs unchanged as `export default { fetch }` on Bun or Cloudflare, or in Deno.serve.
// Run: npx tsx examples/fetch/server.ts  (PORT to change the port, default 8000;
// WEBHOOK_SECRET for the webhook route, else a random one is made for this run)
import { randomBytes } from 'node:crypto';
import { serve } from '@hono/node-server';
import type { HttpBindings } from '@hono/node-server';
import { signWebhook } from 'bulwark';
import { protect, withBulwark } from 'bulwark/fetch';

const secret = process.env.WEBHOOK_SECRET ?? randomBytes(24).toString('base64url');

// Every route: security headers and 100 requests a minute per client IP.
const guard = protect({
  securityHeaders: { preset: 'api' },
  rateLimit: { limiter: { limit: 100, windowMs: 60_000 } },
});

// The webhook route: 60 deliveries a minute per client, each verified on its raw bytes.
const onWebhook = withBulwark(
  {
    clientAddress: (_request, env: HttpBindings) => env.incoming.socket.remoteAddress,
    rateLimit: { limiter: { name: 'webhook', limit: 60, windowMs: 60_000 } },
    verifyWebhook: { secret },
  },
  (_request, { body }) => Response.json({ received: body }, { status: 202 }),
);

async function app(request: Request, env: HttpBindings): Promise<Response> {
  const { pathname } = new URL(request.url);
  if (pathname === '/webhooks' && request.method === 'POST') return onWebhook(request, env);
  const verdict = await guard(request, { clientAddress: env.incoming.socket.remoteAddress });
  if (!verdict.ok) return verdict.response;
  if (pathname === '/healthz') return verdict.finish(Response.json({ ok: true }));
  if (pathname === '/api/v1/hello') return verdict.finish(Response.json({ hello: 'world' }));
  return verdict.finish(Response.json({ detail: 'Not Found' }, { status: 404 }));
}

const port = Number(process.env.PORT ?? 8000);
serve(
  { fetch: (request, env) => app(request, env as HttpBindings), port, hostname: '127.0.0.1' },
  () => {
    const url = `http://127.0.0.1:${String(port)}`;
    const body = '{"event":"ping"}';
    const [[name, value]] = Object.entries(signWebhook(body, secret)) as [[string, string]];
    console.log(`bulwark fetch example on ${url}`);
    console.log(`try: curl -i ${url}/api/v1/hello`);
    console.log(
      `     curl -i ${url}/webhooks -H 'Content-Type: application/json' -H '${name}: ${value}' -d '${body}'`,
    );
  },
);
