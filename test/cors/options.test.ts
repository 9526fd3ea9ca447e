import { describe, expect, it } from 'vitest';
import { compileCors } from 'bulwark';
import type { CorsOptions } from 'bulwark';

const make = (options: unknown) => () => compileCors(options as CorsOptions);

describe('compileCors: refused at creation, with what to write', () => {
  it.each([
    [undefined, /no options are given/],
    [
      {},
      /origins: no origins are given; write cors\(\{ origins: \['https:\/\/app\.example\.com'\] \}\)/,
    ],
    [{ origins: '*', credentials: true }, /'\*' together with credentials: true.*list the origins/],
    [{ origins: ['*', 'https://a.example.com'] }, /'\*' is mixed with other origins/],
    [{ origins: /^https:\/\/a\.example\.com$/g }, /g flag/],
    [{ origins: [/app\.example\.com/] }, /not anchored/],
    [{ origins: 'https://app.example.com/' }, /ends with a slash/],
    [{ origins: 'https://app.example.com/api' }, /path, query or fragment/],
    [{ origins: 'https://u:p@app.example.com' }, /user info/],
    [{ origins: 'app.example.com' }, /no scheme/],
    [{ origins: ['https://*.example.com'] }, /wildcard inside an origin string/],
    [{ origins: [42] }, /42 is not an origin/],
    [
      { origins: 'https://a.example.com', methods: ['GET', 'PO ST'] },
      /methods: "PO ST" is not an HTTP token/,
    ],
    [
      { origins: 'https://a.example.com', allowedHeaders: ['X-Ok', 'X-Bad\r\nSet-Cookie: x'] },
      /allowedHeaders: .* is not an HTTP token/,
    ],
    [
      { origins: 'https://a.example.com', exposedHeaders: 'RateLimit' },
      /exposedHeaders: expected an array/,
    ],
    [
      { origins: 'https://a.example.com', credentials: true, exposedHeaders: ['*'] },
      /'\*' is not a wildcard when credentials are allowed/,
    ],
    [
      { origins: 'https://a.example.com', maxAge: 600_000 },
      /maxAge: 600000 .* milliseconds .*write 600/,
    ],
    [{ origins: 'https://a.example.com', maxAge: 1.5 }, /maxAge/],
    [
      { origins: 'https://a.example.com', credentials: 'yes' },
      /credentials: "yes" is not a boolean/,
    ],
    [{ origin: 'https://a.example.com' }, /unknown option "origin".*origins/],
    [
      { origins: 'https://a.example.com', exposeHeaders: ['X'] },
      /unknown option "exposeHeaders".*exposedHeaders/,
    ],
  ])('%j', (options, message) => {
    expect(make(options)).toThrow(TypeError);
    expect(make(options)).toThrow(message);
  });

  it('accepts the shapes the guide shows', () => {
    for (const options of [
      { origins: '*' },
      { origins: 'https://app.example.com' },
      { origins: ['https://app.example.com', /^https:\/\/[a-z0-9-]+\.preview\.example\.com$/] },
      { origins: () => true, credentials: true, maxAge: 7200 },
      { origins: ['null'] },
      { origins: [] },
      { origins: '*', exposedHeaders: ['*'], allowedHeaders: ['*'] },
    ]) {
      expect(make(options)).not.toThrow();
    }
  });
});
