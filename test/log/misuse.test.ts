import { describe, expect, it } from 'vitest';
import { reportMisuse } from 'bulwark';
import { captureLog } from '../helpers/log-capture.js';

describe('reportMisuse', () => {
  it('logs each code and subject once per process, with the code in the line', () => {
    const log = captureLog();
    for (let i = 0; i < 5; i++) {
      reportMisuse(log.logger, 'misuse.body_consumed', 'express.json()', 'first message');
      reportMisuse(log.logger, 'misuse.body_consumed', 'koa-bodyparser', 'second message');
    }
    expect(log.lines).toEqual([
      'error: misuse.body_consumed: first message code="misuse.body_consumed"',
      'error: misuse.body_consumed: second message code="misuse.body_consumed"',
    ]);
  });

  it('writes warnings at warn, and falls back to warn for a logger without error', () => {
    const log = captureLog();
    reportMisuse(log.logger, 'misuse.untrusted_proxy', '', 'a proxy', 'warn');
    const lines: string[] = [];
    reportMisuse({ warn: (l: string) => lines.push(l) }, 'misuse.on_reject', 'threw', 'x');
    expect(log.lines[0]).toMatch(/^warn: misuse\.untrusted_proxy: a proxy/);
    expect(lines).toHaveLength(1);
  });

  it('survives a logger that throws, and stops remembering new subjects at its bound', () => {
    const log = captureLog();
    const broken = {
      warn: () => {
        throw new Error('disk full');
      },
    };
    expect(() => {
      reportMisuse(broken, 'misuse.on_reject', 'threw', 'x');
    }).not.toThrow();
    for (let i = 0; i < 1000; i++) {
      reportMisuse(log.logger, 'misuse.webhook_secret', `subject ${i}`, `message ${i}`);
    }
    expect(log.lines.length).toBeLessThanOrEqual(256);
  });
});
