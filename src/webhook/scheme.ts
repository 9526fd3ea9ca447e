import type { KeyObject } from 'node:crypto';
import type { BulwarkError } from '../errors.js';
import type { HeaderBag } from '../body/options.js';

/**
 * A key prepared once, at creation: raw bytes for HMAC schemes (and the digest of a plain
 * token for GitLab), an Ed25519 `KeyObject` for Discord and Standard Webhooks `v1a`.
 */
export type WebhookKey = Buffer | KeyObject;

/** What a key is prepared for: a receiver verifies, a sender signs. */
export type KeyPurpose = 'verify' | 'sign';

/**
 * A delivery's signature headers, parsed and decoded; nothing verified yet. Built only by
 * `parsedDelivery` (schemes/shared.ts), so that every scheme's deliveries share one shape.
 */
export interface ParsedDelivery {
  /**
   * The claimed digests, decoded to raw bytes (32 bytes each for HMAC-SHA256), or the
   * Ed25519 signatures for a scheme that only signs asymmetrically (Discord).
   */
  readonly signatures: readonly Buffer[];
  /** Standard Webhooks `v1a` entries: Ed25519 signatures beside the HMAC ones, or undefined. */
  readonly asymmetric: readonly Buffer[] | undefined;
  /** The signed timestamp in seconds, when the scheme has one. */
  readonly timestamp: number | undefined;
  /** The delivery id, when the scheme has one and the sender gave it. */
  readonly deliveryId: string | undefined;
  /** The header the signature was read from (for explanations). */
  readonly header: string;
  /**
   * The bytes signed before the body, built from the header text exactly as sent (a
   * timestamp with leading zeros is signed with them), or '' when only the body is signed.
   */
  readonly signedPrefix: string;
  /** The bytes signed after the body (a custom scheme's template), or '' for none. */
  readonly signedSuffix: string;
  /**
   * For schemes that sign text built from the request instead of the body (Twilio: the
   * public URL and the sorted form parameters), every candidate text; any may match.
   */
  readonly signedTexts: readonly string[] | undefined;
  /** The HMAC digest for this delivery when the sender names it (Twilio's settings header). */
  readonly algorithm: string | undefined;
}

/** Parsing either yields a delivery or the rejection to send, with a developer-facing reason. */
export type ParseResult =
  | { readonly ok: true; readonly delivery: ParsedDelivery }
  | { readonly ok: false; readonly error: BulwarkError; readonly reason: string };

/** What a scheme needs at signing time. */
export interface SignParts {
  readonly timestamp: number;
  readonly deliveryId: string;
  /** The public URL the sender posts to (Twilio signs it). */
  readonly url: string;
  /** The request's Content-Type (Twilio signs form parameters, not the body). */
  readonly contentType: string;
}

/**
 * One signature scheme: how its headers are parsed, how a secret string becomes a key,
 * how a key is checked against a delivery and how a sender signs. Everything here is
 * pure; the verifier owns tolerance and replay.
 */
export interface WebhookScheme {
  /** The scheme's name: a built-in name, or a custom scheme's own. */
  readonly name: string;
  /** True when deliveries carry a signed timestamp (checked against the tolerance). */
  readonly hasTimestamp: boolean;
  /** True when deliveries carry a delivery id (the replay key). */
  readonly hasDeliveryId: boolean;
  /** True when "no secret configured" means "not checked" (Mission Control's rule). */
  readonly unsignedWhenNoSecret: boolean;
  /** The status every signature failure answers with: 403, or 401 where a sender requires it. */
  readonly failureStatus: 401 | 403;
  /** True when parsing needs the public URL (Twilio). */
  readonly needsUrl: boolean;
  /** The headers a sender attaches, for explanations and `--help`. */
  readonly expects: string;
  /** Lower-case names of every header this scheme reads. */
  readonly headerNames: readonly string[];
  /** Several signatures per delivery while rotating (one per key) rather than one. */
  readonly signsWithEveryKey: boolean;
  /**
   * The key for a secret given as a string or bytes; throws a TypeError saying what to
   * write. Called at creation (and once per distinct per-request secret), never per request.
   */
  readonly keyFor: (secret: string | Buffer, purpose: KeyPurpose) => WebhookKey;
  /**
   * Parses the signature headers; never throws. `body` and `url` (the public URL the sender
   * requested, when known) are read only by schemes that bind them outside the HMAC of the
   * body (Twilio); they are plain arguments so that parsing allocates no context per request.
   */
  readonly parse: (
    headers: HeaderBag,
    maxHeaderLength: number,
    body: Uint8Array | string,
    url: string | undefined,
  ) => ParseResult;
  /** True when `key` signed this delivery; never throws. */
  readonly matches: (
    key: WebhookKey,
    delivery: ParsedDelivery,
    body: Uint8Array | string,
  ) => boolean;
  /** The headers a sender attaches, signed with `keys` (purpose `'sign'`). */
  readonly sign: (
    keys: readonly WebhookKey[],
    body: Uint8Array | string,
    parts: SignParts,
  ) => Record<string, string>;
}
