/**
 * Koa middleware: translation between Koa and the bulwark core.
 *
 * @packageDocumentation
 * @module bulwark/koa
 */
export { securityHeaders } from './koa/security-headers.js';
export type { KoaSecurityHeadersOptions } from './koa/security-headers.js';
export { rejectKoa } from './koa/reject.js';
export type { KoaOnReject, KoaRejectOptions } from './koa/reject.js';
export { payloadLimit } from './koa/payload-limit.js';
export type { KoaPayloadLimitOptions } from './koa/payload-limit.js';
export { verifyWebhook } from './koa/verify-webhook.js';
export type { KoaVerifyWebhookOptions, KoaWebhookSecret } from './koa/verify-webhook.js';
export { rateLimit } from './koa/rate-limit.js';
export type { KoaRateLimitOptions } from './koa/rate-limit.js';
export { cors } from './koa/cors.js';
export type { KoaCorsOptions } from './koa/cors.js';
export { protect } from './koa/protect.js';
export type { KoaProtectOptions } from './koa/protect.js';
