// The quickest start with Express: security headers on every response.
// Run: npx tsx examples/express/server.ts  (PORT to change the port, default 8000)
import express from 'express';
import { securityHeaders } from 'bulwark/express';

const app = express();
app.use(securityHeaders()); // first, so 404s, errors and preflights carry the headers too
app.get('/healthz', (_req, res) => res.json({ ok: true }));
app.get('/api/v1/hello', (_req, res) => res.json({ hello: 'world' }));

const port = Number(process.env.PORT ?? 8000);
app.listen(port, '127.0.0.1', () => {
  console.log(`bulwark express example on http://127.0.0.1:${String(port)}`);
  console.log(`try: curl -i http://127.0.0.1:${String(port)}/api/v1/hello`);
});
