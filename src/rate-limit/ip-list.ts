import { cidrContains, parseCidr } from './ip.js';
import type { Cidr, ParsedIp } from './ip.js';

/** A compiled list of IPs and CIDRs; matching is a scan of prefixes, no parsing per request. */
export type IpList = (ip: ParsedIp) => boolean;

/**
 * Compiles `allowList` / `denyList` entries once: a bad entry throws a `TypeError` naming it.
 * IPv4-mapped and NAT64 (`64:ff9b::/96`) forms of an IPv4 address match the IPv4 entry.
 */
export function compileIpList(option: string, entries: unknown): IpList | undefined {
  if (entries === undefined) return undefined;
  if (!Array.isArray(entries)) {
    throw new TypeError(
      `bulwark: rateLimit ${option}: not a list; write ${option}: ['10.0.0.0/8', '2001:db8::/32'].`,
    );
  }
  const blocks: Cidr[] = [];
  for (const entry of entries as unknown[]) {
    const block = typeof entry === 'string' ? parseCidr(entry.trim()) : undefined;
    if (block === undefined) {
      throw new TypeError(
        `bulwark: rateLimit ${option}: ${JSON.stringify(entry)} is not an IP address or CIDR; write entries such as '203.0.113.7', '10.0.0.0/8' or '2001:db8::/32'.`,
      );
    }
    blocks.push(block);
  }
  if (blocks.length === 0) return undefined;
  return (ip) => {
    for (const block of blocks) if (cidrContains(block, ip)) return true;
    return false;
  };
}
