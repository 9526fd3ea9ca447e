import type { LoggerLike } from '../log/logger-kind.js';
import type { BulwarkError } from '../errors.js';
import type { HeaderBag } from '../body/options.js';

/** The signature schemes bulwark verifies and signs. */
export type WebhookSchemeName =
  | 'mission-control'
  | 'github'
  | 'standard-webhooks'
  | 'stripe'
  | 'slack'
  | 'discord'
  | 'shopify'
  | 'twilio'
  | 'gitlab';

/** One shared secret: a string (see each scheme for how it is read) or raw key bytes. */
export type WebhookSecret = string | Uint8Array;

/**
 * The secret, or several at once while rotating: a delivery passes when it is signed with
 * any of them. `undefined` or an empty list means "no secret configured".
 */
export type WebhookSecrets = WebhookSecret | readonly WebhookSecret[] | undefined;

/** A logger for replay-store outages (pino-, winston- or console-shaped): only `warn` is called. */
export type WebhookLogger = LoggerLike;

/** What a verification concluded when the delivery is accepted. */
export interface WebhookAccepted {
  readonly ok: true;
  /** The scheme that was applied: a built-in name, or a custom scheme's `name`. */
  readonly scheme: string;
  /** False only when no secret was configured and the scheme allows that (mission-control). */
  readonly verified: boolean;
  /** The delivery id the sender gave, when the scheme carries one. */
  readonly deliveryId: string | undefined;
  /** The signed timestamp in seconds, when the scheme carries one. */
  readonly timestamp: number | undefined;
}

/** What a verification concluded when the delivery is refused. */
export interface WebhookRejected {
  readonly ok: false;
  /**
   * The rejection to send: 403 (signature; 401 for discord, which requires it), 409
   * (replay) or 503 (replay store down, `deny`).
   */
  readonly error: BulwarkError;
  /**
   * A developer-facing explanation (which header was read, what was expected). Never
   * contains a secret; meant for logs and `bulwark verify`, not for the client.
   */
  readonly reason: string;
}

/** The verdict of {@link verifyWebhook}. */
export type WebhookVerdict = WebhookAccepted | WebhookRejected;

/** The request parts a verification reads. */
export interface WebhookRequestParts {
  /** The raw body bytes exactly as received (a string is read as UTF-8). */
  readonly body: Uint8Array | string;
  /** Request headers with lower-case names, as Node gives them; a repeated header may be an array. */
  readonly headers: HeaderBag;
  /** Overrides the verifier's secret for this request (per-webhook secrets). Default: the verifier's `secret`. */
  readonly secret?: WebhookSecrets;
  /**
   * The URL the sender requested: absolute (`https://...`), or the request target
   * (`/path?query`, as the server received it) joined to the verifier's `publicUrl`.
   * Only schemes that sign the URL (twilio) read it. Default: none.
   */
  readonly url?: string;
}
