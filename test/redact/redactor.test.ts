import { describe, expect, expectTypeOf, it } from 'vitest';
import { createRedactor, redact, type Redactor } from 'bulwark';
import { hostileValues } from '../fixtures/adversarial.js';

const gateway = () => ({
  id: 'gw1',
  token: 'tok-123',
  gateway: { url: 'wss://gw', token: 'gw-secret', secret: null },
  agents: [
    { name: 'a', token: 'a-tok' },
    { name: 'b', token: '' },
  ],
});

describe('redact, flag mode (default)', () => {
  it('turns token and secret into has_token / has_secret booleans at any depth', () => {
    expect(redact(gateway())).toEqual({
      id: 'gw1',
      has_token: true,
      gateway: { url: 'wss://gw', has_token: true, has_secret: false },
      agents: [
        { name: 'a', has_token: true },
        { name: 'b', has_token: false },
      ],
    });
  });

  it('flags null, undefined and "" as false, anything else as true', () => {
    expect(redact({ token: null })).toEqual({ has_token: false });
    expect(redact({ token: undefined })).toEqual({ has_token: false });
    expect(redact({ token: '' })).toEqual({ has_token: false });
    expect(redact({ token: 0 })).toEqual({ has_token: true });
    expect(redact({ token: {} })).toEqual({ has_token: true });
  });

  it('keeps the position of the flagged key', () => {
    expect(Object.keys(redact({ a: 1, token: 'x', b: 2 }) as object)).toEqual([
      'a',
      'has_token',
      'b',
    ]);
  });

  it('lets the computed flag win over a literal has_ key, in either order', () => {
    expect(redact({ has_token: 'forged', token: '' })).toEqual({ has_token: false });
    expect(redact({ token: '', has_token: { forged: true } })).toEqual({ has_token: false });
  });

  it('uses a custom flag prefix', () => {
    expect(redact({ token: 'x' }, { flagPrefix: 'is_set_' })).toEqual({ is_set_token: true });
  });
});

describe('redact, censor and remove modes', () => {
  it('censors with [REDACTED] or a given value', () => {
    expect(redact({ token: 'x', a: { secret: 's' } }, { mode: 'censor' })).toEqual({
      token: '[REDACTED]',
      a: { secret: '[REDACTED]' },
    });
    expect(redact({ token: 'x' }, { mode: 'censor', censor: null })).toEqual({ token: null });
  });

  it('removes keys, and array elements reached by a path', () => {
    expect(redact({ token: 'x', keep: 1 }, { mode: 'remove' })).toEqual({ keep: 1 });
    expect(redact({ list: ['a', 'b', 'c'] }, { paths: ['list[1]'], mode: 'remove' })).toEqual({
      list: ['a', 'c'],
    });
  });
});

