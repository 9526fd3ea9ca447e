import { isIP } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileClientIp, formatIp, parseIp } from 'bulwark';
import { fuzz, headerValue } from './settings.js';

const PROXY = '10.0.0.1';
const resolve = compileClientIp({ trustedProxies: ['10.0.0.0/8'] });
const direct = compileClientIp();

const ipv4 = fc.ipV4();
const ipv6 = fc.ipV6();
const anyIp = fc.oneof(ipv4, ipv6);

/** A key is a canonical IPv4 address or a canonical IPv6 /64 (or 'unknown' for no address). */
function expectKey(key: string): void {
  if (key.endsWith('/64')) {
    const ip = key.slice(0, -3);
    expect(isIP(ip)).toBe(6);
    const parsed = parseIp(ip);
    expect(parsed && formatIp(parsed)).toBe(ip);
    return;
  }
  expect(isIP(key)).toBe(4);
}

describe('Forwarded / X-Forwarded-For parsing and IP normalization', () => {
  it('any forwarding headers from a trusted proxy resolve to a canonical key, never throw', () => {
    fc.assert(
      fc.property(
        fc.record({ forwarded: headerValue, 'x-forwarded-for': headerValue }, { requiredKeys: [] }),
        (headers) => {
          expectKey(resolve({ remoteAddress: PROXY, headers }));
        },
      ),
      fuzz,
    );
  });

  it('headers from an untrusted peer are never believed', () => {
    fc.assert(
      fc.property(
        ipv4.filter((ip) => !ip.startsWith('10.')),
        fc.record({ forwarded: headerValue, 'x-forwarded-for': headerValue }, { requiredKeys: [] }),
        (peer, headers) => {
          expect(resolve({ remoteAddress: peer, headers })).toBe(peer);
          expect(direct({ remoteAddress: peer, headers })).toBe(peer);
        },
      ),
      fuzz,
    );
  });

  it('the rightmost untrusted hop is the client, whatever the client wrote on the left', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ maxLength: 20 }), { maxLength: 5 }),
        ipv4.filter((ip) => !ip.startsWith('10.')),
        fc.array(fc.constantFrom('10.1.2.3', '10.9.9.9'), { maxLength: 3 }),
        (spoofed, client, proxies) => {
          const hops = [...spoofed.map((s) => s.replace(/,/g, '')), client, ...proxies];
          const headers = { 'x-forwarded-for': hops.join(', ') };
          expect(resolve({ remoteAddress: PROXY, headers })).toBe(client);
        },
      ),
      fuzz,
    );
  });

  it('whatever a client writes in Forwarded, its key is its real address or a trusted hop', () => {
    fc.assert(
      fc.property(
        headerValue,
        ipv4.filter((ip) => !ip.startsWith('10.')),
        fc.constantFrom('for=%s', 'for="%s:4711"', 'for=%s;proto=https'),
        fc.array(fc.constantFrom('10.1.2.3', '10.9.9.9'), { maxLength: 2 }),
        (written, client, shape, proxies) => {
          // What the proxies append after the client's own text (RFC 7239 section 7.4).
          const appended = [shape.replace('%s', client), ...proxies.map((p) => `for=${p}`)];
          const left = typeof written === 'string' ? written : written.join(', ');
          const forwarded = [left, ...appended].join(', ');
          const key = resolve({ remoteAddress: PROXY, headers: { forwarded } });
          // Never an address the client chose: its own, or (when its text broke the syntax)
          // the trusted hop nearest to it.
          expect([client, proxies[0] ?? PROXY, PROXY]).toContain(key);
        },
      ),
      fuzz,
    );
  });

  it('parseIp / formatIp round-trip; IPv4-mapped IPv6 is the IPv4 address', () => {
    fc.assert(
      fc.property(anyIp, ipv4, (ip, v4) => {
        const parsed = parseIp(ip);
        expect(parsed).toBeDefined();
        if (parsed === undefined) return;
        const text = formatIp(parsed);
        expect(parseIp(text)).toEqual(parsed);
        expect(formatIp(parseIp(`::ffff:${v4}`) ?? parsed)).toBe(formatIp(parseIp(v4) ?? parsed));
      }),
      fuzz,
    );
  });

  it('parseIp accepts exactly what node:net calls an IP (zones dropped)', () => {
    fc.assert(
      fc.property(fc.oneof(anyIp, fc.string({ maxLength: 45 })), (text) => {
        const parsed = parseIp(text);
        const bare = text.includes('%') ? text.slice(0, text.indexOf('%')) : text;
        expect(parsed !== undefined).toBe(isIP(text) !== 0 || isIP(bare) === 6);
      }),
      fuzz,
    );
  });
});
