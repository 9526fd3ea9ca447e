/**
 * Guards over the Fetch standard (`Request` in, `Response` out) for Next.js route handlers,
 * Bun.serve, Deno.serve, Cloudflare-style `fetch(request)` handlers and Node through
 * @hono/node-server: translation between Fetch and the bulwark core.
 *
 * @packageDocumentation
 * @module bulwark/fetch
 */
export type {
  FetchAdmitted,
  FetchGuard,
  FetchRejected,
  FetchRequestInfo,
  FetchVerdict,
} from './fetch/guard.js';
export { rejectFetch } from './fetch/reject.js';
export type { FetchOnReject, FetchRejectOptions } from './fetch/reject.js';
export { securityHeaders } from './fetch/security-headers.js';
export type { FetchSecurityHeadersOptions } from './fetch/security-headers.js';
export { cors } from './fetch/cors.js';
export type { FetchCorsOptions } from './fetch/cors.js';
export { rateLimit } from './fetch/rate-limit.js';
export type { FetchRateLimitOptions } from './fetch/rate-limit.js';
export { payloadLimit } from './fetch/payload-limit.js';
export type { FetchPayloadLimitOptions } from './fetch/payload-limit.js';
export { verifyWebhook } from './fetch/verify-webhook.js';
export type { FetchVerifyWebhookOptions, FetchWebhookSecret } from './fetch/verify-webhook.js';
export { protect } from './fetch/protect.js';
export type { FetchProtectOptions } from './fetch/protect.js';
export { withBulwark } from './fetch/handler.js';
export type { FetchBody, FetchHandler, FetchHandlerOptions } from './fetch/handler.js';
