import { describe, expect, it } from 'vitest';
import { createRedactor, redact } from 'bulwark';

describe('RegExp fields', () => {
  const r = createRedactor({ fields: ['token', /secret/i], mode: 'censor' });

  it('redacts keys a pattern matches, at any depth, beside exact names', () => {
    const value = {
      clientSecret: 'L1',
      'x-webhook-secret': 'L2',
      nested: [{ SECRET_KEY: 'L3', token: 'L4', tokens: 'kept', name: 'n' }],
      secretary: 'matches too: /secret/ is a substring test',
    };
    const expected = {
      clientSecret: '[REDACTED]',
      'x-webhook-secret': '[REDACTED]',
      nested: [{ SECRET_KEY: '[REDACTED]', token: '[REDACTED]', tokens: 'kept', name: 'n' }],
      secretary: '[REDACTED]',
    };
    expect(r(value)).toEqual(expected);
    expect(JSON.parse(r.stringify(value))).toEqual(expected);
    expect(r.needsRedaction(value)).toBe(true);
    expect(r.needsRedaction({ tokens: 1, a: [{ name: 'n' }] })).toBe(false);
  });

  it('tests object and Map keys, never array indices or values', () => {
    const digits = createRedactor({ fields: [/^\d+$/], mode: 'censor' });
    const value = { list: ['a', 'b'], '7': 'L', m: new Map([['42', 'L']]) };
    const out = digits(value) as { list: string[]; '7': string; m: Map<string, string> };
    expect(out.list).toEqual(['a', 'b']);
    expect(out['7']).toBe('[REDACTED]');
    expect([...out.m]).toEqual([['42', '[REDACTED]']]);
    expect(digits.needsRedaction({ list: ['a', 'b'] })).toBe(false);
    expect(redact({ v: 'secret' }, { fields: [/secret/] })).toEqual({ v: 'secret' });
  });

  it('is stateless: a g or y flag does not make every other key slip through', () => {
    const g = /secret/g;
    const y = /secret/y;
    for (const re of [g, y]) {
      const gr = createRedactor({ fields: [re], mode: 'censor' });
      const value = { secret: 1, a: { secret: 2 }, b: { secret: 3 }, c: [{ secret: 4 }] };
      for (let i = 0; i < 3; i++) {
        expect(JSON.stringify(gr(value))).not.toMatch(/\d/);
        expect(gr.needsRedaction(value)).toBe(true);
      }
    }
    expect(g.lastIndex).toBe(0); // the caller's pattern is not used, so not advanced
  });

  it('uses a plain copy: a subclass cannot change what matches after creation', () => {
    class Never extends RegExp {
      override test(): boolean {
        return false;
      }
    }
    const pr = createRedactor({ fields: [new Never('secret')], mode: 'censor' });
    expect(pr({ secret: 1, other: 2 })).toEqual({ secret: '[REDACTED]', other: 2 });
  });

  it('with caseInsensitive, also tests the normalized key', () => {
    const ci = createRedactor({ fields: [/secret/, /^api_key$/], caseInsensitive: true });
    expect(ci({ CLIENT_SECRET: 1, 'Webhook-Secret': 2, api_key: 3, ApiKey: 4, x: 5 })).toEqual({
      has_CLIENT_SECRET: true,
      'has_Webhook-Secret': true,
      has_api_key: true,
      ApiKey: 4,
      x: 5,
    });
    const cs = createRedactor({ fields: [/secret/] });
    expect(cs({ CLIENT_SECRET: 1 })).toEqual({ CLIENT_SECRET: 1 });
  });

  it('flags with the key as written', () => {
    expect(redact({ clientSecret: '', webhookSecret: 'x' }, { fields: [/secret/i] })).toEqual({
      has_clientSecret: false,
      has_webhookSecret: true,
    });
  });

  it('rejects entries that are neither names nor patterns, saying what to write', () => {
    for (const bad of [42, null, undefined, {}, ['token'], Symbol('x'), '']) {
      expect(() => createRedactor({ fields: [bad as string] })).toThrow(TypeError);
      expect(() => createRedactor({ fields: [bad as string] })).toThrow(
        /bulwark: redact fields: .* is not a key name or a RegExp; write names such as 'token' or patterns such as \/secret\/i\./,
      );
    }
    expect(() => createRedactor({ fields: [42 as unknown as string] })).toThrow(
      /fields: 42 is not/,
    );
  });

  it('accepts a pattern from another realm', async () => {
    const { runInNewContext } = await import('node:vm');
    const foreign = runInNewContext('/secret/i') as RegExp;
    expect(foreign instanceof RegExp).toBe(false);
    expect(redact({ mySecret: 1 }, { fields: [foreign], mode: 'censor' })).toEqual({
      mySecret: '[REDACTED]',
    });
  });
});
