import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createSafeLogger } from 'bulwark';
import type { SafeLoggerOptions } from 'bulwark';

const R = '[REDACTED]';

/** A stream that keeps what the real logger wrote. */
function capture(): { stream: Writable; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      chunks.push(chunk.toString());
      cb();
    },
  });
  const lines = () =>
    chunks
      .join('')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { stream, lines };
}

function pinoLogger(options?: SafeLoggerOptions) {
  const out = capture();
  const log = createSafeLogger(pino({ base: null, timestamp: false }, out.stream), options);
  return { log, out };
}

/** Webhook and vendor credentials that are not in DEFAULT_LOG_FIELDS. */
const webhookHeaders = () => ({
  'content-type': 'application/json',
  'x-github-event': 'push',
  'x-hub-signature-256': 'sha256=LEAK1',
  'x-gitlab-token': 'LEAK2',
  'X-Shopify-Hmac-Sha256': 'LEAK3',
  'x-session-id': 'LEAK4',
  authorization: 'Bearer LEAK5',
});

const redactedWebhookHeaders = {
  'content-type': 'application/json',
  'x-github-event': 'push',
  'x-hub-signature-256': R,
  'x-gitlab-token': R,
  'X-Shopify-Hmac-Sha256': R,
  'x-session-id': R,
  authorization: R,
};

