import { describe, expect, it } from 'vitest';
import { patternProblem } from '../../src/cors/pattern.js';

describe('patternProblem', () => {
  it.each([
    [/^https:\/\/app\.example\.com$/g, /g flag/],
    [/^https:\/\/app\.example\.com$/y, /y flag/],
    [/https:\/\/app\.example\.com$/, /not anchored/],
    [/^https:\/\/app\.example\.com/, /not anchored/],
    [/^https:\/\/app\.example\.com\$/, /not anchored/],
    [/^https:\/\/a\.example\.com|https:\/\/b\.example\.com$/, /alternatives are outside a group/],
    [/^https:\/\/app.example\.com$/, /unescaped \. matches any character/],
  ])('%s is refused', (pattern, problem) => {
    expect(patternProblem(pattern)).toMatch(problem);
  });

  it.each([
    /^https:\/\/app\.example\.com$/,
    /^https:\/\/app\.example\.com$/i,
    /^https:\/\/(?:a|b)\.example\.com$/,
    /^https:\/\/[a-z0-9-]+\.example\.com$/,
    /^https:\/\/[.a-z]+\.example\.com$/,
    /^https:\/\/.+\.example\.com$/,
    /^https:\/\/.*\.example\.com(?::\d+)?$/,
    /^https:\/\/a\|b\.example\.com$/,
  ])('%s is accepted', (pattern) => {
    expect(patternProblem(pattern)).toBeUndefined();
  });

  it('the refused shapes really match look-alikes, the fixed ones do not', () => {
    // The unanchored pattern itself is what is under test, not a substring search.
    // eslint-disable-next-line @typescript-eslint/prefer-includes
    expect(/https:\/\/app\.example\.com/.test('https://app.example.com.evil.net')).toBe(true);
    expect(/^https:\/\/app.example\.com$/.test('https://appxexample.com')).toBe(true);
    expect(/^https:\/\/a\.com|https:\/\/b\.com$/.test('https://a.com.evil.net')).toBe(true);
    expect(/^https:\/\/app\.example\.com$/.test('https://appxexample.com')).toBe(false);
    const sticky = /^https:\/\/app\.example\.com$/g;
    expect([
      sticky.test('https://app.example.com'),
      sticky.test('https://app.example.com'),
    ]).toEqual([true, false]);
  });
});
