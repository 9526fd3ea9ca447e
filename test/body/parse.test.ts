import { describe, expect, it } from 'vitest';
import { BulwarkError, parseBody } from 'bulwark';

const buf = (s: string) => Buffer.from(s);

describe('parseBody', () => {
  it("parses by Content-Type with 'auto'", () => {
    expect(parseBody(buf('{"a":1}'), 'application/json; charset=utf-8', 'auto')).toEqual({ a: 1 });
    expect(parseBody(buf('{"a":1}'), 'application/cloudevents+json', 'auto')).toEqual({ a: 1 });
    expect(parseBody(buf('a=1&b=x+y'), 'application/x-www-form-urlencoded', 'auto')).toEqual({
      a: '1',
      b: 'x y',
    });
    expect(parseBody(buf('hello'), 'text/plain', 'auto')).toBe('hello');
    expect(parseBody(buf('{"a":1}'), undefined, 'auto')).toBeUndefined();
    expect(parseBody(buf('\u0000\u0001'), 'application/octet-stream', 'auto')).toBeUndefined();
  });

  it("always parses JSON with 'json' and never with 'none'", () => {
    expect(parseBody(buf('[1]'), 'text/plain', 'json')).toEqual([1]);
    expect(parseBody(buf('[1]'), 'application/json', 'none')).toBeUndefined();
  });

  it('leaves an empty body undefined', () => {
    expect(parseBody(Buffer.alloc(0), 'application/json', 'json')).toBeUndefined();
  });

  it('answers 400 with a clear detail for invalid JSON', () => {
    try {
      parseBody(buf('{"a":'), 'application/json', 'auto');
      expect.unreachable();
    } catch (error: unknown) {
      expect(error).toBeInstanceOf(BulwarkError);
      expect((error as BulwarkError).status).toBe(400);
      expect((error as BulwarkError).detail).toBe('Request body is not valid JSON.');
    }
  });

  it('drops __proto__ keys, so merging the body cannot pollute prototypes', () => {
    const parsed = parseBody(
      buf('{"a":1,"__proto__":{"polluted":true},"n":{"__proto__":{"x":1}}}'),
      'application/json',
      'auto',
    ) as Record<string, unknown>;
    expect(Object.hasOwn(parsed, '__proto__')).toBe(false);
    const merged: Record<string, unknown> = Object.assign({}, parsed);
    expect(merged.polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(parsed.a).toBe(1);
  });
});
