import type { LoggerLike } from '../log/logger-kind.js';
import { onMisuseReset, reportMisuse } from '../log/misuse.js';
import type { ClientAddressInput } from './client-ip.js';
import { cidrContains, formatIp, parseCidr, parseIp } from './ip.js';
import type { Cidr } from './ip.js';

// Where reverse proxies and load balancers live: loopback (a proxy on the same host), the
// RFC 1918 and RFC 6598 (carrier-grade NAT) ranges, IPv6 unique-local (RFC 4193) and
// link-local. A public client never connects from these.
const PROXY_RANGES: readonly Cidr[] = [
  '127.0.0.0/8',
  '10.0.0.0/8',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '100.64.0.0/10',
  '169.254.0.0/16',
  '::1/128',
  'fc00::/7',
  'fe80::/10',
].map((block) => {
  const cidr = parseCidr(block);
  if (cidr === undefined) throw new Error(`bulwark: bad built-in range ${block}`);
  return cidr;
});

let warned = false;
onMisuseReset(() => {
  warned = false;
});

/**
 * The misuse behind a reverse proxy without `trustedProxies`: the socket peer is the proxy,
 * so every client behind it shares the proxy's bucket (more 429s, never fewer: the limit
 * still holds, but for everyone at once). Seen when a request from a loopback or private
 * address carries `X-Forwarded-For` or `Forwarded`; logged once per process through the
 * limiter's logger, with the line to write. Costs two header reads until it has warned.
 */
export function checkUntrustedProxy(input: ClientAddressInput, logger: LoggerLike): void {
  if (warned) return;
  const { headers } = input;
  const header =
    headers['x-forwarded-for'] !== undefined
      ? 'X-Forwarded-For'
      : headers.forwarded !== undefined
        ? 'Forwarded'
        : undefined;
  if (header === undefined || input.remoteAddress === undefined) return;
  const peer = parseIp(input.remoteAddress);
  if (peer === undefined || !PROXY_RANGES.some((range) => cidrContains(range, peer))) return;
  warned = true;
  const address = formatIp(peer);
  reportMisuse(
    logger,
    'misuse.untrusted_proxy',
    '',
    `requests from ${address} carry ${header}, but trustedProxies is empty, so every client behind that proxy is counted in one rate-limit bucket (the proxy's address); if ${address} is your reverse proxy, write rateLimit({ ..., trustedProxies: ['${address}'] }) or set TRUSTED_PROXIES=${address} (a CIDR such as 10.0.0.0/8 covers a fleet); bulwark does not read the framework's own trust-proxy setting`,
    'warn',
  );
}
