import type { Context, MiddlewareHandler } from 'hono';
import { createRequestWebhookReceiver } from 'bulwark';
import type { RequestWebhookReceiverOptions, RequestWebhookSecret } from 'bulwark';
import { webRequestHeaders } from '../shared/web.js';
import { webRequestTarget } from '../shared/web.js';
import { bodyStream } from './context.js';
import { settleHono } from './reject.js';
import type { HonoRejectOptions } from './reject.js';

/** The secret, or a function of the context (per-webhook secrets, possibly looked up asynchronously). */
export type HonoWebhookSecret = RequestWebhookSecret<Context>;

/** Options for the Hono `verifyWebhook` middleware: the payload limit, the verifier and `onReject`. */
export interface HonoVerifyWebhookOptions
  extends Omit<RequestWebhookReceiverOptions<Context>, 'secret'>, HonoRejectOptions {
  /**
   * The secret (several while rotating), or a function of the context returning it; a
   * function returning `undefined` means "no secret for this webhook" (mission-control
   * then does not check, other schemes refuse). Required: none given, or an empty one (an
   * unset environment variable), is a `TypeError` at creation.
   */
  readonly secret?: HonoWebhookSecret;
}

/**
 * Verifies a webhook delivery on its raw bytes, with the payload limit included, then
 * leaves `c.get('rawBody')` (Buffer) and the parsed `c.get('body')`; `c.req.json()`,
 * `c.req.parseBody()` and the other `c.req` body readers read the verified bytes. Mount it
 * on the webhook route before any validator; if something already read the body, the
 * answer says so (500, logged once) instead of a bare 403.
 */
export function verifyWebhook(options: HonoVerifyWebhookOptions = {}): MiddlewareHandler {
  const { onReject, ...rest } = options;
  const receive = createRequestWebhookReceiver<Context>(rest);
  const logger = rest.logger ?? console;
  return async (c, next) => {
    const request = c.req.raw;
    const receipt = await receive(
      c,
      bodyStream(c),
      webRequestHeaders(request.headers),
      webRequestTarget(request),
    );
    return settleHono(receipt, c, next, onReject, logger);
  };
}
