import Router from '@koa/router';
import Koa from 'koa';
import type { Context } from 'koa';
import { cors, rateLimit, securityHeaders } from 'bulwark/koa';
import { dispatch } from '../app/dispatch.js';
import type { AppResponse } from '../app/http.js';
import { startRequest } from '../app/request-log.js';
import { routes } from '../app/routes.js';
import type { Services } from '../app/services.js';

function send(ctx: Context, r: AppResponse): void {
  ctx.status = r.status;
  ctx.set(r.headers ?? {});
  if (r.body !== undefined) ctx.body = r.body;
}

/** Mounts the framework-free routes on Koa. No logic here beyond translation. */
export function createKoaApp(services: Services, slowMs: number): Koa {
  const app = new Koa();
  app.silent = true;
  app.use(securityHeaders(services.headerOptions));
  app.use(async (ctx, next) => {
    const log = startRequest(
      services,
      slowMs,
      ctx.method,
      ctx.originalUrl,
      ctx.get('x-request-id') || undefined,
    );
    ctx.set('X-Request-Id', log.id);
    ctx.state.requestId = log.id;
    ctx.res.on('finish', () => {
      log.finish(ctx.res.statusCode);
    });
    await next();
    if (ctx.status === 404 && ctx.body === undefined)
      send(ctx, { status: 404, body: { detail: 'Not Found' } });
  });
  // After the request log (preflights are logged too), before the router: a preflight is
  // answered here, before authentication and rate limits.
  app.use(cors(services.corsOptions));
  const router = new Router();
  const agentLimit = rateLimit({
    limiter: services.agentLimiter,
    trustedProxies: services.trustedProxies,
  });
  for (const route of routes) {
    const handler = async (ctx: Context) => {
      const r = await dispatch(services, route, {
        method: ctx.method,
        path: ctx.path,
        params: (ctx as Context & { params: Record<string, string> }).params,
        headers: ctx.headers,
        remoteAddress: ctx.req.socket.remoteAddress,
        body: undefined,
        raw: ctx.req,
        requestId: String(ctx.state.requestId),
      });
      send(ctx, r);
    };
    const method = route.method.toLowerCase() as 'get' | 'post' | 'patch' | 'delete';
    if (route.kind === 'agent') router[method](route.path, agentLimit, handler);
    else router[method](route.path, handler);
  }
  app.use(router.routes());
  return app;
}
