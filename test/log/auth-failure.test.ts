import { describe, expect, it } from 'vitest';
import { logAuthFailure, loggablePath } from 'bulwark';
import { SECRET_TEXTS } from '../fixtures/adversarial.js';

type Call = [string, unknown[]];

/** A console-shaped recorder (no child, no bindings): the real calls, captured. */
function consoleLike(): {
  warn: (...a: unknown[]) => void;
  info: (...a: unknown[]) => void;
  calls: Call[];
} {
  const calls: Call[] = [];
  return {
    calls,
    warn: (...a: unknown[]) => calls.push(['warn', a]),
    info: (...a: unknown[]) => calls.push(['info', a]),
  };
}

describe('logAuthFailure', () => {
  it('logs agent_auth.invalid_token with the path (no query) and the token prefix only', () => {
    const log = consoleLike();
    logAuthFailure(log, {
      path: '/api/v1/agent/boards?token=abc#x',
      token: 'mc_live_8f3a9c2e71d04b5a',
    });
    expect(log.calls).toEqual([
      ['warn', ['agent_auth.invalid_token path="/api/v1/agent/boards" token_prefix="mc_liv"']],
    ]);
  });

  it('logs booleans only for a missing token', () => {
    const log = consoleLike();
    logAuthFailure(log, {
      path: '/api/v1/agent/heartbeat',
      token: '',
      headers: { Authorization: 'Basic LEAKxyz', 'user-agent': 'x' },
    });
    const [, args] = log.calls[0]!;
    expect(args).toEqual([
      'agent_auth.missing_token path="/api/v1/agent/heartbeat" has_authorization=true has_x_agent_token=false',
    ]);
  });

  it('honours authHeaders and level', () => {
    const log = consoleLike();
    logAuthFailure(log, {
      path: '/',
      headers: { 'x-token': ['a'] },
      authHeaders: ['X-Token'],
      level: 'info',
    });
    expect(log.calls[0]![0]).toBe('info');
    expect(String(log.calls[0]![1][0])).toContain('has_x_token=true');
  });

  it('cannot be used to forge log lines or leak a secret through the path', () => {
    expect(loggablePath('/a\r\nlevel=error fake')).toBe('/a%0D%0Alevel=error fake');
    for (const { text } of SECRET_TEXTS) {
      expect(loggablePath(`/x/${text.replace(/[?#]/g, '')}`)).not.toContain('LEAK');
    }
    expect(loggablePath('/x'.repeat(5000)).length).toBeLessThanOrEqual(2048);
  });
});
