import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { cors, rateLimit, securityHeaders } from 'bulwark/fastify';
import { dispatch, errorResponse } from '../app/dispatch.js';
import { startRequest } from '../app/request-log.js';
import type { RequestLog } from '../app/request-log.js';
import { routes } from '../app/routes.js';
import type { Services } from '../app/services.js';

declare module 'fastify' {
  interface FastifyRequest {
    missionControlLog?: RequestLog;
  }
}

/** Mounts the framework-free routes on Fastify. No logic here beyond translation. */
export async function createFastifyApp(
  services: Services,
  slowMs: number,
): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  // Every body is read by the shared dispatcher through bulwark's bounded reader (and the
  // webhook ingest reads its own stream after its earlier checks), so Fastify parses nothing.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, _payload, done) => {
    done(null);
  });
  await app.register(securityHeaders, services.headerOptions);
  app.addHook('onRequest', (request, reply, done) => {
    const log = startRequest(
      services,
      slowMs,
      request.method,
      request.url,
      request.headers['x-request-id'],
    );
    request.missionControlLog = log;
    void reply.header('X-Request-Id', log.id);
    done();
  });
  app.addHook('onResponse', (request, reply, done) => {
    request.missionControlLog?.finish(reply.statusCode);
    done();
  });
  // After the request-log hook (preflights are logged too): a preflight is answered in
  // onRequest, before the rate limit and the handlers.
  await app.register(cors, services.corsOptions);
  await app.register(rateLimit, {
    global: false,
    limiter: services.agentLimiter,
    trustedProxies: services.trustedProxies,
  });
  for (const route of routes) {
    app.route({
      method: route.method,
      url: route.path,
      config: route.kind === 'agent' ? { rateLimit: { limiter: services.agentLimiter } } : {},
      handler: async (request, reply) => {
        const r = await dispatch(services, route, {
          method: request.method,
          path: request.url.split('?', 1)[0] ?? '/',
          params: request.params as Record<string, string>,
          headers: request.headers,
          remoteAddress: request.raw.socket.remoteAddress,
          body: undefined,
          raw: request.raw,
          requestId: request.missionControlLog?.id ?? '',
        });
        return reply
          .code(r.status)
          .headers(r.headers ?? {})
          .send(r.body);
      },
    });
  }
  app.setNotFoundHandler((_request, reply) => reply.code(404).send({ detail: 'Not Found' }));
  app.setErrorHandler((error, request, reply) => {
    const r = errorResponse(
      services,
      { requestId: request.missionControlLog?.id ?? '', path: request.url } as never,
      error,
    );
    return reply
      .code(r.status)
      .headers(r.headers ?? {})
      .send(r.body);
  });
  return app;
}
