import { Writable } from 'node:stream';
import pino from 'pino';
import winston from 'winston';
import { describe, expect, it } from 'vitest';
import { createSafeLogger, logAuthFailure } from 'bulwark';
import { hostileValues, SECRET_TEXTS } from '../fixtures/adversarial.js';

/** A stream that keeps what the real logger wrote. */
function capture(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      chunks.push(chunk.toString());
      cb();
    },
  });
  return { stream, text: () => chunks.join('') };
}

function lines(text: string): Record<string, unknown>[] {
  return text
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('createSafeLogger with pino', () => {
  it('scrubs messages, objects, errors and child bindings before pino writes them', () => {
    const out = capture();
    const log = createSafeLogger(pino({ base: null, timestamp: false }, out.stream));
    log.info(
      { headers: { Authorization: 'Bearer LEAK1' }, url: '/x?token=LEAK2' },
      'GET redis://u:LEAK3@h',
    );
    log.child({ token: 'LEAK4', board: 7 }).warn('child says password=LEAK5');
    log.error(new Error('failed with secret=LEAK6'));
    for (const { text } of SECRET_TEXTS) log.info(text);
    for (const value of Object.values(hostileValues())) log.info({ value }, 'hostile');
    const written = out.text();
    expect(written).not.toContain('LEAK');
    const [first, second, third] = lines(written);
    expect(first).toMatchObject({
      headers: { Authorization: '[REDACTED]' },
      url: '/x?token=[REDACTED]',
      msg: 'GET redis://u:***@h',
    });
    expect(second).toMatchObject({
      token: '[REDACTED]',
      board: 7,
      msg: 'child says password=[REDACTED]',
    });
    expect(third).toMatchObject({
      level: 50,
      err: { type: 'Error', message: 'failed with secret=[REDACTED]' },
    });
  });

  it('passes clean arguments through untouched and keeps pino working', () => {
    const out = capture();
    const base = pino({ base: null, timestamp: false, level: 'info' }, out.stream);
    const log = createSafeLogger(base);
    const obj = { a: 1, list: [1, 2] };
    log.info(obj, 'plain %s', 'text');
    log.debug({ token: 'LEAK' }, 'disabled level');
    expect(log.isLevelEnabled('info')).toBe(true);
    expect(log.level).toBe('info');
    expect(lines(out.text())).toEqual([{ level: 30, a: 1, list: [1, 2], msg: 'plain text' }]);
  });

  it('passes pino child options through unchanged', () => {
    const out = capture();
    const log = createSafeLogger(pino({ base: null, timestamp: false }, out.stream));
    const child = log.child(
      { secret: 'LEAK' },
      { level: 'warn', serializers: { user: (u: { id: number }) => ({ id: u.id }) } },
    );
    child.info('filtered by the child level');
    child.warn({ user: { id: 7, password: 'LEAK' } }, 'kept');
    expect(lines(out.text())).toEqual([
      { level: 40, secret: '[REDACTED]', user: { id: 7 }, msg: 'kept' },
    ]);
  });

  it('works with logAuthFailure', () => {
    const out = capture();
    const log = createSafeLogger(pino({ base: null, timestamp: false }, out.stream));
    logAuthFailure(log, { path: '/api/v1/agent?token=LEAK', token: 'mc_live_8f3a9c2e71d04b5a' });
    expect(lines(out.text())).toEqual([
      {
        level: 40,
        event: 'agent_auth.invalid_token',
        path: '/api/v1/agent',
        token_prefix: 'mc_liv',
        msg: 'agent_auth.invalid_token',
      },
    ]);
  });
});

describe('createSafeLogger with winston', () => {
  it('scrubs messages, meta objects and child metadata', () => {
    const out = capture();
    const base = winston.createLogger({
      format: winston.format.json(),
      // winston's own types declare the transport class twice (winston and winston-transport).
      // eslint-disable-next-line @typescript-eslint/no-unsafe-class-instance-assignment
      transports: [new winston.transports.Stream({ stream: out.stream })],
    });
    const log = createSafeLogger(base);
    log.info('connect postgres://app:LEAK1@db', {
      password: 'LEAK2',
      nested: { api_key: 'LEAK3' },
    });
    log.child({ secret: 'LEAK4' }).warn('child');
    log.log('error', 'token=LEAK5');
    logAuthFailure(log, { path: '/p', headers: { 'x-agent-token': 'LEAK6' } });
    const written = out.text();
    expect(written).not.toContain('LEAK');
    const parsed = lines(written);
    expect(parsed[0]).toMatchObject({
      level: 'info',
      message: 'connect postgres://app:***@db',
      password: '[REDACTED]',
      nested: { api_key: '[REDACTED]' },
    });
    expect(parsed[1]).toMatchObject({ level: 'warn', message: 'child', secret: '[REDACTED]' });
    expect(parsed[2]).toMatchObject({ level: 'error', message: 'token=[REDACTED]' });
    expect(parsed[3]).toMatchObject({
      event: 'agent_auth.missing_token',
      has_authorization: false,
      has_x_agent_token: true,
    });
  });
});

describe('createSafeLogger with a console-shaped logger', () => {
  it('scrubs every argument and keeps other members', () => {
    const seen: unknown[][] = [];
    const target = {
      name: 'c',
      warn: (...a: unknown[]) => seen.push(a),
      log: (...a: unknown[]) => seen.push(a),
    };
    const log = createSafeLogger(target);
    log.warn('x', { token: 'LEAK' }, 'Authorization: Bearer LEAKLEAKLEAK');
    log.log(42, null);
    expect(log.name).toBe('c');
    expect(seen).toEqual([
      ['x', { token: '[REDACTED]' }, 'Authorization: [REDACTED]'],
      [42, null],
    ]);
  });

  it('hands clean objects through by identity (no copy when nothing needs redacting)', () => {
    const seen: unknown[] = [];
    const log = createSafeLogger({ warn: (o: unknown) => seen.push(o) });
    const clean = { a: { b: [1, 2, 3] } };
    log.warn(clean);
    expect(seen[0]).toBe(clean);
  });
});
