import { BulwarkError, isBulwarkError, readLimitedBody } from 'bulwark';
import type { AppRequest, AppResponse } from './http.js';
import { HttpError } from './http.js';
import type { Route } from './routes.js';
import type { Services } from './services.js';

/** Ordinary JSON bodies are small; webhook ingest has its own, configurable limit. */
const JSON_BODY_LIMIT = 64 * 1024;

function hasBody(req: AppRequest): boolean {
  return (
    req.headers['transfer-encoding'] !== undefined || (req.headers['content-length'] ?? '0') !== '0'
  );
}

/** JSON bodies go through bulwark's bounded reader too: same 413/400 rules on every route. */
async function readJsonBody(req: AppRequest): Promise<unknown> {
  if (!hasBody(req)) return undefined;
  const type = req.headers['content-type'] ?? '';
  if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(type)) {
    throw new HttpError(415, 'Content-Type must be application/json.');
  }
  const bytes = await readLimitedBody(req.raw, { limit: JSON_BODY_LIMIT, headers: req.headers });
  if (bytes.length === 0) return undefined;
  try {
    return JSON.parse(bytes.toString('utf8')) as unknown;
  } catch {
    throw new HttpError(400, 'Request body is not valid JSON.');
  }
}

/** Any failure as `{"detail": ...}`: HttpError and BulwarkError with their status; anything else a logged 500. */
export function errorResponse(services: Services, req: AppRequest, error: unknown): AppResponse {
  if (error instanceof HttpError)
    return { status: error.status, body: { detail: error.message }, headers: error.headers };
  if (isBulwarkError(error))
    return { status: error.status, body: { detail: error.detail }, headers: error.headers };
  services.logger.error(
    {
      event: 'request.failed',
      request_id: req.requestId,
      path: req.path,
      err: error instanceof Error ? error.message : String(error),
    },
    'unexpected error',
  );
  return { status: 500, body: { detail: 'Internal Server Error' } };
}

/** Runs one route: body (unless the route reads its own stream), handler, errors rendered. */
export async function dispatch(
  services: Services,
  route: Route,
  req: AppRequest,
): Promise<AppResponse> {
  try {
    const body = route.kind === 'ingest' ? undefined : await readJsonBody(req);
    return await route.handler(services, { ...req, body });
  } catch (error) {
    return errorResponse(services, req, error);
  }
}

export { BulwarkError };
