import { isIPv4, isIPv6 } from 'node:net';

/** A parsed address: 4 or 16 bytes. IPv4-mapped IPv6 (`::ffff:a.b.c.d`) is parsed as IPv4. */
export interface ParsedIp {
  /** 4 or 6. */
  readonly family: 4 | 6;
  /** The address in network order: 4 or 16 bytes. */
  readonly bytes: Uint8Array;
}

/** A parsed CIDR block (a plain address is a block of 32 or 128 bits). */
export interface Cidr extends ParsedIp {
  /** The prefix length: 0 to 32 (IPv4) or 0 to 128 (IPv6). */
  readonly bits: number;
}

function ipv4Bytes(text: string): Uint8Array {
  const out = new Uint8Array(4);
  let i = 0;
  for (const part of text.split('.')) out[i++] = Number(part);
  return out;
}

function ipv6Bytes(text: string): Uint8Array {
  const out = new Uint8Array(16);
  let head = text;
  let tail = '';
  const gap = text.indexOf('::');
  if (gap !== -1) {
    head = text.slice(0, gap);
    tail = text.slice(gap + 2);
  }
  const toWords = (s: string): number[] => {
    if (s === '') return [];
    const words: number[] = [];
    for (const part of s.split(':')) {
      if (part.includes('.')) {
        const v4 = ipv4Bytes(part);
        words.push(((v4[0] ?? 0) << 8) | (v4[1] ?? 0), ((v4[2] ?? 0) << 8) | (v4[3] ?? 0));
      } else words.push(parseInt(part, 16));
    }
    return words;
  };
  const headWords = toWords(head);
  const tailWords = toWords(tail);
  const words = [
    ...headWords,
    ...new Array<number>(8 - headWords.length - tailWords.length).fill(0),
    ...tailWords,
  ];
  words.forEach((w, i) => {
    out[i * 2] = w >> 8;
    out[i * 2 + 1] = w & 0xff;
  });
  return out;
}

function isMappedV4(b: Uint8Array): boolean {
  for (let i = 0; i < 10; i++) if (b[i] !== 0) return false;
  return b[10] === 0xff && b[11] === 0xff;
}

/**
 * The NAT64 well-known prefix `64:ff9b::/96` (RFC 6052 section 2.1): the gateway writes the
 * IPv4 client into the last 32 bits. Grouped by /64 like other IPv6, every IPv4 client
 * behind one gateway would share a single bucket.
 */
function isNat64(b: Uint8Array): boolean {
  if (b[0] !== 0x00 || b[1] !== 0x64 || b[2] !== 0xff || b[3] !== 0x9b) return false;
  for (let i = 4; i < 12; i++) if (b[i] !== 0) return false;
  return true;
}

/**
 * Parses an IPv4 or IPv6 address (an IPv6 zone, `%eth0`, is dropped). IPv4-mapped
 * (`::ffff:a.b.c.d`) and NAT64 well-known-prefix (`64:ff9b::a.b.c.d`) addresses parse as the
 * IPv4 address they carry. Returns undefined for
 * anything else: garbage in a forwarding header must never become a key or match a proxy.
 */
export function parseIp(text: string): ParsedIp | undefined {
  if (isIPv4(text)) return { family: 4, bytes: ipv4Bytes(text) };
  const zone = text.indexOf('%');
  const bare = zone === -1 ? text : text.slice(0, zone);
  if (!isIPv6(bare)) return undefined;
  const bytes = ipv6Bytes(bare);
  // ::ffff:1.2.3.4 is the same client as 1.2.3.4 (dual-stack sockets report it that way);
  // keying them apart would double its quota.
  // 64:ff9b::1.2.3.4 likewise carries the IPv4 client 1.2.3.4 (RFC 6052).
  if (isMappedV4(bytes) || isNat64(bytes)) return { family: 4, bytes: bytes.slice(12) };
  return { family: 6, bytes };
}

/** Parses `address` or `address/bits`, IPv4 or IPv6; undefined when it is neither. */
export function parseCidr(entry: string): Cidr | undefined {
  const slash = entry.indexOf('/');
  const ip = parseIp(slash === -1 ? entry : entry.slice(0, slash));
  if (ip === undefined) return undefined;
  const max = ip.family === 4 ? 32 : 128;
  if (slash === -1) return { ...ip, bits: max };
  const bitsText = entry.slice(slash + 1);
  if (!/^\d{1,3}$/.test(bitsText)) return undefined;
  let bits = Number(bitsText);
  // A mapped address written with an IPv6 prefix length (::ffff:10.0.0.0/104) covers IPv4 bits.
  const mapped = ip.family === 4 && entry.slice(0, slash).includes(':');
  if (mapped) bits -= 96;
  if (bits < 0 || bits > max) return undefined;
  return { ...ip, bits };
}

/** Whether `ip` lies inside `block`. */
export function cidrContains(block: Cidr, ip: ParsedIp): boolean {
  if (block.family !== ip.family) return false;
  const whole = block.bits >> 3;
  for (let i = 0; i < whole; i++) if (block.bytes[i] !== ip.bytes[i]) return false;
  const rest = block.bits & 7;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return ((block.bytes[whole] ?? 0) & mask) === ((ip.bytes[whole] ?? 0) & mask);
}

/** Canonical text of an address (RFC 5952 for IPv6: lower case, longest zero run as `::`). */
export function formatIp(ip: ParsedIp): string {
  const b = ip.bytes;
  if (ip.family === 4) return `${b[0] ?? 0}.${b[1] ?? 0}.${b[2] ?? 0}.${b[3] ?? 0}`;
  const words: number[] = [];
  for (let i = 0; i < 16; i += 2) words.push(((b[i] ?? 0) << 8) | (b[i + 1] ?? 0));
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (ws: number[]) => ws.map((w) => w.toString(16)).join(':');
  if (bestStart === -1) return hex(words);
  return `${hex(words.slice(0, bestStart))}::${hex(words.slice(bestStart + bestLen))}`;
}

/** The first `bits` of an address, the rest zeroed. */
export function maskIp(ip: ParsedIp, bits: number): ParsedIp {
  const bytes = new Uint8Array(ip.bytes.length);
  const whole = bits >> 3;
  for (let i = 0; i < whole; i++) bytes[i] = ip.bytes[i] ?? 0;
  const rest = bits & 7;
  if (rest !== 0) bytes[whole] = (ip.bytes[whole] ?? 0) & ((0xff << (8 - rest)) & 0xff);
  return { family: ip.family, bytes };
}
