import type { Readable } from 'node:stream';
import { parseBody } from '../body/parse.js';
import { asReceipt, checkParseMode, contentTypeOf } from '../body/receiver.js';
import type { BodyReceipt, PayloadLimitOptions } from '../body/receiver.js';
import { createBodyReader } from '../body/read.js';
import type { HeaderBag } from '../body/options.js';
import { createWebhookVerifier } from './verifier.js';
import type { WebhookVerifier, WebhookVerifierOptions } from './verifier.js';
import type { WebhookAccepted, WebhookSecrets } from './types.js';

/** Options for the `verifyWebhook` middleware of each adapter: the payload limit plus the verifier. */
export interface WebhookReceiverOptions extends PayloadLimitOptions, WebhookVerifierOptions {}

/** A received webhook: bytes, parsed body and verdict, or the rejection. */
export type WebhookReceipt =
  | (BodyReceipt & { readonly ok: true; readonly verdict: WebhookAccepted })
  | (BodyReceipt & { readonly ok: false });

/** Limits, verifies and parses webhook deliveries, in that order. */
export interface WebhookReceiver {
  readonly verifier: WebhookVerifier;
  /**
   * Reads, verifies and parses one delivery. `secret` overrides the verifier's for this
   * delivery; `url` is the request target or absolute URL (schemes that sign the URL).
   */
  receive(
    stream: Readable,
    headers: HeaderBag,
    secret?: WebhookSecrets,
    url?: string,
  ): Promise<WebhookReceipt>;
}

/**
 * The whole webhook decision for adapters: read the body under the payload limit, verify
 * the signature (and replay) on the raw bytes, and only then parse it, so unverified
 * input never reaches a JSON parser. Client-caused failures resolve as `{ ok: false }`.
 */
export function createWebhookReceiver(options: WebhookReceiverOptions = {}): WebhookReceiver {
  const { parseAs = 'auto', limit, inflate, timeoutMs, ...verifierOptions } = options;
  const mode = checkParseMode(parseAs);
  const read = createBodyReader({
    ...(limit === undefined ? {} : { limit }),
    ...(inflate === undefined ? {} : { inflate }),
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  });
  const verifier = createWebhookVerifier(verifierOptions);
  return {
    verifier,
    async receive(stream, headers, secret, url) {
      try {
        const rawBody = await read(stream, headers);
        const verdict = await verifier.verify(
          secret === undefined && url === undefined
            ? { body: rawBody, headers }
            : {
                body: rawBody,
                headers,
                ...(secret === undefined ? {} : { secret }),
                ...(url === undefined ? {} : { url }),
              },
        );
        if (!verdict.ok) return { ok: false, error: verdict.error };
        return {
          ok: true,
          rawBody,
          body: parseBody(rawBody, contentTypeOf(headers), mode),
          verdict,
        };
      } catch (error: unknown) {
        return asReceipt(error);
      }
    },
  };
}
