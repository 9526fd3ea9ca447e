import type { Request, RequestHandler } from 'express';
import { createRequestWebhookReceiver } from 'bulwark';
import type { RequestWebhookReceiverOptions, RequestWebhookSecret } from 'bulwark';
import { settleExpress } from './reject.js';
import type { ExpressRejectOptions } from './reject.js';
import './payload-limit.js';
import { requestHeaders } from '../shared/node-headers.js';

/** The secret, or a function of the request (per-webhook secrets, possibly looked up asynchronously). */
export type ExpressWebhookSecret = RequestWebhookSecret<Request>;

/** Options for the Express `verifyWebhook` middleware: the payload limit, the verifier and `onReject`. */
export interface ExpressVerifyWebhookOptions
  extends Omit<RequestWebhookReceiverOptions<Request>, 'secret'>, ExpressRejectOptions {
  /**
   * The secret (several while rotating), or a function of the request returning it; a
   * function returning `undefined` means "no secret for this webhook" (mission-control
   * then does not check, other schemes refuse). Required: none given, or an empty one (an
   * unset environment variable), is a `TypeError` at creation.
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
  const { onReject, ...rest } = options;
  const receive = createRequestWebhookReceiver<Request>(rest);
  const logger = rest.logger ?? console;
  return (req, res, next) => {
    receive(req, req, requestHeaders(req), req.originalUrl).then((receipt) => {
      settleExpress(receipt, req, res, next, onReject, logger);
    }, next);
  };
}
