import { startMissionControl } from '../../../examples/mission-control/app/start.js';
import type { RunningMissionControl } from '../../../examples/mission-control/app/start.js';
import { http } from '../../helpers/http.js';
import type { HttpRequestOptions, HttpResponse } from '../../helpers/http.js';

export interface Harness {
  readonly mc: RunningMissionControl;
  /** Every log line the server wrote. */
  readonly logs: string[];
  /** Every response body seen, to search for secrets afterwards. */
  readonly bodies: string[];
  request(path: string, options?: HttpRequestOptions & { ip?: string }): Promise<HttpResponse>;
}

let nextIp = 1;
/** A fresh client address per use, sent through the trusted loopback proxy. */
export const freshIp = (): string => `203.0.113.${String(nextIp++ % 250)}`;

export async function startHarness(env: Record<string, string>): Promise<Harness> {
  const logs: string[] = [];
  const bodies: string[] = [];
  const mc = await startMissionControl(
    // Loopback is the trusted proxy, so each test can speak as its own client IP.
    { PORT: '0', TRUSTED_PROXIES: '127.0.0.1', WEBHOOK_MAX_PAYLOAD_BYTES: '2048', ...env },
    (line) => logs.push(line),
  );
  return {
    mc,
    logs,
    bodies,
    request: async (path, options = {}) => {
      const { ip, ...rest } = options;
      const headers = {
        ...(rest.headers ?? {}),
        ...(ip === undefined ? {} : { 'X-Forwarded-For': ip }),
      };
      const res = await http(mc.url + path, { ...rest, headers });
      bodies.push(res.text);
      return res;
    },
  };
}
