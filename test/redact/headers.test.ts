import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createHeaderRedactor, DEFAULT_REDACTED_HEADERS, redactHeaders } from 'bulwark';
import type { HeaderRedactionOptions } from 'bulwark';

const R = '[REDACTED]';

/** Credential headers real services send, each caught by the default rule. */
const CREDENTIAL_HEADERS = [
  'authorization',
  'proxy-authorization',
  'x-forwarded-authorization',
  'x-amzn-remapped-authorization',
  'cookie',
  'set-cookie',
  'x-gitlab-token',
  'x-agent-token',
  'x-amz-security-token',
  'x-csrf-token',
  'x-webhook-secret',
  'x-hub-signature',
  'x-hub-signature-256',
  'stripe-signature',
  'webhook-signature',
  'x-slack-signature',
  'x-shopify-hmac-sha256',
  'x-password',
  'x-db-passwd',
  'x-api-key',
  'x-goog-api-key',
  'apikey',
  'x_api_key',
  'x-session-id',
  'cf-access-jwt-assertion',
  'x-goog-iap-jwt-assertion',
];

/** Ordinary headers, several of them one letter or one word away from a credential name. */
const ORDINARY_HEADERS = [
  'content-type',
  'content-length',
  'x-request-id',
  'x-forwarded-for',
  'x-forwarded-proto',
  'accept',
  'accept-encoding',
  'keep-alive',
  'user-agent',
  'host',
  'x-github-event',
  'x-github-delivery',
  'webhook-id',
  'webhook-timestamp',
  'www-authenticate',
  'content-security-policy',
  'idempotency-key',
  'x-cookies-accepted',
];

describe('redactHeaders: the default rule', () => {
  it.each(CREDENTIAL_HEADERS)('censors %s, in any case', (name) => {
    const upper = name.toUpperCase();
    expect(redactHeaders({ [name]: 'v', [upper]: 'v' })).toEqual({ [name]: R, [upper]: R });
  });

  it.each(ORDINARY_HEADERS)('keeps %s', (name) => {
    expect(redactHeaders({ [name]: 'v' })).toEqual({ [name]: 'v' });
  });

  it('exports the default rule in the shape `names` takes', () => {
    expect(Object.isFrozen(DEFAULT_REDACTED_HEADERS)).toBe(true);
    const pattern = DEFAULT_REDACTED_HEADERS.find((n): n is RegExp => n instanceof RegExp);
    expect(pattern?.test('x-gitlab-token')).toBe(true);
    // Rebuilding the defaults from the constant gives the same answers.
    const rebuilt = createHeaderRedactor({ defaults: false, names: DEFAULT_REDACTED_HEADERS });
    for (const name of [...CREDENTIAL_HEADERS, ...ORDINARY_HEADERS]) {
      expect(rebuilt({ [name]: 'v' })).toEqual(redactHeaders({ [name]: 'v' }));
    }
  });

  it('is not weakened by rewriting the exported pattern', () => {
    const pattern = DEFAULT_REDACTED_HEADERS.find((n): n is RegExp => n instanceof RegExp);
    if (pattern === undefined) throw new Error('the defaults hold a pattern');
    const original = pattern.source;
    const rewrite = (source: string): void => {
      // eslint-disable-next-line @typescript-eslint/no-deprecated -- the legacy API is the attack
      pattern.compile(source);
    };
    try {
      rewrite('^$');
      expect(redactHeaders({ 'x-gitlab-token': 'v' })).toEqual({ 'x-gitlab-token': R });
      expect(createHeaderRedactor()({ 'x-gitlab-token': 'v' })).toEqual({ 'x-gitlab-token': R });
    } finally {
      rewrite(original);
    }
  });
});

