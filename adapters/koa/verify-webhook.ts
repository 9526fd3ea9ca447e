import type { Context, Middleware } from 'koa';
import { createWebhookReceiver } from 'bulwark';
import type { WebhookReceiverOptions, WebhookSecrets } from 'bulwark';
import { rejectKoa } from './reject.js';
import type { KoaRejectOptions } from './reject.js';
import './payload-limit.js';

/** The secret, or a function of the context (per-webhook secrets, possibly looked up asynchronously). */
export type KoaWebhookSecret =
  WebhookSecrets | ((ctx: Context) => WebhookSecrets | Promise<WebhookSecrets>);

/** Options for the Koa `verifyWebhook` middleware: the payload limit, the verifier and `onReject`. */
export interface KoaVerifyWebhookOptions
  extends Omit<WebhookReceiverOptions, 'secret'>, KoaRejectOptions {
  /**
   * The secret (several while rotating), or a function of the context returning it; a
   * function returning `undefined` means "no secret for this webhook" (mission-control
   * then does not check, other schemes refuse). Default: none.
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
  const { onReject, secret, ...rest } = options;
  const dynamic = typeof secret === 'function' ? secret : undefined;
  const receiver = createWebhookReceiver(
    dynamic === undefined ? { ...rest, secret: secret as WebhookSecrets } : rest,
  );
  return async (ctx, next) => {
    const own = dynamic === undefined ? undefined : ((await dynamic(ctx)) ?? []);
    const receipt = await receiver.receive(ctx.req, ctx.req.headersDistinct, own);
    if (!receipt.ok) {
      await rejectKoa(receipt.error, ctx, onReject);
      return;
    }
    ctx.request.rawBody = receipt.rawBody;
    ctx.request.body = receipt.body;
    await next();
  };
}
