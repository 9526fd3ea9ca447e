import { describe, expect, it } from 'vitest';
import { buildSecurityHeaders, securityHeadersFromEnv } from 'bulwark';

describe('securityHeadersFromEnv', () => {
  it('unset keeps the defaults', () => {
    expect(buildSecurityHeaders(securityHeadersFromEnv({}))).toEqual(buildSecurityHeaders());
  });

  it('a value replaces a default and blank turns a header off', () => {
    const options = securityHeadersFromEnv({
      SECURITY_HEADER_X_FRAME_OPTIONS: 'SAMEORIGIN',
      SECURITY_HEADER_REFERRER_POLICY: '',
      SECURITY_HEADER_PERMISSIONS_POLICY: 'geolocation=()',
      SECURITY_HEADER_X_CONTENT_TYPE_OPTIONS: '   ',
    });
    expect(buildSecurityHeaders(options)).toEqual({
      'X-Frame-Options': 'SAMEORIGIN',
      'Permissions-Policy': 'geolocation=()',
    });
  });

  it('chooses a preset', () => {
    const options = securityHeadersFromEnv({ SECURITY_HEADERS_PRESET: 'api' });
    expect(buildSecurityHeaders(options)['Cache-Control']).toBe('no-store');
  });

  it('reports an unknown SECURITY_HEADER_* variable with a suggestion', () => {
    expect(() => securityHeadersFromEnv({ SECURITY_HEADER_X_FRAME_OPTION: 'DENY' })).toThrow(
      /SECURITY_HEADER_X_FRAME_OPTION: unknown security header variable; did you mean "SECURITY_HEADER_X_FRAME_OPTIONS"/,
    );
  });

  it('lists every bad variable in one error', () => {
    let message = '';
    try {
      securityHeadersFromEnv({
        SECURITY_HEADER_X_FRAME_OPTIONS: 'ALLOW-FROM x',
        SECURITY_HEADER_STRICT_TRANSPORT_SECURITY: 'max-age=-5',
        SECURITY_HEADERS_PRESET: 'tight',
        SECURITY_HEADER_NOPE: '1',
      });
    } catch (error) {
      expect(error).toBeInstanceOf(TypeError);
      message = (error as Error).message;
    }
    expect(message).toMatch(/SECURITY_HEADER_X_FRAME_OPTIONS: X-Frame-Options: ALLOW-FROM/);
    expect(message).toMatch(/SECURITY_HEADER_STRICT_TRANSPORT_SECURITY/);
    expect(message).toMatch(/SECURITY_HEADERS_PRESET="tight"/);
    expect(message).toMatch(/SECURITY_HEADER_NOPE/);
  });

  it('knows every header by its variable name', () => {
    const options = securityHeadersFromEnv({
      SECURITY_HEADER_CONTENT_SECURITY_POLICY: "default-src 'self'",
      SECURITY_HEADER_CROSS_ORIGIN_OPENER_POLICY: 'same-origin',
      SECURITY_HEADER_CACHE_CONTROL: 'no-store',
      SECURITY_HEADER_X_XSS_PROTECTION: '0',
    });
    expect(buildSecurityHeaders(options)).toMatchObject({
      'Content-Security-Policy': "default-src 'self'",
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cache-Control': 'no-store',
      'X-XSS-Protection': '0',
    });
  });
});
