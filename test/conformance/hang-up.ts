import { request as httpRequest } from 'node:http';
import type { HttpResponse } from '../helpers/http.js';
import type { ScenarioRequest } from './types.js';

/**
 * How long a hang-up waits after closing its connection before the scenario goes on: the
 * server sees the close on its next turn, and the next request must find it seen.
 */
const SEEN_CLOSED_MS = 100;

/**
 * Sends a request over a fresh connection and hangs up `afterMs` later, as a client that gives
 * up on a slow answer does. Status 0 when no answer came first (the answer's status
 * otherwise, so a request refused before it reached the slow handler shows as such).
 */
export function hangUp(
  url: string,
  request: ScenarioRequest,
  afterMs: number,
): Promise<HttpResponse> {
  return new Promise((resolve) => {
    let answered: HttpResponse | undefined;
    const req = httpRequest(
      url + request.path,
      {
        method: request.method,
        headers: request.headers as Record<string, string | string[]> | undefined,
        agent: false,
      },
      (res) => {
        answered = { status: res.statusCode ?? 0, headers: res.headers, text: '' };
        res.resume();
      },
    );
    // Destroying the request is reported as an error ('socket hang up'): the point of it.
    req.on('error', () => undefined);
    req.end(request.body);
    setTimeout(() => {
      req.destroy();
      setTimeout(() => {
        resolve(answered ?? { status: 0, headers: {}, text: '' });
      }, SEEN_CLOSED_MS);
    }, afterMs);
  });
}