describe('fields and paths', () => {
  it('matches field names case-sensitively unless asked', () => {
    expect(redact({ Token: 'x' })).toEqual({ Token: 'x' });
    expect(redact({ Token: 'x', SECRET: 'y' }, { caseInsensitive: true })).toEqual({
      has_Token: true,
      has_SECRET: true,
    });
  });

  it('redacts only the configured paths when paths are given', () => {
    const r = createRedactor({ paths: ['gateway.token', 'agents[*].token'] });
    expect(r(gateway())).toEqual({
      id: 'gw1',
      token: 'tok-123',
      gateway: { url: 'wss://gw', has_token: true, secret: null },
      agents: [
        { name: 'a', has_token: true },
        { name: 'b', has_token: false },
      ],
    });
  });

  it('supports leading wildcards, indices, quoted keys and case-insensitive segments', () => {
    const value = {
      a: { secret: 1, other: 2 },
      b: { secret: 3 },
      headers: { 'x-api-key': 'k', Accept: 'json' },
      list: [{ key: 1 }, { key: 2 }],
    };
    expect(
      redact(value, {
        paths: ['*.secret', 'headers["x-api-key"]', 'list[0].key', 'HEADERS.accept'],
        mode: 'censor',
        caseInsensitive: true,
      }),
    ).toEqual({
      a: { secret: '[REDACTED]', other: 2 },
      b: { secret: '[REDACTED]' },
      headers: { 'x-api-key': '[REDACTED]', Accept: '[REDACTED]' },
      list: [{ key: '[REDACTED]' }, { key: 2 }],
    });
  });

  it('merges overlapping wildcard and exact paths', () => {
    const value = { a: { token: 1, b: { token: 2, secret: 3 } }, c: { token: 4 } };
    const expected = {
      a: { has_token: true, b: { has_token: true, secret: 3 } },
      c: { has_token: true },
    };
    const r = createRedactor({ paths: ['*.token', 'a.b.token', 'a.*.token'] });
    expect(r(value)).toEqual(expected);
    expect(JSON.parse(r.stringify(value))).toEqual(expected);
  });

  it('bounds what a hostile path list can make compilation do', () => {
    const paths = Array.from(
      { length: 14 },
      (_, i) => `${'*.'.repeat(i)}k${i}.${'*.'.repeat(13 - i)}x`,
    );
    expect(() => createRedactor({ paths })).toThrow(/more than 10000 states/);
    expect(() => createRedactor({ paths: ['a.'.repeat(300) + 'b'] })).toThrow(/segments/);
  });

  it('combines fields with paths', () => {
    expect(redact({ a: { pw: 1, token: 2 } }, { fields: ['token'], paths: ['a.pw'] })).toEqual({
      a: { has_pw: true, has_token: true },
    });
  });

  it('rejects bad options with a TypeError saying what to write', () => {
    expect(() => createRedactor({ paths: ['a..b'] })).toThrow(/empty segment.*write paths such as/);
    expect(() => createRedactor({ paths: ['a[x]'] })).toThrow(TypeError);
    expect(() => createRedactor({ paths: ['a['] })).toThrow(/unclosed/);
    expect(() => createRedactor({ paths: ['a.'] })).toThrow(/ends with a dot/);
    expect(() => createRedactor({ paths: [''] })).toThrow(/empty/);
    expect(() => createRedactor({ mode: 'mask' as 'flag' })).toThrow(/write 'flag', 'censor'/);
    expect(() => createRedactor({ fields: [''] })).toThrow(/key name/);
    expect(() => createRedactor({ fields: [7 as unknown as string] })).toThrow(
      /fields: 7 is not a key name or a RegExp; write names such as 'token' or patterns/,
    );
    expect(() => createRedactor({ paths: ['**'] })).toThrow(/ends with \*\*.*'\*\*\.token'/);
    expect(() => createRedactor({ maxDepth: 0 })).toThrow(/maxDepth/);
    expect(() => createRedactor({ censor: {} as string })).toThrow(/censor/);
    expect(() => createRedactor({ path: ['a'] } as never)).toThrow(/did you mean "paths"/);
  });

  it('treats path text as data: no code is generated from it', () => {
    const r = createRedactor({
      paths: ['["constructor"].x', '[\'a\\"); process.exit(1); (\\"\']'],
    });
    expect(r({ constructor: { x: 1 } })).toEqual({ constructor: { has_x: true } });
  });
});

describe('never mutates, deep copy', () => {
  it('leaves the input untouched and shares no object with it', () => {
    const input = gateway();
    const before = structuredClone(input);
    const out = redact(input) as ReturnType<typeof gateway>;
    expect(input).toEqual(before);
    expect(out.gateway).not.toBe(input.gateway);
    expect(out.agents).not.toBe(input.agents);
  });

  it('stringify() gives the same JSON as the copy, and mutates nothing', () => {
    const r = createRedactor({
      paths: ['token', 'gateway.token', 'agents[*].token'],
      mode: 'censor',
    });
    const input = gateway();
    const before = structuredClone(input);
    expect(r.stringify(input)).toBe(JSON.stringify(r(input)));
    expect(input).toEqual(before);
    const flag = createRedactor({ paths: ['agents[*].token'] });
    expect(flag.stringify(input)).toBe(JSON.stringify(flag(input)));
  });
});

