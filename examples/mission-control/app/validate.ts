import { HttpError } from './http.js';

/** Field readers for JSON bodies: a wrong shape is a 422 that names the field. */
export function objectBody(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new HttpError(422, 'Request body must be a JSON object.');
  }
  return body as Record<string, unknown>;
}

export function stringField(
  body: Record<string, unknown>,
  name: string,
  opts: { required?: boolean; max?: number } = {},
): string | undefined {
  const value = body[name];
  if (value === undefined || value === null) {
    if (opts.required === true) throw new HttpError(422, `Field "${name}" is required.`);
    return undefined;
  }
  if (typeof value !== 'string') throw new HttpError(422, `Field "${name}" must be a string.`);
  if (value.length > (opts.max ?? 4096)) throw new HttpError(422, `Field "${name}" is too long.`);
  return value;
}

export function booleanField(body: Record<string, unknown>, name: string): boolean | undefined {
  const value = body[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean')
    throw new HttpError(422, `Field "${name}" must be true or false.`);
  return value;
}
