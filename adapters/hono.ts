/**
 * Hono middleware: translation between Hono and the bulwark core. Runs wherever Hono runs;
 * on @hono/node-server the client address is read from the socket, on other runtimes the
 * rate limit takes a `clientAddress` function.
 *
 * @packageDocumentation
 * @module bulwark/hono
 */
export { securityHeaders } from './hono/security-headers.js';
export type { HonoSecurityHeadersOptions } from './hono/security-headers.js';
export { rejectHono } from './hono/reject.js';
export type { HonoOnReject, HonoRejectOptions } from './hono/reject.js';
export { payloadLimit } from './hono/payload-limit.js';
export type { HonoPayloadLimitOptions } from './hono/payload-limit.js';
export { verifyWebhook } from './hono/verify-webhook.js';
export type { HonoVerifyWebhookOptions, HonoWebhookSecret } from './hono/verify-webhook.js';
export { rateLimit } from './hono/rate-limit.js';
export type { HonoRateLimitOptions } from './hono/rate-limit.js';
export type { HonoClientAddress } from './hono/client-address.js';
export { cors } from './hono/cors.js';
export type { HonoCorsOptions } from './hono/cors.js';
export { protect } from './hono/protect.js';
export type { HonoProtectOptions } from './hono/protect.js';
