import { afterAll, describe, expect, it } from 'vitest';
import { http } from '../helpers/http.js';
import type { HttpResponse } from '../helpers/http.js';
import { rawRequest } from '../helpers/raw-http.js';
import { startExpress, startFastify, startKoa } from './apps/index.js';
import express4 from 'express4';
import koa2 from 'koa2';
import type { AppSpec, Framework, RunningApp, Scenario, ScenarioRequest } from './types.js';

/**
 * Every framework major the peer ranges promise: Express 5 and 4, Koa 3 and 2, Fastify 5.
 * A scenario's `skip` names the framework, and applies to each of its majors.
 */
const variants: readonly {
  readonly name: string;
  readonly framework: Framework;
  readonly start: (spec: AppSpec) => Promise<RunningApp>;
}[] = [
  { name: 'express 5', framework: 'express', start: (spec) => startExpress(spec) },
  { name: 'express 4', framework: 'express', start: (spec) => startExpress(spec, express4) },
  { name: 'koa 3', framework: 'koa', start: (spec) => startKoa(spec) },
  { name: 'koa 2', framework: 'koa', start: (spec) => startKoa(spec, koa2) },
  { name: 'fastify 5', framework: 'fastify', start: startFastify },
];

interface Sent extends HttpResponse {
  readonly closed?: boolean;
}

async function send(url: string, request: ScenarioRequest): Promise<Sent> {
  if (request.raw !== undefined) {
    const head = [
      `${request.method} ${request.path} HTTP/1.1`,
      'Host: 127.0.0.1',
      ...request.raw.head,
    ];
    return rawRequest(url, head.join('\r\n'), {
      ...(request.raw.body === undefined ? {} : { body: request.raw.body }),
      ...(request.raw.trailingBytes === undefined
        ? {}
        : { trailingBytes: request.raw.trailingBytes }),
    });
  }
  return http(url + request.path, {
    method: request.method,
    ...(request.headers === undefined ? {} : { headers: request.headers }),
    ...(request.body === undefined ? {} : { body: request.body }),
  });
}

/**
 * Runs one scenario list against a real Express, Koa and Fastify app each, over real HTTP
 * on 127.0.0.1. The same request must get the same status, headers and body everywhere.
 */
export function runConformance(title: string, scenarios: readonly Scenario[]): void {
  describe.each(variants)(`${title} on $name`, ({ framework, start }) => {
    const running = new Map<AppSpec, Promise<RunningApp>>();
    const appFor = (spec: AppSpec): Promise<RunningApp> => {
      let app = running.get(spec);
      if (app === undefined) {
        app = start(spec);
        running.set(spec, app);
      }
      return app;
    };
    afterAll(async () => {
      await Promise.all([...running.values()].map(async (app) => (await app).close()));
    });

    for (const scenario of scenarios) {
      it.skipIf(scenario.skip?.includes(framework) ?? false)(scenario.name, async () => {
        const app = await appFor(scenario.app);
        for (const first of scenario.before ?? []) {
          expect((await send(app.url, first.request)).status, 'status of an earlier request').toBe(
            first.status,
          );
        }
        const res = await send(app.url, scenario.request);
        expect(res.status, `status for ${scenario.request.method} ${scenario.request.path}`).toBe(
          scenario.expect.status,
        );
        for (const [name, value] of Object.entries(scenario.expect.headers ?? {})) {
          const got = res.headers[name.toLowerCase()];
          expect(got ?? null, `header ${name}`).toEqual(value);
        }
        if (scenario.expect.json !== undefined)
          expect(JSON.parse(res.text)).toEqual(scenario.expect.json);
        if (scenario.expect.text !== undefined) expect(res.text).toBe(scenario.expect.text);
        if (scenario.expect.closed !== undefined)
          expect(res.closed, 'connection closed').toBe(scenario.expect.closed);
      });
    }
  });
}
