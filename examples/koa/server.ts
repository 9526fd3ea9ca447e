// The quickest start with Koa: security headers on every response, thrown errors included.
// Run: npx tsx examples/koa/server.ts  (PORT to change the port, default 8000)
import Koa from 'koa';
import { securityHeaders } from 'bulwark/koa';

const app = new Koa();
app.use(securityHeaders()); // first, so 404s and thrown errors carry the headers too
app.use((ctx) => {
  if (ctx.path === '/healthz') ctx.body = { ok: true };
  else if (ctx.path === '/api/v1/hello') ctx.body = { hello: 'world' };
});

const port = Number(process.env.PORT ?? 8000);
app.listen(port, '127.0.0.1', () => {
  console.log(`bulwark koa example on http://127.0.0.1:${String(port)}`);
  console.log(`try: curl -i http://127.0.0.1:${String(port)}/api/v1/hello`);
});
