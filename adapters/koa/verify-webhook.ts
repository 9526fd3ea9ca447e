import type { Context, Middleware } from 'koa';
import { createRequestWebhookReceiver } from 'bulwark';
import type { RequestWebhookReceiverOptions, RequestWebhookSecret } from 'bulwark';
import { settleKoa } from './reject.js';
import type { KoaRejectOptions } from './reject.js';
import './payload-limit.js';
import { requestHeaders } from '../shared/node-headers.js';

/** The secret, or a function of the context (per-webhook secrets, possibly looked up asynchronously). */
export type KoaWebhookSecret = RequestWebhookSecret<Context>;

/** Options for the Koa `verifyWebhook` middleware: the payload limit, the verifier and `onReject`. */
export interface KoaVerifyWebhookOptions
  extends Omit<RequestWebhookReceiverOptions<Context>, 'secret'>, KoaRejectOptions {
  /**
   * The secret (several while rotating), or a function of the context returning it; a
   * function returning `undefined` means "no secret for this webhook" (mission-control
   * then does not check, other schemes refuse). Required: none given, or an empty one (an
   * unset environment variable), is a `TypeError` at creation.
   */
  readonly secret?: KoaWebhookSecret;
}

/**
 * Verifies a webhook delivery on its raw bytes, with the payload limit included, then
 * leaves `ctx.request.rawBody` (Buffer) and the parsed `ctx.request.body`. Mount it on the
 * webhook route before any body parser (koa-bodyparser, @koa/bodyparser); if one already
 * consumed the body, the answer says so instead of a bare 403.
 */
export function verifyWebhook(options: KoaVerifyWebhookOptions = {}): Middleware {
  const { onReject, ...rest } = options;
  const receive = createRequestWebhookReceiver<Context>(rest);
  const logger = rest.logger ?? console;
  return async (ctx, next) => {
    const receipt = await receive(ctx, ctx.req, requestHeaders(ctx.req), ctx.originalUrl);
    if (await settleKoa(receipt, ctx, onReject, logger)) await next();
  };
}
