import { describe, expect, it } from 'vitest';
import { createRedactor, redact, type RedactOptions } from 'bulwark';
import { hostileValues } from '../fixtures/adversarial.js';

/** The three ways of redacting must agree: the copy, the JSON text and needsRedaction. */
function check(options: RedactOptions, value: unknown, expected: unknown): void {
  const r = createRedactor(options);
  expect(r(value)).toEqual(expected);
  expect(JSON.parse(r.stringify(value))).toEqual(expected);
  expect(r.needsRedaction(value)).toBe(JSON.stringify(expected) !== JSON.stringify(value));
}

const censor = { mode: 'censor' } as const;

describe('** in paths', () => {
  it('**.password redacts password at the root and at every depth, and nothing else', () => {
    check(
      { ...censor, paths: ['**.password'] },
      {
        password: 'L0',
        password_hash: 'h',
        passwords: ['p'],
        user: { password: 'L1', profile: { password: 'L2', name: 'n' } },
        list: [{ password: 'L3' }, [{ password: 'L4' }]],
      },
      {
        password: '[REDACTED]',
        password_hash: 'h',
        passwords: ['p'],
        user: { password: '[REDACTED]', profile: { password: '[REDACTED]', name: 'n' } },
        list: [{ password: '[REDACTED]' }, [{ password: '[REDACTED]' }]],
      },
    );
  });

  it('a.**.b redacts b anywhere below a, a.b included, and nowhere else', () => {
    check(
      { ...censor, paths: ['a.**.b'] },
      { a: { b: 1, x: { b: 2, y: [{ b: 3 }] } }, b: 4, c: { a: { b: 5 } } },
      {
        a: { b: '[REDACTED]', x: { b: '[REDACTED]', y: [{ b: '[REDACTED]' }] } },
        b: 4,
        c: { a: { b: 5 } },
      },
    );
  });

  it('agents[*].**.token redacts every token inside an agent', () => {
    check(
      { paths: ['agents[*].**.token'] },
      {
        token: 'root',
        agents: [{ token: 'a', cfg: { token: 'b', deep: [{ token: '' }] } }, 'x'],
        other: { token: 'c' },
      },
      {
        token: 'root',
        agents: [{ has_token: true, cfg: { has_token: true, deep: [{ has_token: false }] } }, 'x'],
        other: { token: 'c' },
      },
    );
  });

  it('[**] is the same as **, and **.** the same as **', () => {
    const value = { a: { x: { b: 1 } }, b: 2 };
    const expected = { a: { x: { b: '[REDACTED]' } }, b: '[REDACTED]' };
    check({ ...censor, paths: ['[**].b'] }, value, expected);
    check({ ...censor, paths: ['**.**.b'] }, value, expected);
  });

  it('matches array indices as keys: **[0] redacts the first element of every array', () => {
    check(
      { ...censor, paths: ['**[0]'] },
      { a: [1, 2, [3, 4]], b: { c: ['x'] }, '0': 'zero' },
      { a: ['[REDACTED]', 2, ['[REDACTED]', 4]], b: { c: ['[REDACTED]'] }, '0': '[REDACTED]' },
    );
  });

  it('removes matches at any depth, array elements included', () => {
    check(
      { mode: 'remove', paths: ['**.token', 'list.**[1]'] },
      { token: 1, a: { token: 2, keep: 3 }, list: [[1, 2, 3], 'b'] },
      { a: { keep: 3 }, list: [[1, 3]] },
    );
  });

  it('combines with exact paths, wildcards and fields', () => {
    check(
      { ...censor, paths: ['**.token', 'gateway.url', '*.secret'], fields: ['pw'] },
      { gateway: { url: 'u', secret: 's', token: 't', x: { secret: 'kept', pw: 'p' } }, url: 'v' },
      {
        gateway: {
          url: '[REDACTED]',
          secret: '[REDACTED]',
          token: '[REDACTED]',
          x: { secret: 'kept', pw: '[REDACTED]' },
        },
        url: 'v',
      },
    );
  });

  it('works with caseInsensitive across key styles', () => {
    check(
      { ...censor, paths: ['**.accessToken'], caseInsensitive: true },
      { ACCESS_TOKEN: 1, a: [{ 'access-token': 2 }], b: { accessTokens: 3 } },
      { ACCESS_TOKEN: '[REDACTED]', a: [{ 'access-token': '[REDACTED]' }], b: { accessTokens: 3 } },
    );
  });

  it('lets the computed flag win over a literal has_ key at any depth', () => {
    check(
      { paths: ['**.token'] },
      { a: { has_token: 'forged', token: '' } },
      { a: { has_token: false } },
    );
  });

  it('reaches into Maps, Errors (their cause too) and Sets', () => {
    const r = createRedactor({ ...censor, paths: ['**.token'] });
    const err = new Error('failed', { cause: { token: 'LEAK1' } });
    const value = {
      m: new Map<unknown, unknown>([
        ['token', 'LEAK2'],
        ['nested', { token: 'LEAK3' }],
        [{ objectKey: true }, { token: 'LEAK4' }],
      ]),
      e: Object.assign(err, { token: 'LEAK5' }),
      s: new Set([{ token: 'LEAK6' }]),
    };
    const out = r(value) as { m: Map<unknown, unknown>; e: Error; s: Set<unknown> };
    expect([...out.m.values()]).toEqual([
      '[REDACTED]',
      { token: '[REDACTED]' },
      { token: '[REDACTED]' },
    ]);
    expect(out.e).toBeInstanceOf(Error);
    expect(out.e.cause).toEqual({ token: '[REDACTED]' });
    expect((out.e as Error & { token?: unknown }).token).toBe('[REDACTED]');
    expect([...out.s]).toEqual([{ token: '[REDACTED]' }]);
    expect(r.needsRedaction(value)).toBe(true);
  });

  it('redacts an Error cause named by a field or a path', () => {
    const err = new Error('x', { cause: 'LEAK' });
    expect(redact(err, { fields: ['cause'] })).toMatchObject({ has_cause: true });
    expect((redact({ e: err }, { paths: ['e.cause'], ...censor }) as { e: Error }).e.cause).toBe(
      '[REDACTED]',
    );
  });

  it('reaches Set elements with * as well, but not by index', () => {
    const value = { s: new Set(['a', 'b']) };
    expect([...(redact(value, { ...censor, paths: ['s[*]'] }) as typeof value).s]).toEqual([
      '[REDACTED]',
    ]);
    expect([...(redact(value, { ...censor, paths: ['s[0]'] }) as typeof value).s]).toEqual([
      'a',
      'b',
    ]);
  });
});

