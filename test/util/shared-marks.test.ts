import { createRequire } from 'node:module';
import { ServerResponse, IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { sharedMarks } from '../../src/util/shared-marks.js';

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
});
