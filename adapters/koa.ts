// bulwark/koa: translation between Koa and the bulwark core.
export { securityHeaders } from './koa/security-headers.js';
export type { KoaSecurityHeadersOptions } from './koa/security-headers.js';
export { rejectKoa } from './koa/reject.js';
export type { KoaOnReject, KoaRejectOptions } from './koa/reject.js';
export { rateLimit } from './koa/rate-limit.js';
export type { KoaRateLimitOptions } from './koa/rate-limit.js';
