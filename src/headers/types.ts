/** The named starting points for {@link buildSecurityHeaders}. */
export type SecurityHeadersPreset = 'mission-control' | 'api' | 'web';

/**
 * Content-Security-Policy directives, keyed by directive name in kebab-case or camelCase
 * (`'default-src'` or `defaultSrc`). A value is a list of sources, one source string, or
 * `true` for a directive without a value (`upgrade-insecure-requests`). Keywords must be
 * quoted as CSP requires: `"'self'"`, not `"self"`.
 */
export type CspDirectives = Readonly<Record<string, readonly string[] | string | true>>;

/** Strict-Transport-Security as an object (RFC 6797). */
export interface HstsOptions {
  /** Seconds the browser keeps using HTTPS only. A whole number, 0 or more. */
  readonly maxAge: number;
  /** Apply to every subdomain too. Default: `false`. */
  readonly includeSubDomains?: boolean;
  /** Ask for inclusion in browsers' preload lists. Needs `includeSubDomains` and a max-age of at least one year. Default: `false`. */
  readonly preload?: boolean;
}

/**
 * A header's setting: the value to send, or `false` to send nothing. Leaving it out keeps
 * the preset's value (which may be no header at all).
 */
export type HeaderSetting = string | false;

/**
 * Options for {@link buildSecurityHeaders} and the `securityHeaders` middleware of every
 * adapter. Every header field: `undefined` keeps the preset's value, a string replaces it,
 * `false` removes the header.
 */
export interface SecurityHeadersOptions {
  /** Which defaults to start from. Default: `'mission-control'`. */
  readonly preset?: SecurityHeadersPreset;
  /** `Content-Security-Policy`, as a string or as directives. Preset `api`: `default-src 'none'; frame-ancestors 'none'`; `web`: a self-only policy; `mission-control`: none. */
  readonly contentSecurityPolicy?: HeaderSetting | CspDirectives;
  /** `Content-Security-Policy-Report-Only`, as a string or as directives. Default: none. */
  readonly contentSecurityPolicyReportOnly?: HeaderSetting | CspDirectives;
  /** `Strict-Transport-Security`. Preset `api` and `web`: `max-age=31536000; includeSubDomains`; `mission-control`: none. */
  readonly strictTransportSecurity?: HeaderSetting | HstsOptions;
  /** `X-Content-Type-Options`; the only valid value is `nosniff`. Default: `nosniff` in every preset. */
  readonly xContentTypeOptions?: HeaderSetting;
  /** `X-Frame-Options`: `DENY` or `SAMEORIGIN`. Default: `DENY` (`SAMEORIGIN` in `web`). */
  readonly xFrameOptions?: HeaderSetting;
  /** `Referrer-Policy`: one or more policy tokens. Default: `strict-origin-when-cross-origin` (`no-referrer` in `api` and `web`). */
  readonly referrerPolicy?: HeaderSetting | readonly string[];
  /** `Permissions-Policy` (a structured-field dictionary such as `camera=(), geolocation=()`). Default: none. */
  readonly permissionsPolicy?: HeaderSetting;
  /** `Cross-Origin-Opener-Policy`. Default: `same-origin` in `web`, none otherwise. */
  readonly crossOriginOpenerPolicy?: HeaderSetting;
  /** `Cross-Origin-Resource-Policy`. Default: `same-origin` in `api` and `web`, none otherwise. */
  readonly crossOriginResourcePolicy?: HeaderSetting;
  /** `Cross-Origin-Embedder-Policy`. Default: none. */
  readonly crossOriginEmbedderPolicy?: HeaderSetting;
  /** `Origin-Agent-Cluster`. Default: `?1` in `web`, none otherwise. */
  readonly originAgentCluster?: HeaderSetting;
  /** `X-DNS-Prefetch-Control`: `on` or `off`. Default: `off` in `web`, none otherwise. */
  readonly xDnsPrefetchControl?: HeaderSetting;
  /** `X-Download-Options`. Default: `noopen` in `web`, none otherwise. */
  readonly xDownloadOptions?: HeaderSetting;
  /** `X-Permitted-Cross-Domain-Policies`. Default: `none` in `web`, none otherwise. */
  readonly xPermittedCrossDomainPolicies?: HeaderSetting;
  /** `X-XSS-Protection`; `0` turns off the legacy, exploitable XSS auditor. Default: `0` in `web`, none otherwise. */
  readonly xXssProtection?: HeaderSetting;
  /** `Cache-Control`. Default: `no-store` in `api`, none otherwise. */
  readonly cacheControl?: HeaderSetting;
  /** Any other response header, by its name. `false` removes one a preset sets. Default: none. */
  readonly custom?: Readonly<Record<string, HeaderSetting>>;
}

/** The option keys of {@link SecurityHeadersOptions} that name one header each. */
export type SecurityHeaderKey = Exclude<keyof SecurityHeadersOptions, 'preset' | 'custom'>;
