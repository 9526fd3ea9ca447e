import { describe, expect, it } from 'vitest';
import { compilePaths, parsePath, WILDCARD } from '../../src/redact/paths.js';

describe('parsePath', () => {
  it('parses dots, wildcards, indices and quoted keys', () => {
    expect(parsePath('gateway.token')).toEqual(['gateway', 'token']);
    expect(parsePath('agents[*].token')).toEqual(['agents', WILDCARD, 'token']);
    expect(parsePath('*.secret')).toEqual([WILDCARD, 'secret']);
    expect(parsePath('list[007].key')).toEqual(['list', '7', 'key']);
    expect(parsePath(`headers["x-api-key"]['a.b']`)).toEqual(['headers', 'x-api-key', 'a.b']);
    expect(parsePath('$ref.__proto__')).toEqual(['$ref', '__proto__']);
  });

  it.each(['', '.a', 'a..b', 'a.', 'a[', 'a[b]', 'a["b]', 'a b', 'a["x"y"]', 'a[*]b'])(
    'rejects %j with a TypeError',
    (path) => {
      expect(() => parsePath(path)).toThrow(TypeError);
    },
  );
});

describe('compilePaths', () => {
  it('merges a wildcard into overlapping exact children (one state per position)', () => {
    const root = compilePaths(['*.token', 'a.b'], false);
    const a = root.children.get('a')!;
    expect(a.children.get('token')?.terminal).toBe(true);
    expect(a.children.get('b')?.terminal).toBe(true);
    expect(root.wildcard?.children.get('token')?.terminal).toBe(true);
    expect(root.wildcard?.children.has('b')).toBe(false);
  });

  it('lower-cases segments when matching is case-insensitive', () => {
    expect(compilePaths(['Gateway.TOKEN'], true).childKeys).toEqual(['gateway']);
  });
});
