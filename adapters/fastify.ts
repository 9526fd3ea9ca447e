/**
 * Fastify plugins: translation between Fastify and the bulwark core.
 *
 * @packageDocumentation
 * @module bulwark/fastify
 */
export { securityHeaders } from './fastify/security-headers.js';
export type { FastifySecurityHeadersOptions } from './fastify/security-headers.js';
export { rejectFastify } from './fastify/reject.js';
export type { FastifyOnReject, FastifyRejectOptions } from './fastify/reject.js';
export { payloadLimit } from './fastify/payload-limit.js';
export type {
  FastifyPayloadLimitOptions,
  FastifyPayloadLimitRouteOptions,
} from './fastify/payload-limit.js';
export { verifyWebhook } from './fastify/verify-webhook.js';
export type {
  FastifyVerifyWebhookOptions,
  FastifyWebhookRouteOptions,
  FastifyWebhookSecret,
} from './fastify/verify-webhook.js';
export { rateLimit } from './fastify/rate-limit.js';
export type {
  FastifyRateLimitOptions,
  FastifyRateLimitRouteOptions,
} from './fastify/rate-limit.js';
export { cors } from './fastify/cors.js';
export type { FastifyCorsOptions, FastifyCorsRouteOptions } from './fastify/cors.js';
export { protect } from './fastify/protect.js';
export type { FastifyProtectOptions } from './fastify/protect.js';
