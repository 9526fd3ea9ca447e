export { wrapExternalData } from './fence.js';
export type { FenceOptions } from './fence.js';
export { BEGIN_MARKER, END_MARKER, isMarkerLike } from './markers.js';
export type { FenceLabel } from './markers.js';
export { sanitizeField } from './sanitize-field.js';
export type { SanitizeFieldOptions } from './sanitize-field.js';
