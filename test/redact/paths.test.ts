import { describe, expect, it } from 'vitest';
import { compilePaths, GLOBSTAR, parsePath, WILDCARD } from '../../src/redact/paths.js';

describe('parsePath', () => {
  it('parses dots, wildcards, indices and quoted keys', () => {
    expect(parsePath('gateway.token')).toEqual(['gateway', 'token']);
    expect(parsePath('agents[*].token')).toEqual(['agents', WILDCARD, 'token']);
    expect(parsePath('*.secret')).toEqual([WILDCARD, 'secret']);
    expect(parsePath('list[007].key')).toEqual(['list', '7', 'key']);
    expect(parsePath(`headers["x-api-key"]['a.b']`)).toEqual(['headers', 'x-api-key', 'a.b']);
    expect(parsePath('$ref.__proto__')).toEqual(['$ref', '__proto__']);
  });

  it('parses ** and [**] as any depth, and a quoted "**" as a plain key', () => {
    expect(parsePath('**.password')).toEqual([GLOBSTAR, 'password']);
    expect(parsePath('a.**.b')).toEqual(['a', GLOBSTAR, 'b']);
    expect(parsePath('agents[*].**.token')).toEqual(['agents', WILDCARD, GLOBSTAR, 'token']);
    expect(parsePath('a[**].b')).toEqual(['a', GLOBSTAR, 'b']);
    expect(parsePath('[**].b')).toEqual([GLOBSTAR, 'b']);
    expect(parsePath('a["**"]')).toEqual(['a', '**']);
    expect(parsePath('**.*.x')).toEqual([GLOBSTAR, WILDCARD, 'x']);
  });

  it.each([
    '',
    '.a',
    'a..b',
    'a.',
    'a[',
    'a[b]',
    'a["b]',
    'a b',
    'a["x"y"]',
    'a[*]b',
    '***',
    'a**',
    '**a',
    '**b.c',
    'a.***.b',
    'a[***]',
  ])('rejects %j with a TypeError', (path) => {
    expect(() => parsePath(path)).toThrow(TypeError);
  });

  it.each([
    [
      '**',
      /"\*\*" ends with \*\*, which would redact every key: name the key, as in '\*\*\.token'/,
    ],
    ['[**]', /every key: name the key, as in '\*\*\.token'/],
    ['a.**', /redact all of "a": to do that, write "a", .* as in 'a\.\*\*\.token'/],
    ['a.b[**]', /redact all of "a\.b": to do that, write "a\.b"/],
    ['a.**.**', /redact all of "a": to do that, write "a"/],
  ])('rejects the trailing ** of %j, saying what to write instead', (path, message) => {
    expect(() => parsePath(path)).toThrow(TypeError);
    expect(() => parsePath(path)).toThrow(message);
  });
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

  it('normalizes segments across key styles when matching is case-insensitive', () => {
    expect(compilePaths(['Gateway.TOKEN'], true).childKeys).toEqual(['gateway']);
    expect(compilePaths(['headers["X-Api-Key"]', 'Api_Key'], true).childKeys).toEqual([
      'headers',
      'apikey',
    ]);
    expect(compilePaths(['headers["X-Api-Key"]'], true).children.get('headers')?.childKeys).toEqual(
      ['xapikey'],
    );
    expect(compilePaths(['Api_Key'], false).childKeys).toEqual(['Api_Key']);
  });

  it('compiles ** into a state that loops on every key', () => {
    const root = compilePaths(['**.password'], false);
    // Zero keys: `password` at the root.
    expect(root.children.get('password')?.terminal).toBe(true);
    const below = root.wildcard!;
    expect(below.terminal).toBe(false);
    expect(below.wildcard).toBe(below); // any key keeps the ** live
    const hit = below.children.get('password')!;
    expect(hit.terminal).toBe(true);
    // Below a matched `password` (not redacted further down, but a walk may still pass it).
    expect(hit.children.get('password')).toBe(hit);
    expect(hit.wildcard).toBe(below);
  });

  it('shares equal states: a.**.b compiles to a handful of states however deep it matches', () => {
    const root = compilePaths(['a.**.b'], false);
    const inA = root.children.get('a')!;
    expect(inA.children.get('b')?.terminal).toBe(true);
    expect(root.wildcard).toBeUndefined(); // nothing outside `a`
    const deeper = inA.wildcard!;
    expect(deeper.wildcard).toBe(deeper);
    expect(deeper.children.get('b')?.terminal).toBe(true);
    expect(deeper.children.get('b')?.wildcard).toBe(deeper);
  });

  it('collapses **.** into one **', () => {
    const once = compilePaths(['**.x'], false);
    const twice = compilePaths(['**.**.x'], false);
    expect(twice.childKeys).toEqual(once.childKeys);
    expect(twice.wildcard?.wildcard).toBe(twice.wildcard);
  });

  it('merges ** with overlapping exact and * paths', () => {
    const root = compilePaths(['**.token', 'gateway.url', '*.secret'], false);
    const gw = root.children.get('gateway')!;
    expect(gw.children.get('url')?.terminal).toBe(true);
    expect(gw.children.get('secret')?.terminal).toBe(true);
    expect(gw.children.get('token')?.terminal).toBe(true);
    const other = root.wildcard!;
    expect(other.children.get('secret')?.terminal).toBe(true);
    expect(other.children.has('url')).toBe(false);
    // Two keys down, only ** is left.
    expect(other.wildcard?.children.has('secret')).toBe(false);
    expect(other.wildcard?.children.get('token')?.terminal).toBe(true);
  });

  it('bounds the states that ** and wildcards can multiply into', () => {
    const paths = Array.from({ length: 16 }, (_, i) => `**.k${i}.${'*.'.repeat(i)}x`);
    expect(() => compilePaths(paths, false)).toThrow(/more than 10000 states/);
  });
});
