import { describe, expect, it } from 'vitest';
import { compileClientIp, resolveClientIp } from 'bulwark';

const proxies = { trustedProxies: ['10.0.0.0/8', '2001:db8:ffff::/48', '192.168.1.10'] };
const viaProxy = (headers: Record<string, string>) => ({ remoteAddress: '10.1.2.3', headers });

describe('resolveClientIp', () => {
  it('is the socket peer by default; forwarding headers are ignored', () => {
    expect(
      resolveClientIp({ remoteAddress: '203.0.113.9', headers: { 'x-forwarded-for': '1.1.1.1' } }),
    ).toBe('203.0.113.9');
  });

  it('ignores a spoofed X-Forwarded-For from an untrusted peer', () => {
    const r = { remoteAddress: '203.0.113.9', headers: { 'x-forwarded-for': '10.0.0.1, 1.1.1.1' } };
    expect(resolveClientIp(r, proxies)).toBe('203.0.113.9');
  });

  it('walks X-Forwarded-For from the right, skipping trusted proxies', () => {
    const r = viaProxy({ 'x-forwarded-for': '6.6.6.6, 198.51.100.7, 192.168.1.10, 10.9.9.9' });
    expect(resolveClientIp(r, proxies)).toBe('198.51.100.7');
  });

  it('walks Forwarded (RFC 7239): quoted, bracketed IPv6, ports, obfuscated ids', () => {
    const r = viaProxy({
      forwarded:
        'for=6.6.6.6, for="[2001:db8:cafe::17]:4711";proto=https, for=_hidden, for="10.0.0.5:80";by=_p',
    });
    expect(resolveClientIp(r, proxies)).toBe('2001:db8:cafe::/64');
    expect(resolveClientIp(viaProxy({ forwarded: 'For="198.51.100.1:8080"' }), proxies)).toBe(
      '198.51.100.1',
    );
    expect(
      resolveClientIp(viaProxy({ forwarded: 'for=unknown, for="x;y,z", for=1.2.3.4' }), proxies),
    ).toBe('1.2.3.4');
  });

  it('a quote the client left open cannot swallow the element its proxy appended', () => {
    // The client writes the left part; the trusted proxy appends ", for=<real peer>".
    for (const written of [
      'for=1.2.3.4, a="',
      'for=1.2.3.4, for="\\',
      'for="\\", for=1.2.3.4;x="',
    ]) {
      const forwarded = `${written}, for=198.51.100.7`;
      // The real peer when the syntax still holds, else the proxy: never the written 1.2.3.4.
      expect(['198.51.100.7', '10.1.2.3']).toContain(
        resolveClientIp(viaProxy({ forwarded }), proxies),
      );
    }
  });

  it('prefers Forwarded, or the header named by proxyHeader', () => {
    const headers = { forwarded: 'for=1.1.1.1', 'x-forwarded-for': '2.2.2.2' };
    expect(resolveClientIp(viaProxy(headers), proxies)).toBe('1.1.1.1');
    const xff = { ...proxies, proxyHeader: 'x-forwarded-for' as const };
    expect(resolveClientIp(viaProxy(headers), xff)).toBe('2.2.2.2');
  });

  it('skips garbage and oversized entries; falls back to the peer', () => {
    expect(resolveClientIp(viaProxy({ 'x-forwarded-for': 'garbage, 999.1.1.1, ' }), proxies)).toBe(
      '10.1.2.3',
    );
    expect(
      resolveClientIp(viaProxy({ 'x-forwarded-for': `${'a'.repeat(10_000)}, 5.5.5.5` }), proxies),
    ).toBe('5.5.5.5');
    const long = Array.from({ length: 5000 }, () => '10.0.0.1').join(',');
    expect(resolveClientIp(viaProxy({ 'x-forwarded-for': `7.7.7.7,${long}` }), proxies)).toBe(
      '10.0.0.1',
    );
    expect(resolveClientIp(viaProxy({ forwarded: 'for="[::1' }), proxies)).toBe('10.1.2.3');
  });

  it('maps IPv4-mapped IPv6 to IPv4 and keys IPv6 by /64', () => {
    expect(resolveClientIp({ remoteAddress: '::ffff:203.0.113.9', headers: {} })).toBe(
      '203.0.113.9',
    );
    expect(resolveClientIp({ remoteAddress: '2001:DB8:1:2:3:4:5:6', headers: {} })).toBe(
      '2001:db8:1:2::/64',
    );
    expect(
      resolveClientIp({ remoteAddress: '2001:db8:1:2:3:4:5:6', headers: {} }, { ipv6Subnet: 128 }),
    ).toBe('2001:db8:1:2:3:4:5:6');
    expect(
      resolveClientIp(
        { remoteAddress: '::ffff:10.1.1.1', headers: { 'x-forwarded-for': '4.4.4.4' } },
        proxies,
      ),
    ).toBe('4.4.4.4');
    expect(
      resolveClientIp(viaProxy({ 'x-forwarded-for': '2001:db8:ffff::1, ::ffff:8.8.8.8' }), proxies),
    ).toBe('8.8.8.8');
  });

  it('keys a NAT64 client (64:ff9b::a.b.c.d) as its IPv4 address, not the gateway /64', () => {
    expect(resolveClientIp({ remoteAddress: '64:ff9b::203.0.113.9', headers: {} })).toBe(
      '203.0.113.9',
    );
    // Two IPv4 clients behind one NAT64 gateway keep their own keys.
    expect(resolveClientIp({ remoteAddress: '64:ff9b::cb00:710a', headers: {} })).toBe(
      '203.0.113.10',
    );
    expect(resolveClientIp(viaProxy({ 'x-forwarded-for': '64:ff9b::198.51.100.7' }), proxies)).toBe(
      '198.51.100.7',
    );
    expect(
      resolveClientIp(viaProxy({ forwarded: 'for="[64:ff9b::198.51.100.8]:443"' }), proxies),
    ).toBe('198.51.100.8');
    // A NAT64 form of a trusted proxy is that proxy: skipped like it.
    expect(
      resolveClientIp(viaProxy({ 'x-forwarded-for': '198.51.100.9, 64:ff9b::10.2.2.2' }), proxies),
    ).toBe('198.51.100.9');
    // Outside the well-known /96 it is IPv6, grouped by /64 as usual.
    expect(resolveClientIp({ remoteAddress: '64:ff9b:1::cb00:710a', headers: {} })).toBe(
      '64:ff9b:1::/64',
    );
  });

  it('returns the leftmost address when every hop is trusted, and a marker without a peer', () => {
    expect(resolveClientIp(viaProxy({ 'x-forwarded-for': '10.0.0.7, 10.0.0.8' }), proxies)).toBe(
      '10.0.0.7',
    );
    expect(resolveClientIp({ remoteAddress: undefined, headers: {} })).toBe('unknown');
  });

  it('rejects bad trusted proxies and subnets at creation', () => {
    expect(() => compileClientIp({ trustedProxies: ['10.0.0.0/33'] })).toThrow(/'10.0.0.0\/8'/);
    expect(() => compileClientIp({ trustedProxies: ['example.com'] })).toThrow(TypeError);
    expect(() => compileClientIp({ ipv6Subnet: 0 })).toThrow(/write 64/);
  });
});
