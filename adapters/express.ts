/**
 * Express middleware: translation between Express and the bulwark core.
 *
 * @packageDocumentation
 * @module bulwark/express
 */
export { securityHeaders } from './express/security-headers.js';
export type { ExpressSecurityHeadersOptions } from './express/security-headers.js';
export { rejectExpress } from './express/reject.js';
export type { ExpressOnReject, ExpressRejectOptions } from './express/reject.js';
export { payloadLimit } from './express/payload-limit.js';
export type { ExpressPayloadLimitOptions } from './express/payload-limit.js';
export { verifyWebhook } from './express/verify-webhook.js';
export type {
  ExpressVerifyWebhookOptions,
  ExpressWebhookSecret,
} from './express/verify-webhook.js';
export { rateLimit } from './express/rate-limit.js';
export type { ExpressRateLimitOptions } from './express/rate-limit.js';
export { cors } from './express/cors.js';
export type { ExpressCorsOptions } from './express/cors.js';
export { protect } from './express/protect.js';
export type { ExpressProtectOptions } from './express/protect.js';
