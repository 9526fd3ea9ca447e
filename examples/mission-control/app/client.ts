import type { IncomingHttpHeaders } from 'node:http';
import type { Services } from './services.js';

/** The rate-limit key: the client IP, believing forwarding headers only from TRUSTED_PROXIES. */
export function clientKeyOf(
  services: Services,
  remoteAddress: string | undefined,
  headers: IncomingHttpHeaders,
): string {
  return services.clientIp({ remoteAddress, headers });
}
