import { describe, expect, it } from 'vitest';
import { buildSecurityHeaders, compileSecurityHeaders } from 'bulwark';

describe('buildSecurityHeaders presets', () => {
  it('defaults to the exact Mission Control headers', () => {
    expect(buildSecurityHeaders()).toEqual({
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'DENY',
      'Referrer-Policy': 'strict-origin-when-cross-origin',
    });
  });

  it('api follows the OWASP REST guidance', () => {
    expect(buildSecurityHeaders({ preset: 'api' })).toEqual({
      'Cache-Control': 'no-store',
      'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
      'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
      'X-Frame-Options': 'DENY',
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cross-Origin-Resource-Policy': 'same-origin',
    });
  });

  it('web carries the full browser set', () => {
    const h = buildSecurityHeaders({ preset: 'web' });
    expect(Object.keys(h).sort()).toEqual(
      [
        'Content-Security-Policy',
        'Cross-Origin-Opener-Policy',
        'Cross-Origin-Resource-Policy',
        'Origin-Agent-Cluster',
        'Referrer-Policy',
        'Strict-Transport-Security',
        'X-Content-Type-Options',
        'X-DNS-Prefetch-Control',
        'X-Download-Options',
        'X-Frame-Options',
        'X-Permitted-Cross-Domain-Policies',
        'X-XSS-Protection',
      ].sort(),
    );
    expect(h['X-XSS-Protection']).toBe('0');
    expect(h['Content-Security-Policy']).toContain("object-src 'none'");
  });

  it('overrides, removes and adds headers', () => {
    expect(
      buildSecurityHeaders({
        xFrameOptions: 'sameorigin',
        referrerPolicy: ['no-referrer', 'strict-origin-when-cross-origin'],
        xContentTypeOptions: false,
        permissionsPolicy: 'camera=()',
        custom: { 'X-Robots-Tag': 'noindex', 'x-frame-options': false },
      }),
    ).toEqual({
      'Referrer-Policy': 'no-referrer, strict-origin-when-cross-origin',
      'Permissions-Policy': 'camera=()',
      'X-Robots-Tag': 'noindex',
    });
  });

  it('builds CSP from directives and HSTS from an object', () => {
    const h = buildSecurityHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        'img-src': "'self' data:",
        upgradeInsecureRequests: true,
      },
      strictTransportSecurity: { maxAge: 300 },
    });
    expect(h['Content-Security-Policy']).toBe(
      "default-src 'self'; img-src 'self' data:; upgrade-insecure-requests",
    );
    expect(h['Strict-Transport-Security']).toBe('max-age=300');
  });

  it('computes once: the compiled entries are frozen and reused', () => {
    const compiled = compileSecurityHeaders({ preset: 'api' });
    expect(Object.isFrozen(compiled.headers)).toBe(true);
    expect(compiled.entries).toHaveLength(7);
    expect(compileSecurityHeaders(false).entries).toHaveLength(0);
  });

  it('returns a copy the caller may change', () => {
    const a = buildSecurityHeaders();
    a['X-Frame-Options'] = 'SAMEORIGIN';
    expect(buildSecurityHeaders()['X-Frame-Options']).toBe('DENY');
  });
});

describe('buildSecurityHeaders rejects bad configuration at creation', () => {
  const bad: [string, Parameters<typeof buildSecurityHeaders>[0], RegExp][] = [
    [
      'CR/LF (response splitting)',
      { xFrameOptions: 'DENY\r\nSet-Cookie: a=b' },
      /X-Frame-Options.*CR/,
    ],
    ['LF', { permissionsPolicy: 'camera=()\n' }, /Permissions-Policy.*LF/],
    ['NUL', { custom: { 'X-A': 'a\0b' } }, /X-A.*NUL/],
    [
      'another control character',
      { cacheControl: 'no-store\x07' },
      /Cache-Control.*control character/,
    ],
    ['non-ASCII', { permissionsPolicy: 'camera=(“self”)' }, /non-ASCII/],
    ['an empty value', { permissionsPolicy: '  ' }, /write false/],
    [
      'an HSTS max-age that is not a number',
      { strictTransportSecurity: 'max-age=abc' },
      /Strict-Transport-Security.*max-age/,
    ],
    [
      'a negative HSTS max-age',
      { strictTransportSecurity: { maxAge: -1 } },
      /whole number of seconds/,
    ],
    ['a fractional HSTS max-age', { strictTransportSecurity: { maxAge: 1.5 } }, /whole number/],
    [
      'HSTS without max-age',
      { strictTransportSecurity: 'includeSubDomains' },
      /max-age is missing/,
    ],
    [
      'HSTS preload too short',
      { strictTransportSecurity: { maxAge: 60, includeSubDomains: true, preload: true } },
      /preload needs/,
    ],
    ['an unquoted CSP keyword', { contentSecurityPolicy: 'default-src self' }, /write "'self'"/],
    [
      'an unquoted CSP keyword in directives',
      { contentSecurityPolicy: { scriptSrc: ['unsafe-inline'] } },
      /write "'unsafe-inline'"/,
    ],
    ['an unquoted nonce', { contentSecurityPolicy: { scriptSrc: ['nonce-abc'] } }, /single-quoted/],
    ['an empty CSP', { contentSecurityPolicy: ' ; ' }, /no directives/],
    ['ALLOW-FROM', { xFrameOptions: 'ALLOW-FROM https://a.example' }, /frame-ancestors/],
    ['a bad X-Frame-Options', { xFrameOptions: 'NEVER' }, /DENY, SAMEORIGIN/],
    ['a bad Referrer-Policy', { referrerPolicy: 'sometimes' }, /strict-origin-when-cross-origin/],
    ['a bad X-Content-Type-Options', { xContentTypeOptions: 'sniff' }, /nosniff/],
    ['an unknown preset', { preset: 'strict' as 'api' }, /'mission-control', 'api', 'web'/],
    ['an unknown option', { xFrameOption: 'DENY' } as never, /did you mean "xFrameOptions"/],
    ['a bad custom header name', { custom: { 'Bad Name': 'x' } }, /valid HTTP field name/],
  ];
  it.each(bad)('%s', (_what, options, message) => {
    expect(() => buildSecurityHeaders(options)).toThrow(TypeError);
    expect(() => buildSecurityHeaders(options)).toThrow(message);
  });
});
