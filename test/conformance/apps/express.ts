import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import cors from 'cors';
import express from 'express';
import type { Request, RequestHandler } from 'express';
import { BulwarkError } from 'bulwark';
import {
  payloadLimit,
  rateLimit,
  rejectExpress,
  securityHeaders,
  verifyWebhook,
} from 'bulwark/express';
import { rateLimitOptions } from '../types.js';
import type { AppSpec, MiddlewareSpec, ReplySpec, RunningApp } from '../types.js';
import { listen, serverOptions } from './listen.js';

function middleware(spec: MiddlewareSpec): RequestHandler {
  switch (spec.kind) {
    case 'securityHeaders':
      return securityHeaders(spec.options);
    case 'cors':
      return cors();
    case 'payloadLimit':
      return payloadLimit(spec.options);
    case 'verifyWebhook':
      return verifyWebhook(spec.options);
    case 'rateLimit':
      // A route-level `false` mounts nothing: Express has no global middleware to opt out of.
      if (spec.options === false)
        return (_req, _res, next) => {
          next();
        };
      return rateLimit(rateLimitOptions(spec.options, (req: Request, name) => req.get(name)));
  }
}

function handler(reply: ReplySpec): RequestHandler {
  return (req, res, next) => {
    switch (reply.kind) {
      case 'json':
        res.status(reply.status ?? 200).json(reply.body);
        return;
      case 'throw':
        throw Object.assign(
          new Error('route failed'),
          reply.status === undefined ? {} : { status: reply.status },
        );
      case 'stream':
        res.type('text/plain');
        Readable.from(reply.chunks).pipe(res);
        return;
      case 'set-header':
        res.setHeader(reply.name, reply.value);
        res.json(reply.body);
        return;
      case 'reject':
        rejectExpress(new BulwarkError(reply.error), req, res, next, undefined);
        return;
      case 'echo-body':
        res
          .status(202)
          .json({ body: (req.body as unknown) ?? null, rawBytes: req.rawBody?.length ?? null });
        return;
    }
  };
}

/** `createApp` is Express 5 by default; the suite also passes Express 4's factory. */
export async function startExpress(spec: AppSpec, createApp = express): Promise<RunningApp> {
  const app = createApp();
  for (const m of spec.use) app.use(middleware(m));
  for (const route of spec.routes) {
    const method = route.method.toLowerCase() as 'get' | 'post' | 'put' | 'delete';
    app[method](route.path, ...(route.use ?? []).map(middleware), handler(route.reply));
  }
  return listen(createServer(serverOptions(spec), app));
}

export type { AddressInfo };
