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
