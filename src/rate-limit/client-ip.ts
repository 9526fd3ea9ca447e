import { isIPv4 } from 'node:net';
import { forwardedForNodes, nodeAddress } from './forwarded.js';
import { cidrContains, formatIp, maskIp, parseCidr, parseIp } from './ip.js';
import type { Cidr, ParsedIp } from './ip.js';

/** What {@link resolveClientIp} needs from a request: plain values any framework has. */
export interface ClientAddressInput {
  /** The TCP peer (`req.socket.remoteAddress`). */
  readonly remoteAddress: string | undefined;
  /** The request headers, lower-case names, as Node gives them. */
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
}

/** Which forwarding header a trusted proxy writes. */
export type ProxyHeader = 'auto' | 'forwarded' | 'x-forwarded-for';

/** Options for {@link resolveClientIp} and {@link compileClientIp}. */
export interface ClientIpOptions {
  /**
   * Proxies whose forwarding headers are believed: IPs and CIDRs, IPv4 and IPv6 (the
   * `TRUSTED_PROXIES` variable). Only when the socket peer is one of them is a forwarding
   * header read at all, so a client talking to the app directly cannot choose its own key.
   * Default: none (the socket peer is the client).
   */
  readonly trustedProxies?: readonly string[];
  /**
   * IPv6 clients are keyed by this prefix length, because one subscriber usually holds a
   * whole /64 and could otherwise rotate through 2^64 addresses to escape the limit.
   * `128` keys single addresses. Default: `64`.
   */
  readonly ipv6Subnet?: number;
  /**
   * The header your proxies write. `'auto'` reads `Forwarded` when present, else
   * `X-Forwarded-For`. Name the one header your proxy sets if it passes the other through
   * from clients untouched, or a client could pick its key with it. Default: `'auto'`.
   */
  readonly proxyHeader?: ProxyHeader;
}

const PROXY_HEADERS: readonly string[] = ['auto', 'forwarded', 'x-forwarded-for'];

/** The key used when there is no usable address at all (a closed socket). */
export const UNKNOWN_CLIENT = 'unknown';

/** Hops read from the right of a forwarding header at most: a chain longer than this is an attack, not a topology. */
const MAX_HOPS = 32;

/** A compiled resolver: trusted proxies parsed once, nothing parsed per request but the request. */
export type ClientIpResolver = (request: ClientAddressInput) => string;

function headerText(value: string | readonly string[] | undefined): string | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : value.join(',');
}

/** Checks an `ipv6Subnet` option: a prefix length from 1 to 128. */
export function checkIpv6Subnet(subnet: unknown, option = 'ipv6Subnet'): number {
  if (typeof subnet !== 'number' || !Number.isInteger(subnet) || subnet < 1 || subnet > 128) {
    throw new TypeError(
      `bulwark: ${option}: ${String(subnet)} is not a prefix length from 1 to 128; write 64 (one subscriber's block), 48 (one site) or 128 (single addresses).`,
    );
  }
  return subnet;
}

/** The key of a client address: IPv4 as is, IPv6 grouped by its first `subnet` bits. */
export function addressKey(ip: ParsedIp, subnet: number): string {
  if (ip.family === 4 || subnet === 128) return formatIp(ip);
  return `${formatIp(maskIp(ip, subnet))}/${subnet}`;
}

/**
 * The client address as a parsed IP (undefined when the peer gave none that parses, such as
 * a closed socket): the trusted-proxy walk of {@link compileClientIp}, without the grouping,
 * for matching allow and deny lists and keying by several prefix lengths.
 */
export type ClientAddressResolver = (request: ClientAddressInput) => ParsedIp | undefined;

