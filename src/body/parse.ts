import { BulwarkError } from '../errors.js';

/** How a received body becomes `body`: JSON, by Content-Type, or left raw. */
export type BodyParseMode = 'json' | 'auto' | 'none';

// JSON.parse keeps a "__proto__" key as an own property; code that later merges the
// parsed object into another (Object.assign, spread into defaults, lodash.merge) would
// then set that object's prototype. Dropping such keys stops prototype pollution at the
// door; the check is a cheap substring scan so clean bodies pay nothing extra.
function dropProtoKeys(key: string, value: unknown): unknown {
  return key === '__proto__' ? undefined : value;
}

function invalidJson(cause: unknown): BulwarkError {
  return new BulwarkError({
    status: 400,
    code: 'invalid_json',
    detail: 'Request body is not valid JSON.',
    cause,
  });
}

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;
const FORM_TYPE = /^application\/x-www-form-urlencoded\s*(?:;|$)/i;
const TEXT_TYPE = /^text\//i;

function parseJson(text: string): unknown {
  try {
    return text.includes('"__proto__"') ? JSON.parse(text, dropProtoKeys) : JSON.parse(text);
  } catch (error: unknown) {
    throw invalidJson(error);
  }
}

/**
 * The parsed body, after the raw bytes were limited and (for webhooks) verified: parsing
 * comes last so that unverified input never reaches a parser. `'json'` always parses JSON;
 * `'auto'` follows Content-Type: JSON for `application/json` and `+json`, an object of
 * fields for `application/x-www-form-urlencoded` (Slack), a string for `text/*`, and
 * undefined otherwise (including no Content-Type: only `rawBody` is set). An empty body is
 * undefined. Invalid JSON throws a 400 `BulwarkError`.
 */
export function parseBody(
  raw: Buffer,
  contentType: string | undefined,
  mode: BodyParseMode,
): unknown {
  if (mode === 'none' || raw.length === 0) return undefined;
  if (mode === 'json') return parseJson(raw.toString('utf8'));
  if (contentType === undefined) return undefined;
  if (JSON_TYPE.test(contentType)) return parseJson(raw.toString('utf8'));
  if (FORM_TYPE.test(contentType)) {
    return Object.fromEntries(new URLSearchParams(raw.toString('utf8')));
  }
  if (TEXT_TYPE.test(contentType)) return raw.toString('utf8');
  return undefined;
}
