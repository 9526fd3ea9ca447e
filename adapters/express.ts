// bulwark/express: translation between Express and the bulwark core.
export { securityHeaders } from './express/security-headers.js';
export type { ExpressSecurityHeadersOptions } from './express/security-headers.js';
export { rejectExpress } from './express/reject.js';
export type { ExpressOnReject, ExpressRejectOptions } from './express/reject.js';
export { rateLimit } from './express/rate-limit.js';
export type { ExpressRateLimitOptions } from './express/rate-limit.js';
