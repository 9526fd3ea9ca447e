import { randomUUID } from 'node:crypto';
import type { Services } from './services.js';

// An incoming X-Request-Id is reused only when it is short and plain, so a client cannot
// inject newlines or megabytes into our logs through it.
const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export interface RequestLog {
  readonly id: string;
  /** Call once when the response has been sent. */
  finish(status: number): void;
}

/**
 * Request id and access log for one request, shared by the three frameworks: every
 * response carries X-Request-Id, every request is logged once (path without its query
 * string, which may hold tokens), and a request slower than REQUEST_LOG_SLOW_MS is a warning.
 */
export function startRequest(
  services: Services,
  slowMs: number,
  method: string,
  url: string,
  incomingId: unknown,
): RequestLog {
  const id = typeof incomingId === 'string' && SAFE_ID.test(incomingId) ? incomingId : randomUUID();
  const started = performance.now();
  const path = url.split('?', 1)[0] ?? '/';
  return {
    id,
    finish: (status) => {
      const durationMs = Math.round((performance.now() - started) * 10) / 10;
      const entry = {
        event: 'request',
        request_id: id,
        method,
        path,
        status,
        duration_ms: durationMs,
      };
      if (slowMs > 0 && durationMs >= slowMs)
        services.logger.warn({ ...entry, slow: true }, 'slow request');
      else services.logger.info(entry, 'request');
    },
  };
}
