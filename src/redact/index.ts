export { createRedactor, redact } from './redactor.js';
export type { CensorValue, RedactMode, RedactOptions, Redactor } from './types.js';
export { createTextRedactor, redactText } from './text.js';
export type { CustomTextPattern, TextRedactionOptions } from './text.js';
export { createHeaderRedactor, DEFAULT_REDACTED_HEADERS, redactHeaders } from './headers.js';
export type { HeaderRedactionOptions, HeaderRedactor } from './headers.js';
