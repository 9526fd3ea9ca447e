import type { Readable } from 'node:stream';
import type { HeaderBag } from '../body/options.js';
import { createWebhookReceiver } from './receiver.js';
import type { WebhookReceipt, WebhookReceiverOptions } from './receiver.js';
import type { WebhookSecrets } from './types.js';

/**
 * A webhook secret as the adapters take it: fixed, or a function of the framework's request
 * (per-webhook secrets looked up by id, possibly asynchronously). `undefined` from the
 * function means "no secret for this webhook".
 */
export type RequestWebhookSecret<Req> =
  | WebhookSecrets
  | ((request: Req) => WebhookSecrets | undefined | Promise<WebhookSecrets | undefined>);

/** {@link WebhookReceiverOptions} with a secret that may depend on the request. */
export interface RequestWebhookReceiverOptions<Req> extends Omit<WebhookReceiverOptions, 'secret'> {
  /** The secret (several while rotating), or a function of the request. Default: none. */
  readonly secret?: RequestWebhookSecret<Req> | undefined;
}

/** Receives one delivery: the framework request (for the secret), its body stream and headers. */
export type RequestWebhookReceiver<Req> = (
  request: Req,
  stream: Readable,
  headers: HeaderBag,
) => Promise<WebhookReceipt>;

/**
 * The webhook receiver every adapter uses. A fixed secret is decoded once, here; a
 * function secret is called per request and its keys decoded then.
 */
export function createRequestWebhookReceiver<Req>(
  options: RequestWebhookReceiverOptions<Req>,
): RequestWebhookReceiver<Req> {
  const { secret, ...rest } = options;
  if (typeof secret !== 'function') {
    const receiver = createWebhookReceiver(secret === undefined ? rest : { ...rest, secret });
    return (_request, stream, headers) => receiver.receive(stream, headers);
  }
  const receiver = createWebhookReceiver(rest);
  return async (request, stream, headers) =>
    receiver.receive(stream, headers, (await secret(request)) ?? []);
}
