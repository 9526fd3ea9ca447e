import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { compileSecrets } from './keys.js';
import { schemeFor } from './schemes/index.js';
import type { WebhookSchemeName, WebhookSecrets } from './types.js';

/** Options for {@link signWebhook}. */
export interface SignWebhookOptions {
  /** The scheme to sign for. Default: `'mission-control'`. */
  readonly scheme?: WebhookSchemeName;
  /** The signed timestamp, in Unix seconds, for schemes that carry one. Default: now. */
  readonly timestamp?: number;
  /**
   * The delivery id, for schemes that carry one. Default: a random one in the sender's
   * style (`msg_<random>` for Standard Webhooks, a UUID for GitHub).
   */
  readonly deliveryId?: string;
  /** mission-control only: the header to put the signature in. Default: `X-Webhook-Signature`. */
  readonly headerName?: string;
}

function defaultId(scheme: WebhookSchemeName): string {
  return scheme === 'github' ? randomUUID() : `msg_${randomBytes(18).toString('base64url')}`;
}

/**
 * The headers a sender attaches to `body` for `scheme`. With several secrets (rotation),
 * schemes that carry several signatures (standard-webhooks, stripe) get one per secret;
 * the others are signed with the first. Throws a TypeError for a bad secret or option.
 */
export function signWebhook(
  body: Uint8Array | string,
  secret: WebhookSecrets,
  options: SignWebhookOptions = {},
): Record<string, string> {
  const name = options.scheme ?? 'mission-control';
  const scheme = schemeFor(name, options.headerName);
  const keys = compileSecrets(scheme, secret);
  if (keys.length === 0) {
    throw new TypeError(
      'bulwark: signWebhook: no secret was given; pass the secret the receiver verifies with.',
    );
  }
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw new TypeError(
      `bulwark: signWebhook timestamp: ${String(timestamp)} is not whole Unix seconds; write Math.floor(Date.now() / 1000).`,
    );
  }
  const deliveryId = options.deliveryId ?? defaultId(name);
  const prefix = scheme.signedPrefix({ timestamp, deliveryId });
  const several = name === 'standard-webhooks' || name === 'stripe';
  const digests = (several ? keys : keys.slice(0, 1)).map((key) => {
    const hmac = createHmac('sha256', key);
    if (prefix !== '') hmac.update(prefix);
    return hmac.update(body).digest();
  });
  return scheme.signatureHeaders(digests, { timestamp, deliveryId });
}
