import { describe, expect, it } from 'vitest';
import { normalizeOrigin } from 'bulwark';
import { originProblem } from '../../src/cors/origin.js';

describe('normalizeOrigin', () => {
  it.each([
    ['https://app.example.com', 'https://app.example.com'],
    ['HTTPS://APP.Example.COM', 'https://app.example.com'],
    ['https://app.example.com:443', 'https://app.example.com'],
    ['http://app.example.com:80', 'http://app.example.com'],
    ['http://localhost:3000', 'http://localhost:3000'],
    ['https://bücher.example', 'https://xn--bcher-kva.example'],
    ['http://[::1]:8080', 'http://[::1]:8080'],
    ['http://0x7f.1', 'http://127.0.0.1'],
    ['capacitor://localhost', 'capacitor://localhost'],
    ['chrome-extension://ABCdef', 'chrome-extension://abcdef'],
    ['null', 'null'],
  ])('%s is %s', (text, expected) => {
    expect(normalizeOrigin(text)).toBe(expected);
  });

  it.each([
    'https://app.example.com/',
    'https://app.example.com/path',
    'https://app.example.com?q',
    'https://app.example.com#f',
    'https://user:pw@app.example.com',
    'app.example.com',
    'https://app.example.com:99999',
    'https://a.example.com, https://b.example.com',
    'https://app.example.com\r\nX: y',
    'https://',
    '',
    'https://exa mple.com',
    `https://${'a'.repeat(3000)}.com`,
  ])('%j is not an origin', (text) => {
    expect(normalizeOrigin(text)).toBeUndefined();
  });
});

describe('originProblem', () => {
  it.each([
    ['https://app.example.com/', /ends with a slash/],
    ['https://app.example.com/api', /path, query or fragment/],
    ['https://app.example.com?x=1', /path, query or fragment/],
    ['https://user@app.example.com', /user info/],
    ['app.example.com', /no scheme/],
    ['https://*.example.com', /wildcard inside an origin string.*RegExp/],
    ['https://app.example.com\n', /line break/],
  ])('%j: %s', (text, problem) => {
    expect(originProblem(text)).toMatch(problem);
  });

  it('accepts bare origins and the literal null', () => {
    expect(originProblem('https://app.example.com:8443')).toBeUndefined();
    expect(originProblem('null')).toBeUndefined();
  });
});
