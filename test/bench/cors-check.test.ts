// The HTTP benchmark's check of each CORS stack's answers: a stack that answers without doing
// the configured CORS work must fail the run, or it would be timed doing less and win.
import type { IncomingHttpHeaders } from 'node:http';
import { describe, expect, it } from 'vitest';
import { CORS_KINDS, CORS_OPTIONS, corsProblems } from '../../bench/http/cors.js';

const [simple, preflight] = CORS_KINDS as [(typeof CORS_KINDS)[0], (typeof CORS_KINDS)[0]];
const origin = CORS_OPTIONS.requestOrigin;

// Answers as the packages send them (lists without spaces, other header order).
const goodSimple: IncomingHttpHeaders = {
  'access-control-allow-origin': origin,
  'access-control-expose-headers': 'RateLimit,RateLimit-Policy,Retry-After',
  vary: 'Origin',
};
const goodPreflight: IncomingHttpHeaders = {
  'access-control-allow-origin': origin,
  'access-control-allow-methods': 'GET,HEAD,POST,PUT,PATCH,DELETE',
  'access-control-allow-headers': 'Content-Type, X-Client-Version',
  'access-control-max-age': '600',
  vary: 'Origin, Access-Control-Request-Headers',
};

describe('corsProblems', () => {
  it('accepts answers that do the configured CORS work', () => {
    expect(corsProblems('cors-peer', simple, 200, goodSimple)).toEqual([]);
    expect(corsProblems('cors-bulwark', preflight, 204, goodPreflight)).toEqual([]);
    expect(corsProblems('cors-bare', simple, 200, {})).toEqual([]);
    expect(corsProblems('cors-bare', preflight, 204, {})).toEqual([]);
  });

  it.each<[string, number, IncomingHttpHeaders, RegExp]>([
    ['no CORS headers at all', 200, {}, /access-control-allow-origin/],
    ['another status', 204, goodSimple, /status 204, expected 200/],
    ['*', 200, { ...goodSimple, 'access-control-allow-origin': '*' }, /allow-origin/],
    ['no Vary', 200, { ...goodSimple, vary: undefined }, /vary/],
    [
      'exposed headers missing',
      200,
      { ...goodSimple, 'access-control-expose-headers': 'RateLimit' },
      /expose/,
    ],
    [
      'credentials',
      200,
      { ...goodSimple, 'access-control-allow-credentials': 'true' },
      /credentials/,
    ],
  ])('refuses a simple answer with %s', (_, status, headers, problem) => {
    expect(corsProblems('cors-peer', simple, status, headers).join('; ')).toMatch(problem);
  });

  it.each<[string, number, IncomingHttpHeaders, RegExp]>([
    [
      'the default methods of @fastify/cors',
      204,
      { ...goodPreflight, 'access-control-allow-methods': 'GET,HEAD,POST' },
      /allow-methods/,
    ],
    [
      'the requested headers not allowed',
      204,
      { ...goodPreflight, 'access-control-allow-headers': undefined },
      /allow-headers/,
    ],
    ['no maxAge', 204, { ...goodPreflight, 'access-control-max-age': undefined }, /max-age/],
    ['the app answering (200, no CORS headers)', 200, {}, /status 200, expected 204/],
  ])('refuses a preflight answer with %s', (_, status, headers, problem) => {
    expect(corsProblems('cors-bulwark', preflight, status, headers).join('; ')).toMatch(problem);
  });

  it('refuses a bare stack that sends CORS headers', () => {
    expect(corsProblems('cors-bare', simple, 200, goodSimple)).not.toEqual([]);
  });
});