describe('redactHeaders: input shapes', () => {
  it("Node's IncomingHttpHeaders: a new object, multi-value arrays censored element by element", () => {
    const headers = {
      host: 'example.com',
      'set-cookie': ['a=1; Path=/', 'b=2; Path=/'],
      'x-forwarded-for': ['203.0.113.7', '10.0.0.1'],
      'x-gitlab-token': 'glpat-secret',
      'x-absent-token': undefined,
      'content-length': 42,
      'x-retry-token': 7,
    };
    const out = redactHeaders(headers);
    expect(out).toEqual({
      host: 'example.com',
      'set-cookie': [R, R],
      'x-forwarded-for': ['203.0.113.7', '10.0.0.1'],
      'x-gitlab-token': R,
      // An absent header stays absent: a censor would claim a credential was sent.
      'x-absent-token': undefined,
      'content-length': 42,
      'x-retry-token': R,
    });
    expect(out).not.toBe(headers);
    // Kept arrays are copies: changing the output cannot reach the input.
    expect(out['x-forwarded-for']).not.toBe(headers['x-forwarded-for']);
  });

  it("Node's rawHeaders: a new flat array, names kept as sent", () => {
    const raw = [
      'Host',
      'example.com',
      'X-Hub-Signature-256',
      'sha256=abc',
      'Set-Cookie',
      'a=1',
      'Set-Cookie',
      'b=2',
      'X-Request-Id',
      'r1',
    ];
    expect(redactHeaders(raw)).toEqual([
      'Host',
      'example.com',
      'X-Hub-Signature-256',
      R,
      'Set-Cookie',
      R,
      'Set-Cookie',
      R,
      'X-Request-Id',
      'r1',
    ]);
    expect(redactHeaders(raw, { mode: 'remove' })).toEqual([
      'Host',
      'example.com',
      'X-Request-Id',
      'r1',
    ]);
    // A trailing name without a value is kept: there is nothing to hide.
    expect(redactHeaders(['Accept', '*/*', 'Authorization'])).toEqual([
      'Accept',
      '*/*',
      'Authorization',
    ]);
  });

  it('[name, value] pairs: new pairs', () => {
    const pairs: [string, string][] = [
      ['Authorization', 'Bearer t'],
      ['Accept', 'text/html'],
    ];
    expect(redactHeaders(pairs)).toEqual([
      ['Authorization', R],
      ['Accept', 'text/html'],
    ]);
    expect(redactHeaders(pairs, { mode: 'remove' })).toEqual([['Accept', 'text/html']]);
  });

  it('a Fetch Headers: a new Headers, each set-cookie censored on its own', () => {
    const headers = new Headers();
    headers.append('Set-Cookie', 'sid=1; Expires=Wed, 21 Oct 2026 07:28:00 GMT');
    headers.append('Set-Cookie', 'theme=dark');
    headers.append('X-Gitlab-Token', 'glpat-secret');
    headers.append('Content-Type', 'application/json');
    const out = redactHeaders(headers);
    expect(out).toBeInstanceOf(Headers);
    expect(out).not.toBe(headers);
    expect(out.getSetCookie()).toEqual([R, R]);
    expect(out.get('x-gitlab-token')).toBe(R);
    expect(out.get('content-type')).toBe('application/json');
    expect(headers.get('x-gitlab-token')).toBe('glpat-secret');
    const removed = redactHeaders(headers, { mode: 'remove' });
    expect([...removed]).toEqual([['content-type', 'application/json']]);
  });

  it('a Fetch Headers keeps several set-cookie values apart when they are not redacted', () => {
    const headers = new Headers();
    headers.append('Set-Cookie', 'a=1; Expires=Wed, 21 Oct 2026 07:28:00 GMT');
    headers.append('Set-Cookie', 'b=2');
    const out = redactHeaders(headers, { defaults: false, names: ['authorization'] });
    expect(out.getSetCookie()).toEqual(['a=1; Expires=Wed, 21 Oct 2026 07:28:00 GMT', 'b=2']);
  });

  it('a Map: a new Map', () => {
    const map = new Map<string, string | string[]>([
      ['Cookie', 'sid=1'],
      ['Accept', 'text/html'],
    ]);
    const out = redactHeaders(map);
    expect(out).toBeInstanceOf(Map);
    expect([...out]).toEqual([
      ['Cookie', R],
      ['Accept', 'text/html'],
    ]);
    expect(map.get('Cookie')).toBe('sid=1');
  });

  it('null, undefined and primitives come back as they are; nothing is thrown', () => {
    expect(redactHeaders(null)).toBeNull();
    const none: unknown = undefined;
    expect(redactHeaders(none)).toBeUndefined();
    for (const value of ['authorization: Bearer x', 42, true]) {
      expect(redactHeaders(value as unknown)).toBe(value);
    }
  });

  it('a header bag class is read as its own enumerable keys', () => {
    class Bag {
      Authorization = 'Bearer t';
      Accept = 'text/html';
      get(name: string): string {
        return name;
      }
    }
    expect(redactHeaders(new Bag() as unknown)).toEqual({ Authorization: R, Accept: 'text/html' });
  });

  it('a throwing getter is censored or marked unreadable, a throwing proxy is unreadable', () => {
    const headers = {
      get authorization(): string {
        throw new Error('no');
      },
      get accept(): string {
        throw new Error('no');
      },
    };
    expect(redactHeaders(headers)).toEqual({ authorization: R, accept: '[Unreadable]' });
    const hostile = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error('no');
        },
      },
    );
    expect(redactHeaders(hostile)).toBe('[Unreadable]');
  });
});

