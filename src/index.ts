/**
 * The framework-agnostic core: every security decision, on plain values.
 *
 * @packageDocumentation
 * @module bulwark
 */
export { BulwarkError, isBulwarkError } from './errors.js';
export type { BulwarkErrorCode, BulwarkErrorOptions } from './errors.js';
export { renderRejection } from './render.js';
export type { RenderedRejection } from './render.js';
export { reportOnRejectFailure } from './on-reject.js';
export type { OnRejectFailure } from './on-reject.js';
export { configFromEnv, ConfigError, DEFAULT_MAX_PAYLOAD_BYTES } from './config.js';
export type { BulwarkConfig, RateLimitBackend } from './config.js';
export * from './headers/index.js';
export * from './cors/index.js';
export { maskUrlCredentials } from './util/mask-url.js';
export { isPromise } from './util/maybe-promise.js';
export type { MaybePromise } from './util/maybe-promise.js';
export * from './body/index.js';
export * from './webhook/index.js';
export * from './rate-limit/index.js';
export * from './redact/index.js';
export * from './log/index.js';
export * from './prompt/index.js';
