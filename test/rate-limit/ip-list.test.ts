import { describe, expect, it } from 'vitest';
import { parseIp } from 'bulwark';
import { compileIpList } from '../../src/rate-limit/ip-list.js';

const matches = (list: ReturnType<typeof compileIpList>, ip: string): boolean => {
  const parsed = parseIp(ip);
  if (parsed === undefined) throw new Error(`test address ${ip} does not parse`);
  return list?.(parsed) ?? false;
};

describe('allowList / denyList entries', () => {
  it('match single addresses and CIDRs of both families', () => {
    const list = compileIpList('denyList', [
      '203.0.113.7',
      '10.0.0.0/8',
      ' 192.168.1.128/25 ',
      '2001:db8::/32',
      'fe80::1',
    ]);
    expect(matches(list, '203.0.113.7')).toBe(true);
    expect(matches(list, '203.0.113.8')).toBe(false);
    expect(matches(list, '10.200.3.4')).toBe(true);
    expect(matches(list, '192.168.1.200')).toBe(true);
    expect(matches(list, '192.168.1.100')).toBe(false);
    expect(matches(list, '2001:db8:ffff::1')).toBe(true);
    expect(matches(list, '2001:db9::1')).toBe(false);
    expect(matches(list, 'fe80::1')).toBe(true);
    expect(matches(list, 'fe80::2')).toBe(false);
  });

  it('an IPv4 entry also matches its IPv4-mapped and NAT64 (64:ff9b::/96) forms', () => {
    const list = compileIpList('allowList', ['198.51.100.0/24']);
    expect(matches(list, '::ffff:198.51.100.9')).toBe(true);
    expect(matches(list, '64:ff9b::198.51.100.9')).toBe(true);
    expect(matches(list, '64:ff9b::c633:6409')).toBe(true); // the same, in hex
    expect(matches(list, '64:ff9b::198.51.101.9')).toBe(false);
    // Only the well-known /96: a longer NAT64-looking prefix is ordinary IPv6.
    expect(matches(list, '64:ff9b:1::198.51.100.9')).toBe(false);
  });

  it('no list, or an empty one, matches nothing and costs nothing', () => {
    expect(compileIpList('allowList', undefined)).toBeUndefined();
    expect(compileIpList('allowList', [])).toBeUndefined();
  });

  it('rejects what is not a list of addresses, naming the entry and what to write', () => {
    expect(() => compileIpList('denyList', '10.0.0.0/8')).toThrow(
      /rateLimit denyList: not a list; write denyList: \['10\.0\.0\.0\/8', '2001:db8::\/32'\]/,
    );
    for (const bad of ['example.com', '10.0.0.0/33', '::/129', '1.2.3', 42, null]) {
      expect(() => compileIpList('allowList', [bad]), String(bad)).toThrow(TypeError);
      expect(() => compileIpList('allowList', [bad]), String(bad)).toThrow(
        new RegExp(
          `allowList: ${JSON.stringify(bad).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} is not an IP address or CIDR; write entries such as`,
        ),
      );
    }
  });
});
