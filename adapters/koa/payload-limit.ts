import type { Middleware } from 'koa';
import { createBodyReceiver } from 'bulwark';
import type { PayloadLimitOptions } from 'bulwark';
import { settleKoa } from './reject.js';
import type { KoaRejectOptions } from './reject.js';
import { requestHeaders } from '../shared/node-headers.js';

declare module 'koa' {
  interface Request {
    /** The raw request body, set by bulwark's `payloadLimit` and `verifyWebhook`. */
    rawBody?: Buffer;
    /** The parsed request body, set by bulwark's `payloadLimit` and `verifyWebhook`. */
    body?: unknown;
  }
}

/** Options for the Koa `payloadLimit` middleware. */
export interface KoaPayloadLimitOptions extends PayloadLimitOptions, KoaRejectOptions {}

/**
 * Reads the body under the limit (413 with Mission Control's detail), rejects the request-
 * smuggling framings (400) and encoded bodies (415 unless `inflate`), then leaves
 * `ctx.request.rawBody` (Buffer) and the parsed `ctx.request.body`. Use it instead of
 * koa-bodyparser on the routes it guards (a body parser mounted first leaves nothing to read).
 */
export function payloadLimit(options: KoaPayloadLimitOptions = {}): Middleware {
  const { onReject, ...rest } = options;
  const receiver = createBodyReceiver(rest);
  const logger = rest.logger ?? console;
  return async (ctx, next) => {
    const receipt = await receiver.receive(ctx.req, requestHeaders(ctx.req));
    if (await settleKoa(receipt, ctx, onReject, logger)) await next();
  };
}
