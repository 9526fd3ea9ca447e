import { Readable } from 'node:stream';
import fastifyCors from '@fastify/cors';
import Fastify from 'fastify';
import type { FastifyContextConfig, FastifyInstance, FastifyRequest } from 'fastify';
import { BulwarkError } from 'bulwark';
import {
  payloadLimit,
  rateLimit,
  rejectFastify,
  securityHeaders,
  verifyWebhook,
} from 'bulwark/fastify';
import { rateLimitOptions } from '../types.js';
import type { AppSpec, MiddlewareSpec, RateLimitSpec, ReplySpec, RunningApp } from '../types.js';
import { serverOptions } from './listen.js';

const fastifyHeader = (req: FastifyRequest, name: string): string | undefined => {
  const v = req.headers[name.toLowerCase()];
  return typeof v === 'string' ? v : undefined;
};
const fastifyRateLimit = (spec: RateLimitSpec) => rateLimitOptions(spec, fastifyHeader);

async function register(app: FastifyInstance, spec: MiddlewareSpec): Promise<void> {
  switch (spec.kind) {
    case 'securityHeaders':
      // A global `false` means "registered, but no headers", which is global: false here.
      await app.register(
        securityHeaders,
        spec.options === false ? { global: false } : (spec.options ?? {}),
      );
      return;
    case 'cors':
      await app.register(fastifyCors);
      return;
    case 'payloadLimit':
      await app.register(payloadLimit, spec.options ?? {});
      return;
    case 'verifyWebhook':
      await app.register(verifyWebhook, { ...spec.options, global: true });
      return;
    case 'rateLimit':
      if (spec.options !== false) await app.register(rateLimit, fastifyRateLimit(spec.options));
      return;
  }
}

/** Route-level middleware becomes route config, the Fastify way. */
function routeConfig(use: readonly MiddlewareSpec[]): FastifyContextConfig {
  const config: FastifyContextConfig = {};
  for (const m of use) {
    if (m.kind === 'securityHeaders') config.securityHeaders = m.options ?? {};
    if (m.kind === 'payloadLimit') config.payloadLimit = m.options ?? {};
    if (m.kind === 'verifyWebhook') config.verifyWebhook = m.options ?? {};
    if (m.kind === 'rateLimit')
      config.rateLimit = m.options === false ? false : fastifyRateLimit(m.options);
  }
  return config;
}

export async function startFastify(spec: AppSpec): Promise<RunningApp> {
  const app = Fastify({ logger: false, http: serverOptions(spec) });
  for (const m of spec.use) await register(app, m);
  // Route-level payloadLimit / verifyWebhook are route config: the plugin must be
  // registered once, applying only to routes that ask for it.
  const routeKinds = new Set(spec.routes.flatMap((r) => (r.use ?? []).map((m) => m.kind)));
  const globalKinds = new Set(spec.use.map((m) => m.kind));
  if (routeKinds.has('payloadLimit') && !globalKinds.has('payloadLimit'))
    await app.register(payloadLimit, { global: false });
  if (routeKinds.has('verifyWebhook') && !globalKinds.has('verifyWebhook'))
    await app.register(verifyWebhook, { global: false });
  // Route-level rate limits need the plugin; without a global one it limits only those routes.
  const routeLimits = spec.routes.some((r) => r.use?.some((m) => m.kind === 'rateLimit'));
  if (routeLimits && !spec.use.some((m) => m.kind === 'rateLimit'))
    await app.register(rateLimit, { global: false, limiter: { limit: 1, windowMs: 1000 } });
  for (const r of spec.routes) {
    const reply: ReplySpec = r.reply;
    app.route({
      method: r.method,
      url: r.path,
      config: routeConfig(r.use ?? []),
      handler: async (request, res) => {
        switch (reply.kind) {
          case 'json':
            return res.code(reply.status ?? 200).send(reply.body);
          case 'throw':
            throw Object.assign(
              new Error('route failed'),
              reply.status === undefined ? {} : { statusCode: reply.status },
            );
          case 'stream':
            return res.type('text/plain').send(Readable.from(reply.chunks));
          case 'set-header':
            return res.header(reply.name, reply.value).send(reply.body);
          case 'reject':
            await rejectFastify(new BulwarkError(reply.error), request, res, undefined);
            return res;
          case 'echo-body':
            return res
              .code(202)
              .send({ body: request.body ?? null, rawBytes: request.rawBody?.length ?? null });
        }
      },
    });
  }
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return { url: `http://127.0.0.1:${port}`, close: () => app.close() };
}
