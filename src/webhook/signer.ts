import { randomBytes, randomUUID } from 'node:crypto';
import { compileSecrets } from './keys.js';
import { schemeFor } from './schemes/index.js';
import { isAbsoluteUrl } from './url.js';
import type { CustomWebhookScheme } from './schemes/custom.js';
import type { WebhookSchemeName, WebhookSecrets } from './types.js';

/** Options for {@link signWebhook}. */
export interface SignWebhookOptions {
  /** The scheme to sign for: a built-in name or a custom description. Default: `'mission-control'`. */
  readonly scheme?: WebhookSchemeName | CustomWebhookScheme;
  /** The signed timestamp, in Unix seconds, for schemes that carry one. Default: now. */
  readonly timestamp?: number;
  /**
   * The delivery id, for schemes that carry one. Default: a random one in the sender's
   * style (`msg_<random>` for Standard Webhooks, a UUID for GitHub, Shopify and GitLab).
   */
  readonly deliveryId?: string;
  /** mission-control only: the header to put the signature in. Default: `X-Webhook-Signature`. */
  readonly headerName?: string;
  /**
   * twilio only: the full public URL the delivery is posted to (Twilio signs it). A body
   * that is not a form must be bound by `bodySHA256=<hex SHA-256>` in this URL's query.
   * Default: none (required for twilio).
   */
  readonly url?: string;
  /**
   * twilio only: the Content-Type the delivery is posted with; a form's parameters are
   * signed, sorted. Default: `'application/x-www-form-urlencoded'`.
   */
  readonly contentType?: string;
}

const UUID_IDS: ReadonlySet<unknown> = new Set(['github', 'shopify', 'gitlab', 'twilio']);

function defaultId(scheme: WebhookSchemeName | CustomWebhookScheme): string {
  return UUID_IDS.has(scheme) ? randomUUID() : `msg_${randomBytes(18).toString('base64url')}`;
}

/**
 * The headers a sender attaches to `body` for `scheme`. With several secrets (rotation),
 * schemes that carry several signatures (standard-webhooks, stripe) get one per secret;
 * the others are signed with the first. Standard Webhooks signs `v1a` with a `whsk_` key
 * and Discord with a hex Ed25519 seed. Throws a TypeError for a bad secret or option.
 */
export function signWebhook(
  body: Uint8Array | string,
  secret: WebhookSecrets,
  options: SignWebhookOptions = {},
): Record<string, string> {
  const name = options.scheme ?? 'mission-control';
  const scheme = schemeFor(name, options.headerName);
  const keys = compileSecrets(scheme, secret, 'sign');
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
  if (scheme.needsUrl && (typeof options.url !== 'string' || !isAbsoluteUrl(options.url))) {
    throw new TypeError(
      `bulwark: signWebhook url: ${scheme.name} signs the public URL the delivery is posted to; write url: 'https://api.example.com/sms'.`,
    );
  }
  const deliveryId = options.deliveryId ?? defaultId(name);
  return scheme.sign(scheme.signsWithEveryKey ? keys : keys.slice(0, 1), body, {
    timestamp,
    deliveryId,
    url: options.url ?? '',
    contentType: options.contentType ?? 'application/x-www-form-urlencoded',
  });
}
