import type { AppResponse } from '../http.js';
import { json } from '../http.js';
import type { Services } from '../services.js';

/** Liveness: the process answers. */
export function healthz(): AppResponse {
  return json(200, { ok: true });
}

/** Readiness: the rate-limit store answers (a configured Redis that is down fails this). */
export async function readyz(services: Services): Promise<AppResponse> {
  return (await services.ready())
    ? json(200, { ok: true })
    : json(503, { detail: 'Rate-limit store unavailable.' });
}
