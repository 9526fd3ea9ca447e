import { describe, expect, it } from 'vitest';
import { checkUntrustedProxy } from '../../src/rate-limit/proxy-check.js';
import { captureLog } from '../helpers/log-capture.js';

const from = (remoteAddress: string, headers: Record<string, string> = {}) => ({
  remoteAddress,
  headers,
});

describe('checkUntrustedProxy', () => {
  it.each([
    ['127.0.0.1', 'X-Forwarded-For'],
    ['::1', 'X-Forwarded-For'],
    ['10.1.2.3', 'X-Forwarded-For'],
    ['172.20.0.5', 'Forwarded'],
    ['192.168.1.1', 'Forwarded'],
    ['100.64.0.1', 'X-Forwarded-For'],
    ['::ffff:10.0.0.9', 'X-Forwarded-For'],
    ['fd00::1', 'Forwarded'],
  ])('warns once for forwarding headers from the proxy address %s', (peer, header) => {
    const log = captureLog();
    const headers =
      header === 'Forwarded' ? { forwarded: 'for=1.2.3.4' } : { 'x-forwarded-for': '1.2.3.4' };
    for (let i = 0; i < 3; i++) checkUntrustedProxy(from(peer, headers), log.logger);
    expect(log.lines).toHaveLength(1);
    expect(log.lines[0]).toMatch(
      new RegExp(`^warn: misuse\\.untrusted_proxy: requests from .* carry ${header}`),
    );
    expect(log.lines[0]).toMatch(/trustedProxies: \['.+'\].*TRUSTED_PROXIES=/);
  });

  it('stays quiet for public peers and for requests without forwarding headers', () => {
    const log = captureLog();
    checkUntrustedProxy(from('203.0.113.9', { 'x-forwarded-for': '1.2.3.4' }), log.logger);
    checkUntrustedProxy(from('2001:db8::1', { forwarded: 'for=1.2.3.4' }), log.logger);
    checkUntrustedProxy(from('127.0.0.1'), log.logger);
    checkUntrustedProxy(
      { remoteAddress: undefined, headers: { 'x-forwarded-for': 'x' } },
      log.logger,
    );
    expect(log.lines).toEqual([]);
  });
});
