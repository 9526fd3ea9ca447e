export { createFence, wrapExternalData } from './fence.js';
export type { Fence } from './fence.js';
export type { FenceEncoding, FenceOptions } from './compile-fence.js';
export { fenceInstructions } from './instructions.js';
export { BEGIN_MARKER, END_MARKER, isMarkerLike } from './markers.js';
export type { FenceLabel } from './markers.js';
export { sanitizeField } from './sanitize-field.js';
export type { SanitizeFieldOptions } from './sanitize-field.js';
