export {
  createBodyReader,
  isBodyConsumed,
  readLimitedBody,
  rememberBody,
  rememberedBody,
} from './read.js';
export type { BodyReader } from './read.js';
export { DEFAULT_BODY_TIMEOUT_MS } from './options.js';
export type { HeaderBag, ReadLimitedBodyOptions } from './options.js';
export { parseBody } from './parse.js';
export type { BodyParseMode } from './parse.js';
export { createBodyReceiver } from './receiver.js';
export type { BodyReceipt, BodyReceiver, PayloadLimitOptions } from './receiver.js';
export { reportBodyConsumed } from './consumed.js';
