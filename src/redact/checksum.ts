/**
 * The checksums some credential formats carry, so a candidate can be told from a look-alike
 * without asking the issuer. Written here rather than taken from `node:zlib`, whose `crc32`
 * needs Node 22.2 while the package supports Node 20.
 */

/** CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320): the one zlib, Go and GitHub use. */
const CRC_TABLE: Uint32Array = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/**
 * The CRC-32 of an ASCII string (each character taken as one byte), as an unsigned integer.
 * Credential bodies are ASCII by their patterns, so no UTF-8 encoding step is needed.
 */
export function crc32(ascii: string): number {
  let crc = 0xffffffff;
  for (let i = 0; i < ascii.length; i++) {
    crc = (crc >>> 8) ^ (CRC_TABLE[(crc ^ ascii.charCodeAt(i)) & 0xff] ?? 0);
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** Digits, then upper case, then lower case: the order GitHub's and npm's tokens use. */
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** `n` in base 62, left-padded with `0` to `width` characters. */
export function toBase62(n: number, width: number): string {
  let out = '';
  let rest = Math.floor(n);
  while (rest > 0) {
    out = BASE62.charAt(rest % 62) + out;
    rest = Math.floor(rest / 62);
  }
  return out.padStart(width, '0');
}

/**
 * GitHub's token checksum, which npm adopted unchanged: the last 6 characters of the body
 * are the CRC-32 of the 30 characters before them, in base 62, zero-padded.
 * (github.blog, "Behind GitHub's new authentication token formats", 2021; "Announcing npm's
 * new access token format", 2021.)
 */
export function hasBase62Crc32(body: string): boolean {
  if (body.length !== 36) return false;
  return toBase62(crc32(body.slice(0, 30)), 6) === body.slice(30);
}

/** The 32-bit value's bytes, least significant first, as lower-case hex. */
export function crc32LittleEndianHex(ascii: string): string {
  const c = crc32(ascii);
  let out = '';
  for (let shift = 0; shift < 32; shift += 8)
    out += ((c >>> shift) & 0xff).toString(16).padStart(2, '0');
  return out;
}

const BECH32 = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const BECH32_GENERATOR = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3] as const;

/**
 * Whether `text` is a valid Bech32 string (BIP-173 checksum, constant 1), as age encodes
 * its keys. Case-insensitive as a whole (the checksum is over the lower-case form); the
 * length limit of BIP-173 is not applied, as age lifts it.
 */
export function isBech32(text: string): boolean {
  const s = text.toLowerCase();
  const sep = s.lastIndexOf('1');
  if (sep < 1 || s.length - sep - 1 < 6) return false;
  let chk = 1;
  const step = (value: number): void => {
    const top = chk >>> 25;
    chk = (((chk & 0x1ffffff) << 5) ^ value) >>> 0;
    for (let i = 0; i < 5; i++) if ((top >>> i) & 1) chk = (chk ^ (BECH32_GENERATOR[i] ?? 0)) >>> 0;
  };
  for (let i = 0; i < sep; i++) step(s.charCodeAt(i) >>> 5);
  step(0);
  for (let i = 0; i < sep; i++) step(s.charCodeAt(i) & 31);
  for (let i = sep + 1; i < s.length; i++) {
    const v = BECH32.indexOf(s.charAt(i));
    if (v < 0) return false;
    step(v);
  }
  return chk === 1;
}
