import { compileRedaction } from '../redact/compile.js';
import { deepRedact } from '../redact/copy.js';
import { INVISIBLE, LINE_BREAKS } from './unicode.js';

/** Plain copy for JSON rendering: cycles, BigInt, toJSON and throwing getters handled. */
const AS_DATA = compileRedaction({ fields: [] });

/** JSON keeps U+2028/U+2029 and format characters raw inside strings; escape them instead. */
const JSON_UNSAFE = new RegExp(`${INVISIBLE.source}|[\\u2028\\u2029\\u0085]`, 'gu');

/** A plain copy that JSON can always write (cycles, BigInt, toJSON, throwing getters). */
export function safeCopy(value: unknown): unknown {
  return deepRedact(AS_DATA, value);
}

/** 2-space JSON of a value that is already a safe plain copy. */
export function renderCopy(copy: unknown): string {
  const json: unknown = JSON.stringify(
    copy,
    (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v),
    2,
  );
  if (typeof json !== 'string') return '';
  return json.replace(
    JSON_UNSAFE,
    (c) => `\\u${(c.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`,
  );
}

/** Strings as they are, other values as 2-space JSON of a safe copy, nothing for undefined. */
export function render(data: unknown): string {
  if (typeof data === 'string') return data;
  if (data === undefined || typeof data === 'function' || typeof data === 'symbol') return '';
  return renderCopy(safeCopy(data));
}

/**
 * One meaning of "line" for us and for whatever reads the prompt: every line break becomes
 * `\n`, and invisible characters (which hide text from a reviewer or smuggle it to the model)
 * are removed. Done in every mode, base64 included, since a model decodes them back.
 */
export function normalize(text: string): string {
  return text.replace(LINE_BREAKS, '\n').replace(INVISIBLE, '');
}

/** The truncation note, the same words in the fence and in fenceInstructions. */
export function truncationNote(omitted: number | string, total: number | string): string {
  return `[truncated: ${omitted} of ${total} characters omitted]`;
}

/** The data cut to `maxLength` (never inside a surrogate pair), and the note saying so. */
export function cut(text: string, maxLength: number): [string, string] {
  if (text.length <= maxLength) return [text, ''];
  let end = Math.floor(maxLength);
  const last = text.charCodeAt(end - 1);
  if (end > 0 && last >= 0xd800 && last <= 0xdbff) end--;
  return [text.slice(0, end), `\n${truncationNote(text.length - end, text.length)}`];
}
