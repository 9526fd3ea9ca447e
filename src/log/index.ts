export { tokenPrefix } from './token-prefix.js';
export {
  INVALID_TOKEN_EVENT,
  MISSING_TOKEN_EVENT,
  logAuthFailure,
  loggablePath,
} from './auth-failure.js';
export type { AuthFailureInfo } from './auth-failure.js';
export { createSafeLogger, DEFAULT_LOG_FIELDS } from './safe-logger.js';
export type { SafeLoggerOptions } from './safe-logger.js';
export type { LoggerLike, LogMethod } from './logger-kind.js';
export { reportMisuse } from './misuse.js';
export type { MisuseCode } from './misuse.js';
