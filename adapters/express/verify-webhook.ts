import type { Request, RequestHandler } from 'express';
import { createWebhookReceiver } from 'bulwark';
import type { WebhookReceiverOptions, WebhookSecrets } from 'bulwark';
import { rejectExpress } from './reject.js';
import type { ExpressRejectOptions } from './reject.js';
import './payload-limit.js';

/** The secret, or a function of the request (per-webhook secrets, possibly looked up asynchronously). */
export type ExpressWebhookSecret =
  WebhookSecrets | ((req: Request) => WebhookSecrets | Promise<WebhookSecrets>);

/** Options for the Express `verifyWebhook` middleware: the payload limit, the verifier and `onReject`. */
export interface ExpressVerifyWebhookOptions
  extends Omit<WebhookReceiverOptions, 'secret'>, ExpressRejectOptions {
  /**
   * The secret (several while rotating), or a function of the request returning it; a
   * function returning `undefined` means "no secret for this webhook" (mission-control
   * then does not check, other schemes refuse). Default: none.
   */
  readonly secret?: ExpressWebhookSecret;
}

/**
 * Verifies a webhook delivery on its raw bytes, with the payload limit included, then
 * leaves `req.rawBody` (Buffer) and the parsed `req.body`. Mount it on the webhook route,
 * before `express.json()` (or on a router that has no JSON parser); if a parser already
 * consumed the body, the answer says so instead of a bare 403.
 */
export function verifyWebhook(options: ExpressVerifyWebhookOptions = {}): RequestHandler {
  const { onReject, secret, ...rest } = options;
  const dynamic = typeof secret === 'function' ? secret : undefined;
  const receiver = createWebhookReceiver(
    dynamic === undefined ? { ...rest, secret: secret as WebhookSecrets } : rest,
  );
  return (req, res, next) => {
    const run = async (): Promise<void> => {
      const own = dynamic === undefined ? undefined : ((await dynamic(req)) ?? []);
      const receipt = await receiver.receive(req, req.headersDistinct, own);
      if (!receipt.ok) {
        rejectExpress(receipt.error, req, res, next, onReject);
        return;
      }
      req.rawBody = receipt.rawBody;
      req.body = receipt.body;
      next();
    };
    run().catch(next);
  };
}
