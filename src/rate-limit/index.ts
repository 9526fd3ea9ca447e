export { createRateLimiter, REFUND_FAILED } from './limiter.js';
export { compileCombinedLimit } from './combined.js';
export type { CombinedDecision, CombinedLimit } from './combined.js';
export { MemoryStore, DEFAULT_MAX_KEYS } from './memory-store.js';
export type { MemoryStoreOptions } from './memory-store.js';
export type {
  RateLimitAlgorithm,
  RateLimitCall,
  RateLimitDecision,
  RateLimitEvent,
  RateLimiter,
  RateLimiterOptions,
  RateLimitLogger,
  RateLimitPolicy,
  RateLimitStore,
  StoreErrorPolicy,
} from './types.js';
export { DEFAULT_MAX_BLOCK_MS, MAX_SLIDING_LOG_LIMIT } from './validate.js';
export {
  STORE_RECOVERED,
  STORE_RECOVERY_QUIET_MS,
  STORE_UNAVAILABLE,
  STORE_UNAVAILABLE_RETRY_AFTER_MS,
} from './failure-policy.js';
export {
  addressKey,
  compileClientAddress,
  compileClientIp,
  resolveClientIp,
  UNKNOWN_CLIENT,
} from './client-ip.js';
export type {
  ClientAddressInput,
  ClientAddressResolver,
  ClientIpOptions,
  ClientIpResolver,
  ProxyHeader,
} from './client-ip.js';
export { cidrContains, formatIp, parseCidr, parseIp } from './ip.js';
export type { Cidr, ParsedIp } from './ip.js';
export { compileRateLimitHeaders, rateLimitHeaders } from './headers.js';
export type {
  RateLimitHeaderBuilder,
  RateLimitHeaderFormat,
  RateLimitHeaderOptions,
} from './headers.js';
export { clientAddressUnavailable, rateLimitError, TOO_MANY_REQUESTS } from './rejection.js';
export { MISSION_CONTROL_RATE_LIMITS } from './presets.js';
export type { RateLimitPreset } from './presets.js';
export { compileRateLimit, rateLimitLogger, rateLimitSlot } from './middleware.js';
export type {
  RateLimitCheck,
  RateLimitEntry,
  RateLimitKey,
  RateLimitMiddlewareOptions,
  RateLimitOutcome,
  RateLimitSettle,
} from './middleware.js';
