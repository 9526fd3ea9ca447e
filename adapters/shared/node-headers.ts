import type { ServerResponse } from 'node:http';
import type { HeaderAccess } from 'bulwark';

/** Header access on Node's own response object, which Express and Koa both expose. */
export const nodeResponseHeaders: HeaderAccess<ServerResponse> = {
  get: (res, name) => res.getHeader(name),
  set: (res, name, value) => res.setHeader(name, value),
  remove: (res, name) => {
    res.removeHeader(name);
  },
};

/** Sets every header of a precomputed record (a rate-limit outcome's) on Node's response. */
export function setNodeHeaders(
  res: ServerResponse,
  headers: Readonly<Record<string, string | undefined>>,
): void {
  for (const name in headers) {
    const value = headers[name];
    if (value !== undefined) res.setHeader(name, value);
  }
}
