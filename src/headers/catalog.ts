import type { SecurityHeaderKey, SecurityHeadersPreset } from './types.js';

/** One header bulwark knows by name: its option key, wire name and environment variable. */
export interface HeaderSpec {
  readonly key: SecurityHeaderKey;
  readonly name: string;
  readonly env: string;
}

function spec(key: SecurityHeaderKey, name: string): HeaderSpec {
  return { key, name, env: `SECURITY_HEADER_${name.toUpperCase().replace(/-/g, '_')}` };
}

/** Every header with an option of its own, in the order responses carry them. */
export const HEADER_SPECS: readonly HeaderSpec[] = [
  spec('contentSecurityPolicy', 'Content-Security-Policy'),
  spec('contentSecurityPolicyReportOnly', 'Content-Security-Policy-Report-Only'),
  spec('crossOriginEmbedderPolicy', 'Cross-Origin-Embedder-Policy'),
  spec('crossOriginOpenerPolicy', 'Cross-Origin-Opener-Policy'),
  spec('crossOriginResourcePolicy', 'Cross-Origin-Resource-Policy'),
  spec('originAgentCluster', 'Origin-Agent-Cluster'),
  spec('referrerPolicy', 'Referrer-Policy'),
  spec('strictTransportSecurity', 'Strict-Transport-Security'),
  spec('xContentTypeOptions', 'X-Content-Type-Options'),
  spec('xDnsPrefetchControl', 'X-DNS-Prefetch-Control'),
  spec('xDownloadOptions', 'X-Download-Options'),
  spec('xFrameOptions', 'X-Frame-Options'),
  spec('xPermittedCrossDomainPolicies', 'X-Permitted-Cross-Domain-Policies'),
  spec('xXssProtection', 'X-XSS-Protection'),
  spec('permissionsPolicy', 'Permissions-Policy'),
  spec('cacheControl', 'Cache-Control'),
];

const ONE_YEAR = 'max-age=31536000; includeSubDomains';

/**
 * The presets, side by side in one table (docs/guide/security-headers.md explains each
 * row). A header absent from a preset is not sent unless an option sets it.
 */
export const PRESETS: Readonly<
  Record<SecurityHeadersPreset, Readonly<Partial<Record<SecurityHeaderKey, string>>>>
> = {
  // Mission Control's defaults, exactly: three headers, Permissions-Policy off.
  'mission-control': {
    xContentTypeOptions: 'nosniff',
    xFrameOptions: 'DENY',
    referrerPolicy: 'strict-origin-when-cross-origin',
  },
  // OWASP REST Security Cheat Sheet: a JSON API is never framed, cached or rendered.
  api: {
    cacheControl: 'no-store',
    contentSecurityPolicy: "default-src 'none'; frame-ancestors 'none'",
    strictTransportSecurity: ONE_YEAR,
    xFrameOptions: 'DENY',
    xContentTypeOptions: 'nosniff',
    referrerPolicy: 'no-referrer',
    crossOriginResourcePolicy: 'same-origin',
  },
  // The browser set that helmet users expect, for servers that render HTML.
  web: {
    contentSecurityPolicy:
      "default-src 'self'; base-uri 'self'; font-src 'self' https: data:; form-action 'self'; " +
      "frame-ancestors 'self'; img-src 'self' data:; object-src 'none'; script-src 'self'; " +
      "script-src-attr 'none'; style-src 'self' https: 'unsafe-inline'; upgrade-insecure-requests",
    crossOriginOpenerPolicy: 'same-origin',
    crossOriginResourcePolicy: 'same-origin',
    originAgentCluster: '?1',
    referrerPolicy: 'no-referrer',
    strictTransportSecurity: ONE_YEAR,
    xContentTypeOptions: 'nosniff',
    xDnsPrefetchControl: 'off',
    xDownloadOptions: 'noopen',
    xFrameOptions: 'SAMEORIGIN',
    xPermittedCrossDomainPolicies: 'none',
    xXssProtection: '0',
  },
};

export const PRESET_NAMES = Object.keys(PRESETS) as readonly SecurityHeadersPreset[];
