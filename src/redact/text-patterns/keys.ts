/** Private key material. Sources are named per rule. */
import { isBech32 } from '../checksum.js';
import type { TextPattern } from './types.js';

/**
 * A key body: up to eight armor or encryption header lines (`Proc-Type: 4,ENCRYPTED`,
 * `DEK-Info: AES-128-CBC,…`, `Version: …`, whose values may hold `-`), then at least one
 * character up to the next `-`: in base64 that is the `-----END` line, or the end of the text
 * when that line is missing (a truncated log keeps no secret either). JSON-escaped newlines
 * (`\n`) are taken. Only bounded groups and one character-class run: V8 keeps a backtrack
 * entry per iteration of a group loop, which overflows its stack on a multi-megabyte body.
 */
const BODY = String.raw`(?:\s{0,16}[A-Za-z][A-Za-z0-9-]{0,31}:[^\r\n]{0,256}){0,8}[^-]+`;

export const KEY_PATTERNS: readonly TextPattern[] = [
  {
    // PEM private keys of any type: RSA, EC, DSA, PKCS #8, ENCRYPTED, OPENSSH (RFC 7468;
    // gitleaks private-key). The BEGIN line stays, the body goes.
    name: 'PEM private key',
    words: ['key'],
    regex: new RegExp(`(-----BEGIN[A-Z ]{0,32}PRIVATE KEY-----)${BODY}`, 'g'),
    replace: (r, _m, head = '') => head + r,
  },
  {
    // OpenPGP private key blocks (RFC 4880 §6.2, "Forming ASCII Armor").
    name: 'PGP private key block',
    words: ['key'],
    regex: new RegExp(`(-----BEGIN PGP PRIVATE KEY BLOCK-----)${BODY}`, 'g'),
    replace: (r, _m, head = '') => head + r,
  },
  {
    // age identities, X25519 and post-quantum hybrid (age-encryption.org/v1; gitleaks
    // age-secret-key): Bech32 with its BIP-173 checksum, verified here.
    name: 'age secret key (AGE-SECRET-KEY-1)',
    words: ['secret'],
    regex:
      /(?<![A-Za-z0-9-])(AGE-SECRET-KEY-(?:PQ-)?1)([QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58})(?![A-Za-z0-9])/g,
    replace: (r, match, prefix = '', data = '') => (isBech32(prefix + data) ? prefix + r : match),
  },
];
