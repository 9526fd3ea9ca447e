import express from 'express';
import type { Request, Response } from 'express';
import { cors, rateLimit, securityHeaders } from 'bulwark/express';
import { dispatch } from '../app/dispatch.js';
import type { AppResponse } from '../app/http.js';
import { startRequest } from '../app/request-log.js';
import { routes } from '../app/routes.js';
import type { Services } from '../app/services.js';

function send(res: Response, r: AppResponse): void {
  res.status(r.status);
  for (const [name, value] of Object.entries(r.headers ?? {})) res.setHeader(name, value);
  if (r.body === undefined) res.end();
  else res.json(r.body);
}

/** Mounts the framework-free routes on Express. No logic here beyond translation. */
export function createExpressApp(services: Services, slowMs: number): express.Express {
  const app = express();
  app.use(securityHeaders(services.headerOptions));
  app.use((req, res, next) => {
    const log = startRequest(
      services,
      slowMs,
      req.method,
      req.originalUrl,
      req.headers['x-request-id'],
    );
    res.setHeader('X-Request-Id', log.id);
    res.locals.requestId = log.id;
    res.on('finish', () => {
      log.finish(res.statusCode);
    });
    next();
  });
  // After the request log (preflights are logged too), before every route: a preflight is
  // answered here, before authentication and rate limits.
  app.use(cors(services.corsOptions));
  const agentLimit = rateLimit({
    limiter: services.agentLimiter,
    trustedProxies: services.trustedProxies,
  });
  for (const route of routes) {
    const method = route.method.toLowerCase() as 'get' | 'post' | 'patch' | 'delete';
    const handler = async (req: Request, res: Response) => {
      const r = await dispatch(services, route, {
        method: req.method,
        path: req.path,
        params: req.params as Record<string, string>,
        headers: req.headers,
        remoteAddress: req.socket.remoteAddress,
        body: undefined,
        raw: req,
        requestId: String(res.locals.requestId),
      });
      send(res, r);
    };
    if (route.kind === 'agent') app[method](route.path, agentLimit, handler);
    else app[method](route.path, handler);
  }
  app.use((_req, res) => {
    send(res, { status: 404, body: { detail: 'Not Found' } });
  });
  return app;
}
