// bulwark/fastify: translation between Fastify and the bulwark core.
export { securityHeaders } from './fastify/security-headers.js';
export type { FastifySecurityHeadersOptions } from './fastify/security-headers.js';
export { rejectFastify } from './fastify/reject.js';
export type { FastifyOnReject, FastifyRejectOptions } from './fastify/reject.js';
export { rateLimit } from './fastify/rate-limit.js';
export type {
  FastifyRateLimitOptions,
  FastifyRateLimitRouteOptions,
} from './fastify/rate-limit.js';