/** Compiles the trusted-proxy walk once; see {@link compileClientIp}. */
export function compileClientAddress(
  options: Omit<ClientIpOptions, 'ipv6Subnet'> = {},
): ClientAddressResolver {
  const proxies: Cidr[] = [];
  for (const entry of options.trustedProxies ?? []) {
    const block = typeof entry === 'string' ? parseCidr(entry.trim()) : undefined;
    if (block === undefined) {
      throw new TypeError(
        `bulwark: trustedProxies: ${JSON.stringify(entry)} is not an IP address or CIDR; write entries such as '10.0.0.0/8', '192.168.1.10' or 'fd00::/8'.`,
      );
    }
    proxies.push(block);
  }
  const proxyHeader = options.proxyHeader ?? 'auto';
  if (!PROXY_HEADERS.includes(proxyHeader)) {
    throw new TypeError(
      `bulwark: proxyHeader: ${JSON.stringify(proxyHeader)} is not a header choice; write 'auto', 'forwarded' or 'x-forwarded-for'.`,
    );
  }

  const trusted = (ip: ParsedIp): boolean => {
    for (const block of proxies) if (cidrContains(block, ip)) return true;
    return false;
  };

  /**
   * Walks hops from the right (the entry our own proxy appended) leftwards, skipping trusted
   * proxies; the first untrusted address is the client. Entries left of it were written by
   * the client and are never believed. Entries that are not an address (`unknown`,
   * obfuscated ids, garbage) are skipped; a Forwarded element with broken syntax (`null`)
   * ends the walk, because a quote the client left open can swallow the element its proxy
   * appended and put a client-written address in its place (the key then falls back to the
   * trusted hop nearest the client, or the peer).
   */
  const walk = (nodes: readonly (string | undefined | null)[]): ParsedIp | undefined => {
    let leftmost: ParsedIp | undefined;
    const stop = Math.max(0, nodes.length - MAX_HOPS);
    for (let i = nodes.length - 1; i >= stop; i--) {
      const node = nodes[i];
      if (node === null) break;
      if (node === undefined) continue;
      const text = nodeAddress(node);
      const ip = text === undefined ? undefined : parseIp(text);
      if (ip === undefined) continue;
      if (!trusted(ip)) return ip;
      leftmost = ip;
    }
    return leftmost;
  };

  return (request) => {
    const remote = request.remoteAddress;
    const peer = remote === undefined ? undefined : parseIp(remote);
    if (peer === undefined || proxies.length === 0 || !trusted(peer)) return peer;
    let found: ParsedIp | undefined;
    const forwarded =
      proxyHeader === 'x-forwarded-for' ? undefined : headerText(request.headers.forwarded);
    if (forwarded !== undefined) found = walk(forwardedForNodes(forwarded));
    else if (proxyHeader !== 'forwarded') {
      const xff = headerText(request.headers['x-forwarded-for']);
      if (xff !== undefined) found = walk(xff.split(','));
    }
    return found ?? peer;
  };
}

/**
 * Builds the resolver for {@link resolveClientIp}: checks and parses the options once (a bad
 * proxy entry throws a `TypeError` saying what to write).
 */
export function compileClientIp(options: ClientIpOptions = {}): ClientIpResolver {
  const subnet = checkIpv6Subnet(options.ipv6Subnet ?? 64);
  const address = compileClientAddress(options);
  const direct = (options.trustedProxies ?? []).length === 0;
  // The last direct IPv4 peer seen: a keep-alive connection hands over the same address for
  // every request, and comparing it costs less than isIPv4's pattern.
  let lastIPv4: string | undefined;
  return (request) => {
    const remote = request.remoteAddress;
    // The common case, a direct IPv4 peer: Node reports it canonically, so it is its own key.
    if (direct && remote !== undefined) {
      if (remote === lastIPv4) return remote;
      if (isIPv4(remote)) {
        lastIPv4 = remote;
        return remote;
      }
    }
    const ip = address(request);
    return ip === undefined ? (remote ?? UNKNOWN_CLIENT) : addressKey(ip, subnet);
  };
}

const compiled = new WeakMap<ClientIpOptions, ClientIpResolver>();
const plain = compileClientIp();

/**
 * The address to key a client by. By default the socket peer; with `trustedProxies`, the
 * first untrusted address in `Forwarded` (RFC 7239) or `X-Forwarded-For`, read from the
 * right. IPv4-mapped IPv6 counts as IPv4, IPv6 is grouped by its /64. The options object is
 * compiled on first use and cached, so pass the same object on every call (or use
 * {@link compileClientIp}).
 */
export function resolveClientIp(request: ClientAddressInput, options?: ClientIpOptions): string {
  if (options === undefined) return plain(request);
  let resolver = compiled.get(options);
  if (resolver === undefined) {
    resolver = compileClientIp(options);
    compiled.set(options, resolver);
  }
  return resolver(request);
}
