import { createRequestWebhookReceiver } from 'bulwark';
import type { RequestWebhookReceiverOptions, RequestWebhookSecret } from 'bulwark';
import { webBodyStream, webRequestTarget } from '../shared/web.js';
import { guardOf } from './guard.js';
import type { FetchGuard, Step } from './guard.js';
import { settleFetch } from './reject.js';
import type { FetchRejectOptions } from './reject.js';

/** The secret, or a function of the `Request` (per-webhook secrets, possibly looked up asynchronously). */
export type FetchWebhookSecret = RequestWebhookSecret<Request>;

/** Options for the Fetch `verifyWebhook` guard: the payload limit, the verifier and `onReject`. */
export interface FetchVerifyWebhookOptions
  extends Omit<RequestWebhookReceiverOptions<Request>, 'secret'>, FetchRejectOptions {
  /**
   * The secret (several while rotating), or a function of the `Request` returning it; a
   * function returning `undefined` means "no secret for this webhook" (mission-control
   * then does not check, other schemes refuse). Required: none given, or an empty one (an
   * unset environment variable), is a `TypeError` at creation.
   */
  readonly secret?: FetchWebhookSecret | undefined;
}

/**
 * Verifies a webhook delivery on its raw bytes, with the payload limit included, then gives
 * the bytes as the verdict's `rawBody` and the parsed value as its `body` (parsed only once
 * verified). Give the guard the request before anything else reads its body; if something
 * did, the answer is a 500 and the log says so, instead of a bare 403.
 */
export function verifyWebhook(options: FetchVerifyWebhookOptions = {}): FetchGuard {
  return guardOf([verifyStep(options)]);
}

/** The per-request work of {@link verifyWebhook}, compiled once; `protect` runs it too. */
export function verifyStep(options: FetchVerifyWebhookOptions): Step {
  const { onReject, ...rest } = options;
  const receive = createRequestWebhookReceiver<Request>(rest);
  const logger = rest.logger ?? console;
  return (pass) => {
    const { request } = pass;
    return receive(
      request,
      webBodyStream(request),
      pass.requestHeaders(),
      webRequestTarget(request),
    ).then((receipt) => settleFetch(receipt, pass, onReject, logger));
  };
}
