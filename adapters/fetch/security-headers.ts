import { compileSecurityHeaders } from 'bulwark';
import type { SecurityHeadersOptions } from 'bulwark';
import { guardOf } from './guard.js';
import type { FetchGuard, Step } from './guard.js';

/** Options for the Fetch `securityHeaders` guard: the core's, unchanged. */
export type FetchSecurityHeadersOptions = SecurityHeadersOptions;

/**
 * Security response headers for every answer: the verdict is always admitted, and its
 * `finish` puts the headers on the handler's response (a header the handler set is never
 * replaced). Through `protect` or `withBulwark`, the guard's own answers (413, 429,
 * preflights) carry them too.
 */
export function securityHeaders(options: FetchSecurityHeadersOptions = {}): FetchGuard {
  return guardOf([headersStep(options)]);
}

/** The per-request work of {@link securityHeaders}, compiled once; `protect` runs it too. */
export function headersStep(options: FetchSecurityHeadersOptions): Step {
  const compiled = compileSecurityHeaders(options);
  return (pass) => {
    pass.security = compiled;
    return undefined;
  };
}
