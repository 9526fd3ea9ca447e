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