describe('redactHeaders: copies, never mutates', () => {
  it('a header named __proto__ becomes an own key, not the prototype of the copy', () => {
    const input = JSON.parse(
      '{"__proto__": {"polluted": true}, "x-session-id": "s", "accept": "a"}',
    ) as Record<string, unknown>;
    const out = redactHeaders(input as Record<string, string>);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.hasOwn(out, '__proto__')).toBe(true);
    expect((out as { polluted?: unknown }).polluted).toBeUndefined();
    expect(out).toMatchObject({ 'x-session-id': R, accept: 'a' });
    const named = JSON.parse('{"__proto__": "v"}') as Record<string, string>;
    const censored = redactHeaders(named, { names: ['__proto__'] });
    expect(Object.getOwnPropertyDescriptor(censored, '__proto__')?.value).toBe(R);
    expect(Object.getPrototypeOf(censored)).toBe(Object.prototype);
  });

  it('leaves every input shape exactly as it was', () => {
    const record = { authorization: 'Bearer t', 'set-cookie': ['a=1'], accept: 'x' };
    const raw = ['Authorization', 'Bearer t', 'Accept', 'x'];
    const pairs: [string, string][] = [['Cookie', 'sid=1']];
    const before = JSON.stringify([record, raw, pairs]);
    for (const mode of ['censor', 'remove'] as const) {
      redactHeaders(record, { mode });
      redactHeaders(raw, { mode });
      redactHeaders(pairs, { mode });
    }
    expect(JSON.stringify([record, raw, pairs])).toBe(before);
  });
});

