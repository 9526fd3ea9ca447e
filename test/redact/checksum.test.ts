import { describe, expect, it } from 'vitest';
import { redactText } from 'bulwark';
import {
  crc32,
  crc32LittleEndianHex,
  hasBase62Crc32,
  isBech32,
  toBase62,
} from '../../src/redact/checksum.js';
import {
  ageKey,
  ALNUM,
  base62Token,
  BECH32,
  body,
  breakLast,
  grafanaToken,
} from '../fixtures/tokens.js';

/**
 * GitHub tokens with valid checksums, from the test data of Datadog's Sensitive Data Scanner
 * (dd-sensitive-data-scanner, sds/src/secondary_validation/github_token_checksum.rs).
 */
const PUBLISHED_GITHUB = [
  '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',
  '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',
  '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',
  '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',
];

describe('crc32', () => {
  it('matches the standard check value and zlib', () => {
    expect(crc32('')).toBe(0);
    // The CRC-32/ISO-HDLC check value (the CRC catalogue's "123456789" test).
    expect(crc32('123456789')).toBe(0xcbf43926);
    // Computed independently: python3 -c 'import zlib; print(zlib.crc32(b"..."))'.
    expect(crc32('M7H4jxUDDWHP4kZ6A4dxlQYsQIWJuq')).toBe(937837982);
    expect(crc32('abcdefghijklmnopqrstuvwxyz0123')).toBe(2154666580);
  });
});

describe('base62 CRC-32 (GitHub and npm tokens)', () => {
  it('encodes in the digits-upper-lower alphabet, zero-padded', () => {
    expect(toBase62(0, 6)).toBe('000000');
    expect(toBase62(61, 1)).toBe('z');
    expect(toBase62(62, 2)).toBe('10');
    expect(toBase62(937837982, 6)).toBe('11T4V4');
    expect(toBase62(0xffffffff, 6)).toBe('4gfFC3');
  });

  it('accepts published GitHub tokens and rejects a changed last character', () => {
    for (const token of PUBLISHED_GITHUB) {
      expect(hasBase62Crc32(token.slice(4))).toBe(true);
      expect(redactText(`t ${token} t`)).toBe('t ghp_[REDACTED] t');
    }
    const bad = 'ghp_M7H4jxUDDWHP4kZ6A4dxlQYsQIWJuq11T4V3';
    expect(hasBase62Crc32(bad.slice(4))).toBe(false);
    expect(redactText(`t ${bad} t`)).toBe(`t ${bad} t`);
  });

  it('accepts a checksum that needs zero padding (published vector)', () => {
    expect(hasBase62Crc32('QdwULL38u41vs1OcAjhKqcaSZ9W63r0Zu4ln')).toBe(true);
  });

  it('agrees with an npm vector computed independently', () => {
    // python3: zlib.crc32(b"abcdefghijklmnopqrstuvwxyz0123") = 2154666580 = base62 "2LolCm"
    expect(base62Token('npm_', 'abcdefghijklmnopqrstuvwxyz0123')).toBe(
      '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',
    );
    expect(redactText('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')).toBe('npm_[REDACTED]');
    expect(redactText('npm_abcdefghijklmnopqrstuvwxyz01232LolCn')).toBe(
      'npm_abcdefghijklmnopqrstuvwxyz01232LolCn',
    );
  });

  it('is self-consistent: every generated token verifies, every altered one fails', () => {
    for (let seed = 1; seed < 200; seed++) {
      const token = base62Token('ghp_', body(ALNUM, 30, '', seed));
      expect(hasBase62Crc32(token.slice(4))).toBe(true);
      expect(hasBase62Crc32(breakLast(token, ALNUM).slice(4))).toBe(false);
    }
    expect(hasBase62Crc32('short')).toBe(false);
  });
});

describe('Grafana service account checksum', () => {
  it("accepts Grafana's own test vector", () => {
    // grafana/grafana pkg/components/satokengen/tokengen_test.go
    const published = 'glsa_iNValIdinValiDinvalidinvalidinva_5b582697';
    expect(crc32LittleEndianHex('glsa_iNValIdinValiDinvalidinvalidinva')).toBe('5b582697');
    expect(grafanaToken('iNValIdinValiDinvalidinvalidinva')).toBe(published);
    expect(redactText(published)).toBe('glsa_[REDACTED]');
    expect(redactText(published.replace(/7$/, '8'))).toBe(published.replace(/7$/, '8'));
  });
});

describe('Bech32 (age identities)', () => {
  // The age specification's example identity (32 bytes of 0x42) and its post-quantum
  // hybrid example (age-encryption.org/v1, C2SP age.md).
  const SPEC = 'AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX';
  const SPEC_PQ = 'AGE-SECRET-KEY-PQ-1XX76JRALNLXDMEW0CRK45QMCCH4X06SE84UN3VPM33W6HWDX0H3SK3ZQFR';

  it('accepts the spec examples and BIP-173 valid vectors', () => {
    expect(isBech32(SPEC)).toBe(true);
    expect(isBech32(SPEC_PQ)).toBe(true);
    expect(isBech32('A12UEL5L')).toBe(true);
    expect(isBech32('abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw')).toBe(true);
    expect(redactText(SPEC)).toBe('AGE-SECRET-KEY-1[REDACTED]');
    expect(redactText(SPEC_PQ)).toBe('AGE-SECRET-KEY-PQ-1[REDACTED]');
  });

  it('rejects a wrong checksum, a bad character and a missing separator', () => {
    expect(isBech32(breakLast(SPEC, BECH32))).toBe(false);
    expect(isBech32('A12UEL5B')).toBe(false);
    expect(isBech32('a1b2c3d4e5')).toBe(false);
    expect(isBech32('qpzry9x8gf2tvdw0s3jn54')).toBe(false);
    expect(redactText(breakLast(SPEC, BECH32))).toBe(breakLast(SPEC, BECH32));
  });

  it('agrees with the independent encoder of the test fixtures', () => {
    expect(ageKey('GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ')).toBe(SPEC);
    for (let seed = 1; seed < 50; seed++) {
      expect(isBech32(ageKey(body(BECH32, 52, '', seed)))).toBe(true);
    }
  });
});
