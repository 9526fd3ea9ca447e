// The quickest start with Fastify: security headers as a plugin, one route opting out.
// Run: npx tsx examples/fastify/server.ts  (PORT to change the port, default 8000)
import Fastify from 'fastify';
import { securityHeaders } from 'bulwark/fastify';

const app = Fastify({ logger: true });
await app.register(securityHeaders, { preset: 'api' });
app.get('/healthz', () => ({ ok: true }));
app.get('/api/v1/hello', () => ({ hello: 'world' }));
app.get('/embed', { config: { securityHeaders: false } }, () => ({ framed: 'allowed' }));

const port = Number(process.env.PORT ?? 8000);
await app.listen({ port, host: '127.0.0.1' });
console.log(`try: curl -i http://127.0.0.1:${String(port)}/api/v1/hello`);
