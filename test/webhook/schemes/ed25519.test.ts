import { createSecretKey, createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  ed25519PrivateKey,
  ed25519PublicKey,
  ed25519Sign,
  ed25519VerifiesAny,
  isEd25519,
  rawPublicKey,
} from '../../../src/webhook/schemes/ed25519.js';

// RFC 8032 section 7.1, TEST 1 (empty message) and TEST 2 (the one byte 0x72): a raw seed,
// its raw public key and the signature, so the DER wrapping is checked against the
// specification rather than against node:crypto alone.
const RFC8032 = [
  {
    name: 'TEST 1',
    seed: '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
    publicKey: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
    message: '',
    signature:
      'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
  },
  {
    name: 'TEST 2',
    seed: '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
    publicKey: '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
    message: '72',
    signature:
      '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
  },
] as const;

/** A fresh key pair and its raw bytes, exported the way a sender's dashboard shows them. */
function pair() {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return {
    publicKey,
    privateKey,
    pub: publicKey.export({ format: 'der', type: 'spki' }).subarray(-32),
    seed: privateKey.export({ format: 'der', type: 'pkcs8' }).subarray(-32),
  };
}

function hex(text: string): Buffer {
  return Buffer.from(text, 'hex');
}

describe('ed25519PublicKey', () => {
  it.each(RFC8032)('imports the raw public key of RFC 8032 $name', (vector) => {
    const key = ed25519PublicKey(hex(vector.publicKey));
    expect(key).toBeDefined();
    if (key === undefined) return;
    expect(key.type).toBe('public');
    expect(key.asymmetricKeyType).toBe('ed25519');
    expect(rawPublicKey(key).toString('hex')).toBe(vector.publicKey);
    expect(verify(null, hex(vector.message), key, hex(vector.signature))).toBe(true);
  });

  it('imports the 32 bytes node:crypto exports, as the same key', () => {
    const { pub, privateKey } = pair();
    const key = ed25519PublicKey(pub);
    expect(key?.equals(createPublicKey(privateKey))).toBe(true);
  });

  // A key of any other length is a copy-paste accident (a truncated value, the 64-byte
  // secret key pasted as the public one); it must fail at import, not verify nothing later.
  it.each([0, 1, 31, 33, 64])('refuses %i bytes', (length) => {
    expect(ed25519PublicKey(Buffer.alloc(length, 7))).toBeUndefined();
  });
});

describe('ed25519PrivateKey', () => {
  it.each(RFC8032)('imports the seed of RFC 8032 $name and signs as the RFC says', (vector) => {
    const key = ed25519PrivateKey(hex(vector.seed));
    expect(key).toBeDefined();
    if (key === undefined) return;
    expect(key.type).toBe('private');
    expect(rawPublicKey(createPublicKey(key)).toString('hex')).toBe(vector.publicKey);
    expect(ed25519Sign(key, '', hex(vector.message)).toString('hex')).toBe(vector.signature);
  });

  it('imports a 32-byte seed as the key it was exported from', () => {
    const { seed, privateKey } = pair();
    const key = ed25519PrivateKey(seed);
    expect(key?.equals(privateKey)).toBe(true);
  });

  it("imports libsodium's 64-byte secret key (seed, then the matching public key)", () => {
    const { seed, pub, privateKey } = pair();
    const key = ed25519PrivateKey(Buffer.concat([seed, pub]));
    expect(key?.equals(privateKey)).toBe(true);
  });

  // The second half is redundant, so a mismatch means the key was corrupted or spliced
  // from two keys: signing with the seed would produce signatures the receiver, holding
  // the public key written in the second half, always refuses.
  it('refuses a 64-byte key whose second half is not the public key of its seed', () => {
    const { seed, pub } = pair();
    const other = pair();
    expect(ed25519PrivateKey(Buffer.concat([seed, other.pub]))).toBeUndefined();
    const flipped = Buffer.from(pub);
    flipped[31] = (flipped[31] ?? 0) ^ 1;
    expect(ed25519PrivateKey(Buffer.concat([seed, flipped]))).toBeUndefined();
    expect(ed25519PrivateKey(Buffer.concat([seed, Buffer.alloc(32)]))).toBeUndefined();
  });

  it.each([0, 1, 31, 33, 48, 63, 65, 96])('refuses %i bytes', (length) => {
    expect(ed25519PrivateKey(Buffer.alloc(length, 7))).toBeUndefined();
  });
});

