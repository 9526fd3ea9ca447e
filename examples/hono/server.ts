// The quickest start with Hono on Node.js: security headers, CORS and a rate limit on every
// response, and a webhook route that accepts only deliveries signed with the secret.
// Run: npx tsx examples/hono/server.ts  (PORT to change the port, default 8000;
// WEBHOOK_SECRET for the webhook, default a demo value printed below)
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { signWebhook } from 'bulwark';
import { protect, verifyWebhook } from 'bulwark/hono';

const secret = process.env.WEBHOOK_SECRET ?? 'demo-secret-change-me';

const app = new Hono();
// First, so 404s, errors, preflights and bulwark's own 413/429 carry the headers too. On
// @hono/node-server the rate limit keys clients by the socket address; on Bun, Deno or
// Workers give it clientAddress (see docs/guide/hono.md).
app.use(
  protect({
    cors: { origins: ['http://localhost:5173'] },
    rateLimit: { limiter: { limit: 100, windowMs: 60_000 } },
  }),
);
app.get('/healthz', (c) => c.json({ ok: true }));
app.get('/api/v1/hello', (c) => c.json({ hello: 'world' }));
// The body is read, limited and verified before the handler: c.get('body') is the parsed,
// verified delivery (c.req.json() reads the same bytes).
app.post('/hooks/mission-control', verifyWebhook({ secret }), (c) =>
  c.json({ received: c.get('body') ?? null }, 202),
);

const port = Number(process.env.PORT ?? 8000);
serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () => {
  const url = `http://127.0.0.1:${String(port)}`;
  const body = '{"event":"ping"}';
  const signature = signWebhook(body, secret)['X-Webhook-Signature'] ?? '';
  console.log(`bulwark hono example on ${url}`);
  console.log(`try: curl -i ${url}/api/v1/hello`);
  console.log(
    `and: curl -i -X POST ${url}/hooks/mission-control -H 'Content-Type: application/json' -H 'X-Webhook-Signature: ${signature}' -d '${body}'`,
  );
});
