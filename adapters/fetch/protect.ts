import { corsStep } from './cors.js';
import type { FetchCorsOptions } from './cors.js';
import { guardOf } from './guard.js';
import type { FetchGuard, Step } from './guard.js';
import { payloadStep } from './payload-limit.js';
import type { FetchPayloadLimitOptions } from './payload-limit.js';
import { checkFetchProtectOptions } from './protect-options.js';
import { rateLimitStep } from './rate-limit.js';
import type { FetchRateLimitOptions } from './rate-limit.js';
import { headersStep } from './security-headers.js';
import type { FetchSecurityHeadersOptions } from './security-headers.js';
import { verifyStep } from './verify-webhook.js';
import type { FetchVerifyWebhookOptions } from './verify-webhook.js';

/** Options for the Fetch `protect` guard: each part takes its own guard's options. */
export interface FetchProtectOptions {
  /** Options for the security headers, or `false` for none. Default: `{}` (the default preset). */
  readonly securityHeaders?: FetchSecurityHeadersOptions | false;
  /** Options for CORS, or `false` (or leaving it out) for none. Default: none. */
  readonly cors?: FetchCorsOptions | false;
  /** Options for the rate limit, or `false` (or leaving it out) for none. Default: none. */
  readonly rateLimit?: FetchRateLimitOptions | false;
  /** Options for the payload limit, or `false` (or leaving it out) for none; not with `verifyWebhook`. Default: none. */
  readonly payloadLimit?: FetchPayloadLimitOptions | false;
  /** Options for webhook verification (which includes the payload limit), or `false` (or leaving it out) for none. Default: none. */
  readonly verifyWebhook?: FetchVerifyWebhookOptions | false;
}

/** The steps of a checked `protect` options object, in their order. */
export function protectSteps(options: FetchProtectOptions): Step[] {
  const {
    securityHeaders = {},
    cors = false,
    rateLimit = false,
    payloadLimit = false,
    verifyWebhook = false,
  } = options;
  const steps: Step[] = [];
  if (securityHeaders !== false) steps.push(headersStep(securityHeaders));
  if (cors !== false) steps.push(corsStep(cors));
  if (rateLimit !== false) steps.push(rateLimitStep(rateLimit));
  if (payloadLimit !== false) steps.push(payloadStep(payloadLimit));
  if (verifyWebhook !== false) steps.push(verifyStep(verifyWebhook));
  return steps;
}

/**
 * Security headers, CORS, a rate limit and one body guard (`payloadLimit` or
 * `verifyWebhook`) as one guard, applied in that order: the headers go on every answer, a
 * preflight is answered before it is counted, and a body is read only from a request the
 * rate limit admitted. It decides exactly as the separate guards would in that order, and
 * an option key that is not one of the parts is a `TypeError` here, at creation.
 */
export function protect(options: FetchProtectOptions = {}): FetchGuard {
  checkFetchProtectOptions(options);
  return guardOf(protectSteps(options));
}
