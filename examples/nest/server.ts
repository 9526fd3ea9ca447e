// The quickest start with NestJS: BulwarkModule for the whole app, decorators per route.
// Run: npx tsx --tsconfig examples/nest/tsconfig.json examples/nest/server.ts
// (PORT to change the port, default 8000; NEST_PLATFORM=fastify for @nestjs/platform-fastify)
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { AppModule } from './app.module.js';

const port = Number(process.env.PORT ?? 8000);
// rawBody: true keeps the raw bytes wherever Nest's own parser has to read first, so
// webhooks can always be verified.
const app =
  process.env.NEST_PLATFORM === 'fastify'
    ? await NestFactory.create(AppModule, new FastifyAdapter(), { rawBody: true })
    : await NestFactory.create(AppModule, { rawBody: true });
await app.listen(port, '127.0.0.1');
console.log(`bulwark nest example on http://127.0.0.1:${String(port)}`);
console.log(`try: curl -i http://127.0.0.1:${String(port)}/api/v1/hello`);