describe('createSafeLogger: headers members', () => {
  it('censors credential headers in a top-level headers member, in pino output', () => {
    const { log, out } = pinoLogger();
    log.info({ headers: webhookHeaders(), delivery: 'd1' }, 'delivery');
    log.info({ Headers: webhookHeaders() }, 'any case');
    expect(JSON.stringify(out.lines())).not.toContain('LEAK');
    expect(out.lines()).toEqual([
      { level: 30, headers: redactedWebhookHeaders, delivery: 'd1', msg: 'delivery' },
      { level: 30, Headers: redactedWebhookHeaders, msg: 'any case' },
    ]);
  });

  it('censors them one level down: req, request, res, or any member', () => {
    const { log, out } = pinoLogger();
    log.info({ req: { method: 'POST', url: '/hooks', headers: webhookHeaders() } }, 'req');
    log.info({ request: { headers: webhookHeaders() }, response: { status: 202 } }, 'request');
    log.info({ res: { statusCode: 200, headers: { 'set-cookie': ['a=LEAK6', 'b=LEAK7'] } } });
    log.info({ upstream: { headers: { 'x-agent-token': 'LEAK8', accept: '*/*' } } });
    const [req, request, res, upstream] = out.lines();
    expect(JSON.stringify(out.lines())).not.toContain('LEAK');
    expect(req).toMatchObject({
      req: { method: 'POST', url: '/hooks', headers: redactedWebhookHeaders },
    });
    expect(request).toMatchObject({
      request: { headers: redactedWebhookHeaders },
      response: { status: 202 },
    });
    // set-cookie is also a log field, so field redaction censors the array as a whole.
    expect(res).toMatchObject({ res: { statusCode: 200, headers: { 'set-cookie': R } } });
    expect(upstream).toMatchObject({
      upstream: { headers: { 'x-agent-token': R, accept: '*/*' } },
    });
  });

  it('censors the headers an HTTP client error carries, through pino error serialization', () => {
    const { log, out } = pinoLogger();
    const err = Object.assign(new Error('request failed'), {
      config: { url: 'https://api.example.com', headers: { 'x-gitlab-token': 'LEAK9' } },
      response: { status: 401, headers: { 'x-request-id': 'r1' } },
    });
    log.error(err);
    log.error({ err: new Error('x'), headers: { 'x-hub-signature-256': 'LEAK10' } }, 'wrapped');
    const [direct, wrapped] = out.lines();
    expect(JSON.stringify(out.lines())).not.toContain('LEAK');
    expect(direct).toMatchObject({
      err: {
        message: 'request failed',
        config: { headers: { 'x-gitlab-token': R } },
        response: { status: 401, headers: { 'x-request-id': 'r1' } },
      },
    });
    expect(wrapped).toMatchObject({ headers: { 'x-hub-signature-256': R }, msg: 'wrapped' });
  });

  it("censors an HTTP client error's headers inside pino's { err } (two levels down)", () => {
    const { log, out } = pinoLogger();
    const err = Object.assign(new Error('request failed'), {
      config: { headers: { 'x-gitlab-token': 'LEAK11', accept: 'application/json' } },
      response: { status: 401, headers: { 'x-amz-security-token': 'LEAK12' } },
    });
    const logged = { err };
    log.error(logged, 'upstream refused');
    const [line] = out.lines();
    expect(JSON.stringify(line)).not.toContain('LEAK');
    expect(line).toMatchObject({
      err: {
        config: { headers: { 'x-gitlab-token': R, accept: 'application/json' } },
        response: { headers: { 'x-amz-security-token': R } },
      },
      msg: 'upstream refused',
    });
    // Three levels down is left to field redaction: the walk stays bounded.
    log.info({ a: { b: { c: { headers: { 'x-gitlab-token': 'deep' } } } } });
    expect(JSON.stringify(out.lines()[1])).toContain('deep');
    expect(err.config.headers['x-gitlab-token']).toBe('LEAK11');
  });

  it('censors child bindings that carry headers', () => {
    const { log, out } = pinoLogger();
    log.child({ req: { headers: { 'x-gitlab-token': 'LEAK11' } } }).info('child');
    expect(out.lines()).toEqual([
      { level: 30, req: { headers: { 'x-gitlab-token': R } }, msg: 'child' },
    ]);
  });

  it('never mutates the logged object', () => {
    const { log } = pinoLogger();
    const arg = { req: { headers: webhookHeaders() }, headers: webhookHeaders() };
    const before = JSON.stringify(arg);
    log.info(arg);
    expect(JSON.stringify(arg)).toBe(before);
  });

  it('follows the headers option, and headers: false turns it off', () => {
    const custom = pinoLogger({ headers: { names: ['x-internal-auth'], mode: 'remove' } });
    custom.log.info({ headers: { 'x-internal-auth': 'LEAK', 'x-gitlab-token': 'LEAK', a: '1' } });
    expect(custom.out.lines()).toEqual([{ level: 30, headers: { a: '1' } }]);

    const off = pinoLogger({ headers: false });
    off.log.info({ headers: { 'x-gitlab-token': 'visible', authorization: 'Bearer LEAK' } });
    // Field redaction still applies; header-name matching does not.
    expect(off.out.lines()).toEqual([
      { level: 30, headers: { 'x-gitlab-token': 'visible', authorization: R } },
    ]);
  });

  it('rejects a bad headers option or an unknown option at creation', () => {
    const target = { info: () => undefined };
    expect(() => createSafeLogger(target, { headers: { mode: 'flag' as 'censor' } })).toThrow(
      /mode: "flag" is not a mode/,
    );
    expect(() => createSafeLogger(target, { header: {} } as unknown as SafeLoggerOptions)).toThrow(
      /createSafeLogger options: unknown option "header".*headers/,
    );
  });

  it('hands objects through by identity when their headers hold nothing to redact', () => {
    const seen: unknown[] = [];
    const log = createSafeLogger({ info: (o: unknown) => seen.push(o) });
    const clean = {
      headers: { accept: '*/*', 'x-request-id': 'r1' },
      req: { headers: { 'content-type': 'text/plain' } },
      other: { deep: { headers: { accept: 'x' } } },
    };
    log.info(clean);
    expect(seen[0]).toBe(clean);
    const dirty = { req: { headers: { 'x-gitlab-token': 't' } } };
    log.info(dirty);
    expect(seen[1]).not.toBe(dirty);
    expect(seen[1]).toEqual({ req: { headers: { 'x-gitlab-token': R } } });
  });

  it('handles hostile headers members without throwing', () => {
    const seen: unknown[] = [];
    const log = createSafeLogger({ info: (o: unknown) => seen.push(o) });
    const headers: Record<string, unknown> = { 'x-gitlab-token': 't' };
    headers.self = headers;
    const hostile = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error('no');
        },
      },
    );
    log.info({ headers, req: { headers: hostile } });
    log.info({ headers: 'not headers', req: { headers: ['X-Api-Key', 'k', 'Accept', 'a'] } });
    expect(seen[0]).toEqual({
      headers: { 'x-gitlab-token': R, self: '[Circular]' },
      req: { headers: '[Unreadable]' },
    });
    expect(seen[1]).toEqual({
      headers: 'not headers',
      req: { headers: ['X-Api-Key', R, 'Accept', 'a'] },
    });
  });
});
