import { describe, expect, it } from 'vitest';
import { isAbsoluteUrl } from '../../src/webhook/url.js';

describe('isAbsoluteUrl', () => {
  it.each(['https://api.example.com', 'http://localhost:3000/sms?x=1', 'HTTPS://EXAMPLE.COM/'])(
    'accepts %s',
    (url) => {
      expect(isAbsoluteUrl(url)).toBe(true);
    },
  );

  it.each(['/sms?x=1', 'https://', 'https:///path', 'ftp://example.com', 'example.com/sms', ''])(
    'refuses %j (a request target, no host, or another scheme)',
    (url) => {
      expect(isAbsoluteUrl(url)).toBe(false);
    },
  );
});