describe('hostile shapes', () => {
  const h = hostileValues();

  it('replaces cycles with [Circular]', () => {
    expect(redact(h.cycle)).toEqual({
      has_token: true,
      name: 'a',
      self: '[Circular]',
      list: ['[Circular]', { has_secret: true }],
    });
  });

  it('copies shared (non-circular) references without calling them circular', () => {
    const shared = { token: 'x' };
    expect(redact({ a: shared, b: shared })).toEqual({
      a: { has_token: true },
      b: { has_token: true },
    });
  });

  it('copies a diamond-shaped graph 60 levels deep in linear work', () => {
    let node: Record<string, unknown> = { token: 'x' };
    for (let i = 0; i < 60; i++) node = { l: node, r: node };
    const out = redact(node) as Record<string, unknown>;
    expect(out.l).toBe(out.r);
  });

  it('handles 100,000 levels of nesting without a stack overflow', () => {
    let out = redact(h.deep) as Record<string, unknown>;
    let depth = 0;
    while ('next' in out) {
      out = out.next as Record<string, unknown>;
      depth++;
    }
    expect(depth).toBe(100_000);
    expect(out).toEqual({ has_token: true });
    expect(() => createRedactor({ maxDepth: 10 })(h.deep)).not.toThrow();
    expect(JSON.stringify(createRedactor({ maxDepth: 10 })(h.deep))).toContain('[Too deep]');
  });

  it('copies __proto__, constructor and prototype keys as plain data, polluting nothing', () => {
    const out = redact(h.proto, { mode: 'censor' }) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(['__proto__', 'constructor']);
    expect(JSON.stringify(out)).toBe(
      '{"__proto__":{"token":"[REDACTED]","polluted":true},"constructor":{"prototype":{"polluted":true}}}',
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((out as { polluted?: unknown }).polluted).toBeUndefined();
  });

  it('survives getters and proxy traps that throw', () => {
    expect(redact(h.throwing)).toEqual({ has_token: true, other: '[Unreadable]' });
    expect(redact(h.throwing, { mode: 'censor' })).toEqual({
      token: '[REDACTED]',
      other: '[Unreadable]',
    });
    expect(redact(h.proxy)).toEqual({ inner: '[Unreadable]', has_token: true });
  });

  it('honours toJSON and redacts what it returns', () => {
    expect(redact(h.toJSON)).toEqual({ has_token: true, kind: 'toJSON' });
    expect(redact({ when: new Date(0) })).toEqual({ when: new Date(0) });
  });

  it('copies Buffers, Maps, Sets and BigInt as themselves', () => {
    const out = redact({
      ...(h.buffer as object),
      ...(h.bigint as object),
      map: h.map,
      set: h.set,
    }) as {
      has_token: boolean;
      data: Buffer;
      count: bigint;
      map: Map<string, unknown>;
      set: Set<unknown>;
    };
    expect(out.has_token).toBe(true);
    expect(Buffer.isBuffer(out.data) && out.data.toString()).toBe('ok');
    expect(out.data).not.toBe((h.buffer as { data: Buffer }).data);
    expect(out.count).toBe(12345678901234567890n);
    expect([...out.map]).toEqual([
      ['has_token', true],
      ['nested', { has_secret: true }],
    ]);
    expect([...out.set]).toEqual([{ has_token: true }]);
  });

  it('copies Errors as Errors, with scrubbed message when asked', () => {
    const out = redact(new Error('fetch https://u:pw@h failed'), { scrubStrings: true }) as Error;
    expect(out).toBeInstanceOf(Error);
    expect(out.message).toBe('fetch https://u:***@h failed');
    expect(redact(h.error)).toMatchObject({ has_token: true, message: 'failed' });
  });

  it('stringify() falls back to the safe copy for cycles, BigInt, getters and classes', () => {
    const pathsOnly = createRedactor({ paths: ['token', 'agents[*].token'] });
    const both = createRedactor({
      fields: ['token', 'secret'],
      paths: ['agents[*].token'],
      maxDepth: 500,
    });
    for (const [name, value] of Object.entries(hostileValues())) {
      if (name !== 'deep')
        expect(() => JSON.parse(pathsOnly.stringify(value)) as unknown).not.toThrow();
      expect(both.stringify(value)).not.toContain('LEAK');
    }
    expect(pathsOnly.stringify({ token: 1n, n: 2n })).toBe('{"has_token":true,"n":"2"}');
    expect(pathsOnly.stringify(hostileValues().cycle)).toContain('"self":"[Circular]"');
    expect(pathsOnly.stringify(undefined)).toBe('null');
  });

  it('never leaks a LEAK value from any hostile shape', () => {
    for (const value of Object.values(hostileValues())) {
      const out = redact(value, { scrubStrings: true, maxDepth: 500 });
      const seen = JSON.stringify(out, (_k, v: unknown) =>
        typeof v === 'bigint'
          ? v.toString()
          : v instanceof Map
            ? [...v]
            : v instanceof Set
              ? [...v]
              : v,
      );
      expect(seen).not.toContain('LEAK');
    }
  });
});

describe('needsRedaction', () => {
  const r = createRedactor();
  it('is false for clean plain data and true when a copy would differ', () => {
    expect(r.needsRedaction({ a: 1, b: [1, 'x', { c: null }] })).toBe(false);
    expect(r.needsRedaction({ a: { token: 'x' } })).toBe(true);
    expect(r.needsRedaction({ d: new Date() })).toBe(true);
    const h = hostileValues();
    for (const v of Object.values(h)) expect(r.needsRedaction(v)).toBe(true);
  });
});

describe('types', () => {
  it('exposes a callable Redactor', () => {
    expectTypeOf(createRedactor()).toEqualTypeOf<Redactor>();
    expectTypeOf(redact).returns.toEqualTypeOf<unknown>();
  });
});
