import { describe, expect, it } from 'vitest';
import { cidrContains, formatIp, parseCidr, parseIp } from 'bulwark';

describe('IP parsing', () => {
  it('parses and formats IPv4 and IPv6 canonically', () => {
    expect(formatIp(parseIp('2001:0DB8:0:0:1:0:0:1')!)).toBe('2001:db8::1:0:0:1');
    expect(formatIp(parseIp('::')!)).toBe('::');
    expect(formatIp(parseIp('fe80::1%eth0')!)).toBe('fe80::1');
    expect(formatIp(parseIp('::ffff:1.2.3.4')!)).toBe('1.2.3.4');
    expect(parseIp('1.2.3')).toBeUndefined();
    expect(parseIp('01.2.3.4')).toBeUndefined();
  });

  it('parses NAT64 well-known-prefix addresses (RFC 6052) as the IPv4 client they carry', () => {
    expect(parseIp('64:ff9b::192.0.2.33')).toEqual(parseIp('192.0.2.33'));
    expect(parseIp('64:ff9b::c000:221')).toEqual(parseIp('192.0.2.33'));
    expect(formatIp(parseIp('64:FF9B:0:0:0:0:C000:0221')!)).toBe('192.0.2.33');
    // Only 64:ff9b::/96: the local-use 64:ff9b:1::/48 and other prefixes stay IPv6.
    expect(parseIp('64:ff9b:1::c000:221')?.family).toBe(6);
    expect(parseIp('64:ff9b:0:0:1::c000:221')?.family).toBe(6);
    expect(parseIp('64:ff9a::c000:221')?.family).toBe(6);
  });

  it('a NAT64 CIDR written with its IPv6 prefix length covers the IPv4 bits', () => {
    const block = parseCidr('64:ff9b::10.0.0.0/104')!;
    expect(block).toMatchObject({ family: 4, bits: 8 });
    expect(cidrContains(block, parseIp('10.9.9.9')!)).toBe(true);
    expect(cidrContains(block, parseIp('64:ff9b::10.9.9.9')!)).toBe(true);
    expect(cidrContains(block, parseIp('11.0.0.1')!)).toBe(false);
  });

  it('matches CIDRs of both families', () => {
    const v4 = parseCidr('10.0.0.0/8')!;
    expect(cidrContains(v4, parseIp('10.255.1.1')!)).toBe(true);
    expect(cidrContains(v4, parseIp('11.0.0.1')!)).toBe(false);
    expect(cidrContains(parseCidr('192.168.1.128/25')!, parseIp('192.168.1.200')!)).toBe(true);
    expect(cidrContains(parseCidr('192.168.1.128/25')!, parseIp('192.168.1.100')!)).toBe(false);
    expect(cidrContains(parseCidr('fd00::/8')!, parseIp('fd12::1')!)).toBe(true);
    expect(cidrContains(parseCidr('fd00::/8')!, parseIp('10.0.0.1')!)).toBe(false);
    expect(cidrContains(parseCidr('::ffff:10.0.0.0/104')!, parseIp('10.3.3.3')!)).toBe(true);
    expect(parseCidr('10.0.0.0/x')).toBeUndefined();
    expect(parseCidr('::/129')).toBeUndefined();
  });
});
