export { compileCors } from './policy.js';
export type { CorsPolicy } from './policy.js';
export { corsFromEnv } from './from-env.js';
export { DEFAULT_CORS_METHODS } from './options.js';
export { mergeVary } from './vary.js';
export { normalizeOrigin } from './origin.js';
export type {
  CorsOptions,
  CorsOriginFunction,
  CorsOrigins,
  CorsOutcome,
  CorsRequest,
} from './types.js';
