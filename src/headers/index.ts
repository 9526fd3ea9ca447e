export { buildSecurityHeaders, compileSecurityHeaders } from './build.js';
export type { CompiledSecurityHeaders } from './build.js';
export {
  applySecurityHeaders,
  hasSecurityHeaders,
  securityHeadersForError,
  securityHeadersSlot,
} from './apply.js';
export type { HeaderAccess } from './apply.js';
export { securityHeadersFromEnv } from './from-env.js';
export type { Env } from './from-env.js';
export type {
  CspDirectives,
  HeaderSetting,
  HstsOptions,
  SecurityHeaderKey,
  SecurityHeadersOptions,
  SecurityHeadersPreset,
} from './types.js';
