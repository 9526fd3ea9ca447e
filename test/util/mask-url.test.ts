import { describe, expect, it } from 'vitest';
import { maskUrlCredentials } from 'bulwark';

describe('maskUrlCredentials', () => {
  it.each([
    ['redis://user:pass@host:6379/0', 'redis://user:***@host:6379/0'],
    ['rediss://:secret@host', 'rediss://:***@host'],
    ['redis://tokenonly@host', 'redis://***@host'],
    ['redis://host:6379', 'redis://host:6379'],
    ['redis://u:p@ss@host', 'redis://u:***@host'],
  ])('%s', (input, masked) => {
    expect(maskUrlCredentials(input)).toBe(masked);
  });
});