describe('isEd25519', () => {
  it('holds for Ed25519 key objects, public and private', () => {
    const { publicKey, privateKey } = pair();
    expect(isEd25519(publicKey)).toBe(true);
    expect(isEd25519(privateKey)).toBe(true);
  });

  // An HMAC key (Buffer or secret KeyObject) must never be taken for an Ed25519 key, or a
  // scheme would try to verify a signature with the wrong kind of key.
  it('does not hold for other keys or values', () => {
    const x25519 = generateKeyPairSync('x25519');
    expect(isEd25519(x25519.publicKey)).toBe(false);
    expect(isEd25519(createSecretKey(Buffer.alloc(32, 1)))).toBe(false);
    expect(isEd25519(Buffer.alloc(32))).toBe(false);
    expect(isEd25519(null)).toBe(false);
    expect(isEd25519(undefined)).toBe(false);
    expect(isEd25519('ed25519')).toBe(false);
  });
});

describe('ed25519Sign and ed25519VerifiesAny', () => {
  const { publicKey, privateKey } = pair();
  const prefix = '1700000000';
  const body = '{"type":1,"name":"ü€"}';
  const good = sign(null, Buffer.from(prefix + body, 'utf8'), privateKey);

  it('signs prefix + body exactly as node:crypto signs the concatenation', () => {
    expect(ed25519Sign(privateKey, prefix, body)).toEqual(good);
    expect(ed25519Sign(privateKey, prefix, Buffer.from(body))).toEqual(good);
    expect(ed25519Sign(privateKey, '', prefix + body)).toEqual(good);
  });

  it('verifies a string body as its UTF-8 bytes', () => {
    expect(ed25519VerifiesAny(publicKey, prefix, body, [good])).toBe(true);
    expect(ed25519VerifiesAny(publicKey, prefix, Buffer.from(body), [good])).toBe(true);
    expect(ed25519VerifiesAny(publicKey, prefix, new Uint8Array(Buffer.from(body)), [good])).toBe(
      true,
    );
  });

  // The prefix (timestamp, delivery id) is signed with the body: changing either, or
  // dropping the prefix, must break the signature.
  it('refuses another prefix, another body, or no prefix', () => {
    expect(ed25519VerifiesAny(publicKey, '1700000001', body, [good])).toBe(false);
    expect(ed25519VerifiesAny(publicKey, prefix, `${body} `, [good])).toBe(false);
    expect(ed25519VerifiesAny(publicKey, '', body, [good])).toBe(false);
  });

  it('passes when any signature verifies, wherever it is in the list', () => {
    const wrong = Buffer.from(good);
    wrong[0] = (wrong[0] ?? 0) ^ 0x80;
    expect(ed25519VerifiesAny(publicKey, prefix, body, [wrong])).toBe(false);
    expect(ed25519VerifiesAny(publicKey, prefix, body, [wrong, good])).toBe(true);
    expect(ed25519VerifiesAny(publicKey, prefix, body, [good, wrong])).toBe(true);
  });

  it('refuses an empty list, and signatures of the wrong length without throwing', () => {
    expect(ed25519VerifiesAny(publicKey, prefix, body, [])).toBe(false);
    for (const length of [0, 32, 63, 65, 128]) {
      const odd = Buffer.alloc(length);
      good.copy(odd);
      expect(ed25519VerifiesAny(publicKey, prefix, body, [odd])).toBe(false);
    }
  });

  it("refuses another key's signature", () => {
    const other = pair();
    const forged = sign(null, Buffer.from(prefix + body), other.privateKey);
    expect(ed25519VerifiesAny(publicKey, prefix, body, [forged])).toBe(false);
  });
});
