import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExpress, startFastify, startKoa } from '../conformance/apps/index.js';
import type { RunningApp } from '../conformance/types.js';
import { RawConnection } from '../helpers/raw-connection.js';
import type { RawOutcome } from '../helpers/raw-connection.js';
import { LIMIT, READ_TIMEOUT_MS, attackApp, attackCases, request } from './cases.js';
import type { AttackCase } from './cases.js';
import { trackEscapes } from '../helpers/escapes.js';

const starters = { express: startExpress, koa: startKoa, fastify: startFastify } as const;

// Anything that escapes as an unhandled rejection or exception fails the file.
const escaped = trackEscapes();
afterAll(() => {
  expect(escaped).toEqual([]);
});

const CONTROL = request('/body', ['Content-Length: 2', 'Content-Type: application/json'], '{}');

/** An answer and whether the server closed the connection after it. */
interface Answer {
  readonly outcome: RawOutcome;
  readonly closed: boolean;
}

/** Checks the invariants every attack answer must hold, and the case's own expectation. */
function check(attack: AttackCase, { outcome, closed }: Answer): void {
  const { outcomes, detail } = attack.expect;
  if (outcome.kind === 'closed') {
    expect(outcomes, `${attack.name}: closed without an answer`).toContain('closed');
    return;
  }
  const { status, body, headers } = outcome.reply;
  expect(status, `${attack.name}: ${body}`).toBeLessThan(500);
  expect(outcomes, `${attack.name}: got ${String(status)} ${body}`).toContain(status);
  if (attack.expect.closed !== undefined) {
    expect(closed, `${attack.name}: connection closed`).toBe(attack.expect.closed);
  }
  if (status < 400) return;
  // The HTTP parser (Node's, or Fastify's clientError handler) refused the request before
  // any middleware ran: a bare 400, no security headers, and the connection closed.
  if (status === 400 && headers['x-content-type-options'] === undefined) {
    expect(closed, `${attack.name}: parser refusal closes`).toBe(true);
    return;
  }
  const parsed = JSON.parse(body) as { detail?: unknown; code?: unknown };
  // Fastify's own content-type parsing, after bulwark let the body through (its 415 for a
  // Content-Type it has no parser for): the framework's answer, not bulwark's.
  if (typeof parsed.code === 'string' && parsed.code.startsWith('FST_')) return;
  // Anything from bulwark is JSON with a detail, and keeps the security headers.
  expect(typeof parsed.detail, `${attack.name}: ${body}`).toBe('string');
  if (detail !== undefined && status !== 400) expect(parsed.detail).toBe(detail);
  expect(headers['x-content-type-options']).toBe('nosniff');
}

async function attackOnce(url: string, attack: AttackCase): Promise<Answer> {
  const conn = new RawConnection(url);
  try {
    const outcome = await conn.send(attack.bytes);
    if (outcome.kind === 'closed') return { outcome, closed: true };
    if (!outcome.closed) {
      // A kept-alive connection must still be in step: the next request gets its own answer
      // (the rest of a smuggled body is never parsed as a request), or the server closed.
      const after = await conn.send(CONTROL);
      if (after.kind === 'reply') {
        expect(after.reply.status, attack.name).toBe(202);
        return { outcome, closed: false };
      }
      return { outcome, closed: true };
    }
    // Closed after the answer: nothing the client sent after it may be answered.
    const after = await conn.next(1000).catch(() => ({ kind: 'timeout' }) as const);
    expect(after.kind, `${attack.name}: answered after close`).not.toBe('reply');
    return { outcome, closed: true };
  } finally {
    conn.destroy();
  }
}

async function attackHalfClose(url: string, attack: AttackCase): Promise<Answer> {
  const conn = new RawConnection(url);
  try {
    await conn.ready();
    const pending = conn.next();
    conn.write(attack.bytes);
    conn.end();
    return { outcome: await pending, closed: true };
  } finally {
    conn.destroy();
  }
}

describe.each(Object.keys(starters) as (keyof typeof starters)[])(
  'raw-socket attacks on %s',
  (name) => {
    let app: RunningApp;
    beforeAll(async () => {
      app = await starters[name](attackApp);
    });
    afterAll(async () => {
      await app.close();
    });

    it.each(attackCases.map((c) => [c.name, c] as const))('%s', async (_name, attack) => {
      const outcome =
        attack.endAfter === true
          ? await attackHalfClose(app.url, attack)
          : await attackOnce(app.url, attack);
      check(attack, outcome);
    });

    it('a body trickling one byte a second hits the read timeout: 408, connection closed', async () => {
      const conn = new RawConnection(app.url);
      await conn.ready();
      const answer = conn.next(READ_TIMEOUT_MS + 4000);
      conn.write(request('/body', ['Content-Length: 100'], 'a'));
      const drip = setInterval(() => {
        conn.write('a');
      }, 1000);
      try {
        const outcome = await answer;
        expect(outcome.kind).toBe('reply');
        if (outcome.kind !== 'reply') return;
        expect(outcome.reply.status).toBe(408);
        expect(JSON.parse(outcome.reply.body)).toEqual({
          detail: 'Request body was not received in time.',
        });
        expect(outcome.closed).toBe(true);
      } finally {
        clearInterval(drip);
        conn.destroy();
      }
    });

    it('a chunked body that never ends hits the read timeout: 408, connection closed', async () => {
      const conn = new RawConnection(app.url);
      await conn.ready();
      const answer = conn.next(READ_TIMEOUT_MS + 4000);
      conn.write(request('/hook', ['Transfer-Encoding: chunked'], '4\r\nabcd\r\n'));
      try {
        const outcome = await answer;
        expect(outcome.kind === 'reply' ? outcome.reply.status : 'closed').toBe(408);
        expect(outcome.kind === 'reply' && outcome.closed).toBe(true);
      } finally {
        conn.destroy();
      }
    });

    it('limit + 1 is refused while exactly the limit passes, on the same route', async () => {
      const exact = await attackOnce(app.url, {
        name: 'exact',
        bytes: request(
          '/body',
          [`Content-Length: ${LIMIT}`, 'Content-Type: text/plain'],
          'b'.repeat(LIMIT),
        ),
        expect: { outcomes: [202] },
      });
      expect(exact.outcome.kind === 'reply' && JSON.parse(exact.outcome.reply.body)).toMatchObject({
        rawBytes: LIMIT,
      });
    });
  },
);