describe('createHeaderRedactor: options', () => {
  it('names: exact names in any case, RegExps against the lower-cased name', () => {
    const r = createHeaderRedactor({ names: ['X-Internal-Auth', /^x-acme-/] });
    expect(
      r({ 'x-internal-auth': 'a', 'X-ACME-Tenant': 'b', 'x-gitlab-token': 'c', accept: 'd' }),
    ).toEqual({ 'x-internal-auth': R, 'X-ACME-Tenant': R, 'x-gitlab-token': R, accept: 'd' });
  });

  it('a global or sticky RegExp matches on every call (its lastIndex is not used)', () => {
    const r = createHeaderRedactor({ defaults: false, names: [/acme/g, /^x-corp/y] });
    for (let i = 0; i < 3; i++) {
      expect(r({ 'x-acme': 'a', 'x-corp-id': 'b' })).toEqual({ 'x-acme': R, 'x-corp-id': R });
    }
  });

  it('defaults: false leaves only the given names', () => {
    const r = createHeaderRedactor({ defaults: false, names: ['x-internal-auth'] });
    expect(r({ 'x-internal-auth': 'a', authorization: 'b' })).toEqual({
      'x-internal-auth': R,
      authorization: 'b',
    });
  });

  it('censor and mode', () => {
    expect(redactHeaders({ cookie: 'c', 'set-cookie': ['a', 'b'] }, { censor: '***' })).toEqual({
      cookie: '***',
      'set-cookie': ['***', '***'],
    });
    expect(redactHeaders({ cookie: 'c', accept: 'a' }, { mode: 'remove' })).toEqual({
      accept: 'a',
    });
  });

  it('needsRedaction reads every shape and says whether anything would be redacted', () => {
    const r = createHeaderRedactor();
    expect(r.needsRedaction({ accept: 'a', 'X-Gitlab-Token': 't' })).toBe(true);
    expect(r.needsRedaction({ accept: 'a' })).toBe(false);
    expect(r.needsRedaction(['Accept', 'a', 'Cookie', 'c'])).toBe(true);
    expect(r.needsRedaction(['Accept', 'Cookie'])).toBe(false); // 'Cookie' is a value here
    expect(r.needsRedaction([['Cookie', 'c']])).toBe(true);
    expect(r.needsRedaction(new Headers({ authorization: 'x' }))).toBe(true);
    expect(r.needsRedaction(new Headers({ accept: 'x' }))).toBe(false);
    expect(r.needsRedaction(new Map([['Cookie', 'c']]))).toBe(true);
    expect(r.needsRedaction(null)).toBe(false);
    expect(r.needsRedaction('authorization')).toBe(false);
  });

  it('answers the same for a flood of distinct names (the verdict cache is bounded)', () => {
    const r = createHeaderRedactor();
    for (let i = 0; i < 2000; i++) {
      expect(r({ [`x-${String(i)}-token`]: 'v', [`x-${String(i)}`]: 'v' })).toEqual({
        [`x-${String(i)}-token`]: R,
        [`x-${String(i)}`]: 'v',
      });
    }
    const long = `x-${'a'.repeat(500)}-secret`;
    expect(r({ [long]: 'v' })).toEqual({ [long]: R });
    expect(r({ [long]: 'v' })).toEqual({ [long]: R });
  });

  it.each([
    [{ nmaes: ['x'] }, /unknown option "nmaes".*names/],
    [{ names: 'x-internal-auth' }, /names: must be an array; write names: \['x-internal-auth'/],
    [{ names: [42] }, /names: 42 is not a header name or RegExp; write bare header names/],
    [{ names: [''] }, /names: "" is not a header name/],
    [{ names: ['x-api-key: '] }, /names: "x-api-key: " is not a header name/],
    [{ names: [{ pattern: /x/ }] }, /names: an object is not a header name or RegExp/],
    [{ mode: 'flag' }, /mode: "flag" is not a mode; write 'censor' or 'remove'/],
    [{ censor: 0 }, /censor: must be a string.*write censor: '\[REDACTED\]'/],
    [{ censor: 'x\r\nSet-Cookie: a=b' }, /censor: must be a string without control characters/],
    [{ defaults: 'no' }, /defaults: must be true or false; write defaults: false/],
    [{ defaults: false }, /names: is empty while defaults is false.*add names/],
  ])('rejects %o with a TypeError saying what to write', (options, message) => {
    const bad = options as unknown as HeaderRedactionOptions;
    expect(() => createHeaderRedactor(bad)).toThrow(TypeError);
    expect(() => createHeaderRedactor(bad)).toThrow(message);
    expect(() => redactHeaders({}, bad)).toThrow(message);
  });

  it('rejects options that are not an object', () => {
    expect(() => createHeaderRedactor(null as unknown as HeaderRedactionOptions)).toThrow(
      /redactHeaders options: must be an object/,
    );
  });
});

describe('redactHeaders invariants (property-based)', () => {
  const WORDS = [
    'authorization',
    'token',
    'secret',
    'signature',
    'hmac',
    'password',
    'passwd',
    'api-key',
    'apikey',
    'api_key',
    'session',
    'jwt',
  ];
  /** The default rule, written independently of the implementation. */
  const matchesDefault = (name: string): boolean => {
    const lower = name.toLowerCase();
    return lower === 'cookie' || lower === 'set-cookie' || WORDS.some((w) => lower.includes(w));
  };
  const credentialName = fc
    .tuple(
      fc.string({ maxLength: 4 }),
      fc.mixedCase(fc.constantFrom(...WORDS, 'cookie', 'set-cookie')),
      fc.string({ maxLength: 4 }),
    )
    .map(([a, w, b]) => (/cookie/i.test(w) ? w : a + w + b));
  const name = fc.oneof(
    credentialName,
    fc.constantFrom(...ORDINARY_HEADERS, '__proto__', 'constructor', 'toString'),
    fc.string({ maxLength: 12 }),
  );
  const value = fc.oneof(
    fc.uuid().map((u) => `v-${u}`),
    fc.array(
      fc.uuid().map((u) => `v-${u}`),
      { maxLength: 3 },
    ),
    fc.integer(),
    fc.constant(undefined),
  );
  /** A header record built with defineProperty, so `__proto__` is an ordinary key. */
  const record = fc
    .uniqueArray(fc.tuple(name, value), { selector: ([n]) => n, maxLength: 12 })
    .map((entries) => {
      const out: Record<string, string | string[] | number | undefined> = {};
      for (const [n, v] of entries) {
        Object.defineProperty(out, n, { value: v, enumerable: true, writable: true });
      }
      return out;
    });

  it('censors every default-matching header, keeps the rest unchanged, keeps every name', () => {
    fc.assert(
      fc.property(record, (headers) => {
        const before = JSON.stringify(headers);
        const out = redactHeaders(headers);
        const text = JSON.stringify(out);
        expect(Object.keys(out)).toEqual(Object.keys(headers));
        for (const n of Object.keys(headers)) {
          const v = headers[n];
          const got = Object.getOwnPropertyDescriptor(out, n)?.value as unknown;
          if (!matchesDefault(n)) {
            expect(got).toEqual(v);
            continue;
          }
          for (const secret of [v].flat()) {
            if (typeof secret === 'string') expect(text).not.toContain(secret);
          }
          if (v === undefined) expect(got).toBeUndefined();
          else if (Array.isArray(v)) expect(got).toEqual(v.map(() => R));
          else expect(got).toBe(R);
        }
        expect(JSON.stringify(headers)).toBe(before);
      }),
    );
  });

  it("'remove' keeps exactly the headers the default rule does not match", () => {
    fc.assert(
      fc.property(record, (headers) => {
        const out = redactHeaders(headers, { mode: 'remove' });
        expect(Object.keys(out)).toEqual(Object.keys(headers).filter((n) => !matchesDefault(n)));
      }),
    );
  });

  it('rawHeaders and records agree', () => {
    fc.assert(
      fc.property(record, (headers) => {
        const raw = Object.entries(headers).flatMap(([n, v]) =>
          typeof v === 'string' ? [n, v] : [],
        );
        const fromRaw = redactHeaders(raw);
        const fromRecord = redactHeaders(headers);
        for (let i = 0; i < fromRaw.length; i += 2) {
          const n = fromRaw[i]!;
          expect(fromRaw[i + 1]).toBe(Object.getOwnPropertyDescriptor(fromRecord, n)?.value);
        }
      }),
    );
  });
});
