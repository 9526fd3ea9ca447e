import { describe, expect, it } from 'vitest';
import { createRedactor, redact } from 'bulwark';
import { normalizeKey } from '../../src/redact/key-style.js';

const SPELLINGS = ['apiKey', 'api_key', 'API-KEY', 'ApiKey', 'apikey', 'Api.Key', 'api key'];

describe('normalizeKey', () => {
  it('folds case and drops _, -, . and spaces', () => {
    for (const k of SPELLINGS) expect(normalizeKey(k)).toBe('apikey');
    expect(normalizeKey('X-Api-Key')).toBe('xapikey');
    expect(normalizeKey('__proto__')).toBe('proto');
    expect(normalizeKey('a--b__c')).toBe('abc');
    expect(normalizeKey('TÖKEN')).toBe('töken');
    expect(normalizeKey('-_')).toBe('');
  });

  it('returns an already normalized key itself', () => {
    const key = ['user', 'id'].join('');
    expect(normalizeKey(key)).toBe(key);
  });

  it('gives the same answer from its cache, past the cache bound and for long keys', () => {
    const keys = Array.from({ length: 1500 }, (_, i) => `Key_${i}`);
    for (const k of keys) expect(normalizeKey(k)).toBe(`key${k.slice(4)}`);
    for (const k of keys) expect(normalizeKey(k)).toBe(`key${k.slice(4)}`);
    const long = `A_${'b'.repeat(100)}`;
    expect(normalizeKey(long)).toBe(`a${'b'.repeat(100)}`);
  });
});

describe('caseInsensitive: fields across key styles', () => {
  const r = createRedactor({ fields: ['apiKey'], caseInsensitive: true, mode: 'censor' });

  it.each(SPELLINGS)('field apiKey redacts %j', (key) => {
    expect(r({ [key]: 'LEAK', keep: 1 })).toEqual({ [key]: '[REDACTED]', keep: 1 });
    expect(r.needsRedaction({ [key]: 'LEAK' })).toBe(true);
    expect(r.stringify({ a: [{ [key]: 'LEAK' }] })).not.toContain('LEAK');
  });

  it.each(['apiKeys', 'api_keyring', 'myApiKey', 'api_ke', 'a_pikey_s'])(
    'keeps the near miss %j',
    (key) => {
      expect(r({ [key]: 'v' })).toEqual({ [key]: 'v' });
      expect(r.needsRedaction({ [key]: 'v' })).toBe(false);
    },
  );

  it('matches in any configured style: the names are normalized once', () => {
    const byHeader = createRedactor({ fields: ['X-API-KEY'], caseInsensitive: true });
    expect(byHeader({ xApiKey: 1, x_api_key: 2, 'x-api-key': 3, apiKey: 4 })).toEqual({
      has_xApiKey: true,
      has_x_api_key: true,
      'has_x-api-key': true,
      apiKey: 4,
    });
  });

  it('builds the flag key from the key as written', () => {
    expect(
      redact({ api_key: 'x', 'API-KEY': '' }, { fields: ['apiKey'], caseInsensitive: true }),
    ).toEqual({ has_api_key: true, 'has_API-KEY': false });
  });

  it('still matches case only when caseInsensitive is off', () => {
    expect(redact({ api_key: 1, ApiKey: 2, apiKey: 3 }, { fields: ['apiKey'] })).toEqual({
      api_key: 1,
      ApiKey: 2,
      has_apiKey: true,
    });
  });

  it('normalizes path segments too, on the copy, the JSON fast path and needsRedaction', () => {
    const p = createRedactor({
      paths: ['gatewayConfig.apiKey', 'agents[*].accessToken'],
      caseInsensitive: true,
      mode: 'censor',
    });
    const value = {
      gateway_config: { API_KEY: 'LEAK1', url: 'u' },
      'Gateway-Config': { 'api-key': 'LEAK2' },
      agents: [{ access_token: 'LEAK3', name: 'a' }],
      apiKey: 'kept',
    };
    const out = {
      gateway_config: { API_KEY: '[REDACTED]', url: 'u' },
      'Gateway-Config': { 'api-key': '[REDACTED]' },
      agents: [{ access_token: '[REDACTED]', name: 'a' }],
      apiKey: 'kept',
    };
    expect(p(value)).toEqual(out);
    expect(JSON.parse(p.stringify(value))).toEqual(out);
    expect(p.needsRedaction(value)).toBe(true);
    expect(p.needsRedaction({ apiKey: 'kept', gateway_config: { url: 'u' } })).toBe(false);
  });

  it('applies to Map keys and Error properties', () => {
    const out = r({
      m: new Map<unknown, unknown>([
        ['API_KEY', 'LEAK'],
        ['other', 1],
      ]),
      e: Object.assign(new Error('x'), { 'Api-Key': 'LEAK' }),
    }) as { m: Map<string, unknown>; e: Record<string, unknown> };
    expect([...out.m]).toEqual([
      ['API_KEY', '[REDACTED]'],
      ['other', 1],
    ]);
    expect(out.e['Api-Key']).toBe('[REDACTED]');
  });

  it('keeps the default log fields matching their usual spellings', () => {
    const log = createRedactor({
      fields: ['x-api-key', 'access_token', 'set-cookie'],
      caseInsensitive: true,
      mode: 'censor',
    });
    expect(
      log({ headers: { 'X-Api-Key': 'L1', 'Set-Cookie': 'L2' }, body: { accessToken: 'L3' } }),
    ).toEqual({
      headers: { 'X-Api-Key': '[REDACTED]', 'Set-Cookie': '[REDACTED]' },
      body: { accessToken: '[REDACTED]' },
    });
  });

  it('rejects a field that is only separators', () => {
    expect(() => createRedactor({ fields: ['_-'], caseInsensitive: true })).toThrow(TypeError);
    expect(() => createRedactor({ fields: ['_-'], caseInsensitive: true })).toThrow(
      /fields: "_-" has no letters or digits.*write names such as 'token'/,
    );
    expect(() => createRedactor({ fields: ['_-'] })).not.toThrow();
  });
});
