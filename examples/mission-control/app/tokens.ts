import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { randomToken } from './ids.js';

/**
 * Agent tokens are `mca_<id>_<secret>`. Only scrypt(token) is stored, keyed by `<id>`, so a
 * presented token is looked up in O(1) and hashed once, instead of being hashed against every
 * agent's hash in turn (Mission Control's slow path, which its tracker asked to replace).
 */
const PREFIX = 'mca_';
const KEY_LENGTH = 32;
// N=2^14 is scrypt's interactive-login cost; r=8, p=1 as RFC 7914 recommends.
const SCRYPT = { N: 16_384, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

function derive(token: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(token, salt, KEY_LENGTH, SCRYPT, (error, key) => {
      if (error) reject(error);
      else resolve(key);
    });
  });
}

export interface IssuedToken {
  readonly token: string;
  readonly tokenId: string;
  readonly hash: Buffer;
  readonly salt: Buffer;
}

export async function issueAgentToken(): Promise<IssuedToken> {
  const tokenId = randomToken(6).replace(/[-_]/g, 'x');
  const token = `${PREFIX}${tokenId}_${randomToken(24)}`;
  const salt = randomBytes(16);
  return { token, tokenId, hash: await derive(token, salt), salt };
}

/** The lookup id inside a presented token, or undefined when it is not shaped like one. */
export function tokenIdOf(token: string): string | undefined {
  const m = /^mca_([A-Za-z0-9]{8})_[A-Za-z0-9_-]{32}$/.exec(token);
  return m?.[1];
}

export async function tokenMatches(token: string, hash: Buffer, salt: Buffer): Promise<boolean> {
  const derived = await derive(token, salt);
  return timingSafeEqual(derived, hash);
}
