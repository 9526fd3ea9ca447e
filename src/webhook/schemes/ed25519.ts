import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

// The fixed DER headers that wrap a raw 32-byte Ed25519 key (RFC 8410): SubjectPublicKeyInfo
// for a public key, PKCS #8 for a private key's seed. Wrapping them lets node:crypto import
// raw keys as KeyObjects once, at creation.
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/** Length of an Ed25519 public key, a private seed, and a signature, in bytes. */
export const ED25519_KEY_BYTES = 32;
export const ED25519_SIGNATURE_BYTES = 64;

/** A raw 32-byte Ed25519 public key as a KeyObject; undefined when the bytes are not one. */
export function ed25519PublicKey(raw: Buffer): KeyObject | undefined {
  if (raw.length !== ED25519_KEY_BYTES) return undefined;
  try {
    return createPublicKey({
      key: Buffer.concat([SPKI_PREFIX, raw]),
      format: 'der',
      type: 'spki',
    });
  } catch {
    return undefined;
  }
}

/**
 * A private key from its 32-byte seed, or from the 64 bytes libsodium writes (seed, then
 * the public key, which must match the seed); undefined for anything else.
 */
export function ed25519PrivateKey(raw: Buffer): KeyObject | undefined {
  if (raw.length !== ED25519_KEY_BYTES && raw.length !== 2 * ED25519_KEY_BYTES) return undefined;
  let key: KeyObject;
  try {
    key = createPrivateKey({
      key: Buffer.concat([PKCS8_PREFIX, raw.subarray(0, ED25519_KEY_BYTES)]),
      format: 'der',
      type: 'pkcs8',
    });
  } catch {
    return undefined;
  }
  if (raw.length === ED25519_KEY_BYTES) return key;
  const derived = rawPublicKey(createPublicKey(key));
  return derived.equals(raw.subarray(ED25519_KEY_BYTES)) ? key : undefined;
}

/** The raw 32 bytes of an Ed25519 public key. */
export function rawPublicKey(key: KeyObject): Buffer {
  return key.export({ format: 'der', type: 'spki' }).subarray(SPKI_PREFIX.length);
}

/** True when the key is an Ed25519 key (public or private). */
export function isEd25519(key: unknown): key is KeyObject {
  return (
    typeof key === 'object' &&
    key !== null &&
    !Buffer.isBuffer(key) &&
    (key as KeyObject).asymmetricKeyType === 'ed25519'
  );
}

/** The signed message: the prefix the scheme signs before the body, then the body. */
function message(prefix: string, body: Uint8Array | string): Buffer | Uint8Array | string {
  if (prefix === '') return body;
  return typeof body === 'string'
    ? prefix + body
    : Buffer.concat([Buffer.from(prefix, 'utf8'), body]);
}

/** True when any signature verifies under `key`; every one is tried (no early exit). */
export function ed25519VerifiesAny(
  key: KeyObject,
  prefix: string,
  body: Uint8Array | string,
  signatures: readonly Buffer[],
): boolean {
  if (signatures.length === 0) return false;
  const data = message(prefix, body);
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  let hit = false;
  for (const signature of signatures) {
    if (signature.length === ED25519_SIGNATURE_BYTES && verify(null, bytes, key, signature)) {
      hit = true;
    }
  }
  return hit;
}

/** An Ed25519 signature over `prefix + body`. */
export function ed25519Sign(key: KeyObject, prefix: string, body: Uint8Array | string): Buffer {
  const data = message(prefix, body);
  return sign(null, typeof data === 'string' ? Buffer.from(data, 'utf8') : data, key);
}
