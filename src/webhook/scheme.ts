import type { BulwarkError } from '../errors.js';
import type { HeaderBag } from '../body/options.js';
import type { WebhookSchemeName } from './types.js';

/** A delivery's signature headers, parsed and decoded; nothing verified yet. */
export interface ParsedDelivery {
  /** The claimed digests, decoded to raw bytes (32 bytes each for HMAC-SHA256). */
  readonly signatures: readonly Buffer[];
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
}

/** Parsing either yields a delivery or the 403 to send, with a developer-facing reason. */
export type ParseResult =
  | { readonly ok: true; readonly delivery: ParsedDelivery }
  | { readonly ok: false; readonly error: BulwarkError; readonly reason: string };

/** What a scheme needs at signing time. */
export interface SignParts {
  readonly timestamp: number;
  readonly deliveryId: string;
}

/**
 * One signature scheme: how its headers are parsed, what bytes are signed, how a secret
 * string becomes a key, and which headers a sender attaches. Everything here is pure; the
 * verifier owns comparison, tolerance and replay.
 */
export interface WebhookScheme {
  readonly name: WebhookSchemeName;
  /** True when deliveries carry a signed timestamp (checked against the tolerance). */
  readonly hasTimestamp: boolean;
  /** True when deliveries carry a delivery id (the replay key). */
  readonly hasDeliveryId: boolean;
  /** True when "no secret configured" means "not checked" (Mission Control's rule). */
  readonly unsignedWhenNoSecret: boolean;
  /** The headers a sender attaches, for explanations and `--help`. */
  readonly expects: string;
  /** Lower-case names of every header this scheme reads. */
  readonly headerNames: readonly string[];
  /** Key bytes for a secret given as a string; throws a TypeError saying what to write. */
  keyBytes(secret: string): Buffer;
  /** Parses the signature headers; never throws. */
  parse(headers: HeaderBag, maxHeaderLength: number): ParseResult;
  /** The bytes a sender signs before the body, or '' when only the body is signed. */
  signedPrefix(delivery: { timestamp: number | undefined; deliveryId: string | undefined }): string;
  /** The headers a sender attaches for these digests (one per secret while rotating). */
  signatureHeaders(digests: readonly Buffer[], parts: SignParts): Record<string, string>;
}
