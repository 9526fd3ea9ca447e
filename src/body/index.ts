export { createBodyReader, isBodyConsumed, readLimitedBody } from './read.js';
export type { BodyReader } from './read.js';
export { DEFAULT_BODY_TIMEOUT_MS } from './options.js';
export type { HeaderBag, ReadLimitedBodyOptions } from './options.js';