describe('** on hostile shapes', () => {
  const r = createRedactor({ ...censor, paths: ['**.token', '**.secret'] });

  it('replaces cycles with [Circular], in the copy and the JSON text', () => {
    const expected = {
      token: '[REDACTED]',
      name: 'a',
      self: '[Circular]',
      list: ['[Circular]', { secret: '[REDACTED]' }],
    };
    expect(r(hostileValues().cycle)).toEqual(expected);
    expect(JSON.parse(r.stringify(hostileValues().cycle))).toEqual(expected);
  });

  it('never leaks a LEAK value from any hostile shape', () => {
    for (const [name, value] of Object.entries(hostileValues())) {
      if (name !== 'deep') expect(r.stringify(value)).not.toContain('LEAK');
      expect(r.needsRedaction(value)).toBe(true);
    }
  });

  it('copies __proto__ and constructor keys as plain data', () => {
    const out = r(hostileValues().proto) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(JSON.stringify(out)).toBe(
      '{"__proto__":{"token":"[REDACTED]","polluted":true},"constructor":{"prototype":{"polluted":true}}}',
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('walks 100,000 levels of nesting under a live ** without a stack overflow', () => {
    let out = r(hostileValues().deep) as Record<string, unknown>;
    let depth = 0;
    while ('next' in out) {
      out = out.next as Record<string, unknown>;
      depth++;
    }
    expect(depth).toBe(100_000);
    expect(out).toEqual({ token: '[REDACTED]' });
    expect(r.needsRedaction(hostileValues().deep)).toBe(true);
  });

  it('takes the safe path for deep values in stringify', () => {
    let value: Record<string, unknown> = { token: 'LEAK' };
    for (let i = 0; i < 3000; i++) value = { next: value };
    const text = r.stringify(value);
    expect(text).not.toContain('LEAK');
    expect(text).toContain('[REDACTED]');
  });

  it('copies a diamond-shaped graph 60 levels deep in linear work', () => {
    let node: Record<string, unknown> = { token: 'x' };
    for (let i = 0; i < 60; i++) node = { l: node, r: node };
    const out = r(node) as Record<string, unknown>;
    expect(out.l).toBe(out.r);
    let leaf = out;
    while ('l' in leaf) leaf = leaf.l as Record<string, unknown>;
    expect(leaf).toEqual({ token: '[REDACTED]' });
  });
});

describe('** option errors', () => {
  it('rejects a trailing ** at creation, saying what to write instead', () => {
    expect(() => createRedactor({ paths: ['**'] })).toThrow(TypeError);
    expect(() => createRedactor({ paths: ['**'] })).toThrow(
      /redact paths: "\*\*" ends with \*\*.*as in '\*\*\.token'.*write paths such as/,
    );
    expect(() => createRedactor({ paths: ['gateway.**'] })).toThrow(
      /redact all of "gateway": to do that, write "gateway", .* 'gateway\.\*\*\.token'/,
    );
    expect(() => redact({}, { paths: ['a[*][**]'] })).toThrow(/write "a\[\*\]"/);
  });

  it('bounds what overlapping ** paths can make compilation do', () => {
    expect(() => createRedactor({ paths: ['**.x.' + '*.'.repeat(20) + 'y'] })).toThrow(
      /more than 10000 states/,
    );
    const many = Array.from({ length: 2000 }, (_, i) => `**.k${i}.x`);
    expect(() => createRedactor({ paths: many })).toThrow(/more than 100000 transitions/);
    // Many names at any depth share their states: fine.
    const names = Array.from({ length: 2000 }, (_, i) => `**.k${i}`);
    expect(createRedactor({ paths: names, ...censor })({ a: { k1999: 1 } })).toEqual({
      a: { k1999: '[REDACTED]' },
    });
  });
});
