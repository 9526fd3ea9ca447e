/**
 * NestJS: a module, guards and decorators over the bulwark core, on
 * @nestjs/platform-express and @nestjs/platform-fastify.
 *
 * @packageDocumentation
 * @module bulwark/nest
 */
export { BulwarkModule } from './nest/module.js';
export type { BulwarkModuleAsyncOptions } from './nest/module.js';
export type {
  BulwarkModuleOptions,
  NestCorsOptions,
  NestPayloadLimitOptions,
  NestRateLimitOptions,
  NestSecurityHeadersOptions,
  NestVerifyWebhookOptions,
  NestWebhookSecret,
} from './nest/options.js';
export {
  PayloadLimit,
  RateLimit,
  SecurityHeaders,
  SkipRateLimit,
  VerifyWebhook,
} from './nest/decorators.js';
export type { BulwarkDecorator } from './nest/decorators.js';
export { BulwarkGuard, BulwarkRouteGuard } from './nest/guards.js';
export { BulwarkHttpException, rejectNest } from './nest/exception.js';
export type { NestRequest } from './nest/platform.js';
export type { BulwarkRuntime } from './nest/runtime.js';
export type { BodyCheck } from './nest/body-check.js';
