import { Writable } from 'node:stream';
import pino from 'pino';
import winston from 'winston';
import { describe, expect, it } from 'vitest';
import { emit, loggerKind } from '../../src/log/logger-kind.js';

const devNull = () =>
  new Writable({
    write(_c, _e, cb) {
      cb();
    },
  });

describe('loggerKind', () => {
  it('tells pino, winston and console apart by shape', () => {
    expect(loggerKind(pino({}, devNull()))).toBe('pino');
    expect(loggerKind(winston.createLogger({ silent: true }))).toBe('winston');
    expect(loggerKind(console)).toBe('console');
    expect(loggerKind({ warn: () => undefined })).toBe('console');
  });
});

describe('emit', () => {
  it('writes a console line whose values cannot forge fields or lines', () => {
    const lines: string[] = [];
    emit({ warn: (l: string) => lines.push(l) }, 'warn', 'ev', {
      event: 'ev',
      path: '/a" x="1\nb',
    });
    expect(lines).toEqual(['ev path="/a\\" x=\\"1\\nb"']);
  });

  it('does nothing when the level method is missing', () => {
    expect(() => {
      emit({}, 'warn', 'ev', {});
    }).not.toThrow();
  });
});
