import { createRequire } from 'node:module';
import { ServerResponse, IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { markSlot, sharedMarks } from '../../src/util/shared-marks.js';

describe('sharedMarks', () => {
  it('gives every caller of one name the same map, and other names their own', () => {
    const a = sharedMarks<number>('bulwark.test.marks');
    const b = sharedMarks<number>('bulwark.test.marks');
    const other = sharedMarks<number>('bulwark.test.other');
    const request = {};
    a.set(request, 7);
    expect(b.get(request)).toBe(7);
    expect(other.has(request)).toBe(false);
  });

  it('leaves the marked object without any property of its own', () => {
    const response = new ServerResponse(new IncomingMessage(new Socket()));
    const before = Reflect.ownKeys(response);
    sharedMarks<string>('bulwark.test.marks').set(response, 'marked');
    expect(Reflect.ownKeys(response)).toEqual(before);
  });

  it("is shared by the package's ESM and CommonJS builds, as two copies in one process", async () => {
    const esm = await import('bulwark');
    const cjs = createRequire(import.meta.url)('bulwark') as typeof esm;
    const response = new ServerResponse(new IncomingMessage(new Socket()));
    const access = {
      get: (r: ServerResponse, n: string) => r.getHeader(n),
      set: (r: ServerResponse, n: string, v: string) => r.setHeader(n, v),
      remove: (r: ServerResponse, n: string) => {
        r.removeHeader(n);
      },
    };
    cjs.applySecurityHeaders(response, access, cjs.compileSecurityHeaders({}));
    expect(esm.hasSecurityHeaders(response)).toBe(true);
  });

  it('uses the slot an object was built with, and leaves the WeakMap alone', () => {
    const name = 'bulwark.test.slotted';
    const marks = sharedMarks<string>(name);
    const slot = markSlot(name);
    // As Fastify builds a decorated reply: the property exists from the start, null.
    const built = { [slot]: null } as Record<symbol, unknown>;
    expect(marks.has(built)).toBe(false);
    expect(marks.get(built)).toBeUndefined();
    marks.set(built, 'written');
    expect(built[slot]).toBe('written');
    expect(marks.get(built)).toBe('written');
    expect(marks.has(built)).toBe(true);
    // The process-wide WeakMap holds nothing for it; an object without the slot still goes there.
    const weak = (globalThis as Record<symbol, unknown>)[Symbol.for(name)] as WeakMap<
      object,
      string
    >;
    expect(weak.has(built)).toBe(false);
    const plain = {};
    marks.set(plain, 'mapped');
    expect(weak.get(plain)).toBe('mapped');
    expect(Reflect.ownKeys(plain)).toEqual([]);
  });
});
