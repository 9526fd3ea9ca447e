import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { resetMisuseReports } from '../../src/log/misuse.js';
import { http } from '../helpers/http.js';
import type { HttpResponse } from '../helpers/http.js';
import { rawRequest } from '../helpers/raw-http.js';
import { hangUp } from './hang-up.js';
import { startExpress, startFastify, startHono, startKoa, startNest } from './apps/index.js';
import express4 from 'express4';
import koa2 from 'koa2';
import { appLog } from './types.js';
import type {
  AppLog,
  AppSpec,
  Framework,
  RunningApp,
  Scenario,
  ScenarioRequest,
  StartupScenario,
} from './types.js';

/**
 * Every framework major the peer ranges promise: Express 5 and 4, Koa 3 and 2, Fastify 5,
 * Hono 4 (on @hono/node-server), and Nest 12 on both of its HTTP platforms.
 * A scenario's `skip` names the framework, and applies to each of its majors.
 */
const variants: readonly {
  readonly name: string;
  readonly framework: Framework;
  readonly start: (spec: AppSpec, log: AppLog) => Promise<RunningApp>;
}[] = [
  { name: 'express 5', framework: 'express', start: (spec, log) => startExpress(spec, log) },
  {
    name: 'express 4',
    framework: 'express',
    start: (spec, log) => startExpress(spec, log, express4),
  },
  { name: 'koa 3', framework: 'koa', start: (spec, log) => startKoa(spec, log) },
  { name: 'koa 2', framework: 'koa', start: (spec, log) => startKoa(spec, log, koa2) },
  { name: 'fastify 5', framework: 'fastify', start: startFastify },
  { name: 'hono 4', framework: 'hono', start: startHono },
  {
    name: 'nest 12 (express)',
    framework: 'nest',
    start: (spec, log) => startNest(spec, log, 'express'),
  },
  {
    name: 'nest 12 (fastify)',
    framework: 'nest',
    start: (spec, log) => startNest(spec, log, 'fastify'),
  },
];

interface Sent extends HttpResponse {
  readonly closed?: boolean;
}

async function send(url: string, request: ScenarioRequest): Promise<Sent> {
  if (request.abortAfterMs !== undefined) return hangUp(url, request, request.abortAfterMs);
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

const misuseLines = (lines: readonly string[]): string[] =>
  lines.filter((line) => line.includes('misuse.'));

/**
 * Runs one scenario list against a real Express, Koa and Fastify app each, over real HTTP
 * on 127.0.0.1. The same request must get the same status, headers and body everywhere,
 * and log the same misuse lines (none, unless the scenario expects them). Startup
 * scenarios must fail to build the app, on every framework, with the same TypeError.
 */
export function runConformance(
  title: string,
  scenarios: readonly Scenario[],
  startup: readonly StartupScenario[] = [],
): void {
  describe.each(variants)(`${title} on $name`, ({ framework, start }) => {
    const running = new Map<AppSpec, { app: Promise<RunningApp>; log: AppLog }>();
    const appFor = (spec: AppSpec): { app: Promise<RunningApp>; log: AppLog } => {
      let entry = running.get(spec);
      if (entry === undefined) {
        const log = appLog();
        entry = { app: start(spec, log), log };
        running.set(spec, entry);
      }
      return entry;
    };
    afterAll(async () => {
      await Promise.all([...running.values()].map(async (entry) => (await entry.app).close()));
    });
    // Misuse is logged once per process: each scenario starts as a fresh process would.
    beforeEach(() => {
      resetMisuseReports();
    });

    for (const scenario of scenarios) {
      it.skipIf(scenario.skip?.includes(framework) ?? false)(scenario.name, async () => {
        const { app: starting, log } = appFor(scenario.app);
        const app = await starting;
        const logged = log.lines.length;
        const expected = scenario.expectOn?.[framework] ?? scenario.expect;
        for (const first of scenario.before ?? []) {
          expect((await send(app.url, first.request)).status, 'status of an earlier request').toBe(
            first.status,
          );
        }
        if (scenario.waitMs !== undefined) await sleep(scenario.waitMs);
        for (let i = 0; i < (scenario.repeat ?? 1); i++) {
          const res = await send(app.url, scenario.request);
          expect(res.status, `status for ${scenario.request.method} ${scenario.request.path}`).toBe(
            expected.status,
          );
          for (const [name, value] of Object.entries(expected.headers ?? {})) {
            const got = res.headers[name.toLowerCase()];
            if (value instanceof RegExp) expect(got, `header ${name}`).toMatch(value);
            else expect(got ?? null, `header ${name}`).toEqual(value);
          }
          if (expected.json !== undefined) expect(JSON.parse(res.text)).toEqual(expected.json);
          if (expected.text !== undefined) expect(res.text).toBe(expected.text);
          if (expected.closed !== undefined)
            expect(res.closed, 'connection closed').toBe(expected.closed);
        }
        const lines = misuseLines(log.lines.slice(logged));
        const patterns = expected.log ?? [];
        expect(lines, 'misuse lines logged').toHaveLength(patterns.length);
        patterns.forEach((pattern, i) => {
          expect(lines[i]).toMatch(pattern);
        });
      });
    }

    for (const scenario of startup) {
      it(`refused at startup: ${scenario.name}`, async () => {
        const starting = start(scenario.app, appLog());
        await expect(starting).rejects.toThrow(TypeError);
        await expect(starting).rejects.toThrow(scenario.error);
      });
    }
  });
}
