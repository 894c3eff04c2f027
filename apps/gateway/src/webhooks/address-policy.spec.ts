import { allowsInsecure, ipLiteralOf, parseAllowance, refusedAddress } from './address-policy';

const none = parseAllowance('false');

describe('webhook destination addresses', () => {
  it.each([
    ['127.0.0.1', /loopback/],
    ['::1', /loopback/],
    ['10.1.2.3', /private/],
    ['172.16.0.9', /private/],
    ['192.168.1.1', /private/],
    ['fd12:3456::1', /private/],
    ['169.254.169.254', /link-local/],
    ['fe80::1', /link-local/],
    ['224.0.0.1', /multicast/],
    ['ff02::1', /multicast/],
    ['0.0.0.0', /unspecified/],
    ['::', /unspecified/],
    ['100.64.0.1', /non-public/],
    ['255.255.255.255', /non-public/],
    ['192.0.2.10', /non-public/],
    ['2001:db8::1', /non-public/],
    ['::ffff:127.0.0.1', /loopback/],
    ['::ffff:10.0.0.1', /private/],
    ['::ffff:169.254.169.254', /link-local/],
    ['64:ff9b::a00:1', /non-public/],
    ['2002:a00:1::1', /non-public/],
  ])('refuses %s by default', (address, reason) => {
    expect(refusedAddress(address, none)).toMatch(reason);
  });

  it.each(['93.184.215.14', '8.8.8.8', '2606:4700:4700::1111', '::ffff:8.8.8.8'])('accepts the public address %s', (address) => {
    expect(refusedAddress(address, none)).toBeNull();
  });

  it('accepts only the listed non-public ranges when some are allowed (tests allow loopback IPv4)', () => {
    const some = parseAllowance('127.0.0.1/32, 10.9.0.0/16');
    expect(refusedAddress('127.0.0.1', some)).toBeNull();
    expect(refusedAddress('::ffff:127.0.0.1', some)).toBeNull();
    expect(refusedAddress('10.9.4.4', some)).toBeNull();
    expect(refusedAddress('10.8.4.4', some)).toMatch(/private/);
    expect(refusedAddress('::1', some)).toMatch(/loopback/);
    expect(refusedAddress('169.254.169.254', some)).toMatch(/link-local/);
    expect(allowsInsecure(some)).toBe(true);
  });

  it('accepts anything with true, and plain http only when something is allowed', () => {
    expect(refusedAddress('10.0.0.1', parseAllowance('true'))).toBeNull();
    expect(allowsInsecure(parseAllowance('true'))).toBe(true);
    expect(allowsInsecure(none)).toBe(false);
    expect(allowsInsecure(parseAllowance(''))).toBe(false);
  });

  it('refuses a setting that is not addresses or ranges', () => {
    expect(() => parseAllowance('localhost')).toThrow(/not an address/);
    expect(() => parseAllowance('10.0.0.0/99')).toThrow(/not an address/);
  });

  it('reads IP literals from URL hosts, as the URL parser normalises them', () => {
    expect(ipLiteralOf(new URL('http://[::ffff:127.0.0.1]:8080/').hostname)).toBe('::ffff:7f00:1');
    expect(ipLiteralOf(new URL('http://0x7f.1/').hostname)).toBe('127.0.0.1');
    expect(ipLiteralOf(new URL('http://2130706433/').hostname)).toBe('127.0.0.1');
    expect(ipLiteralOf('hooks.example.com')).toBeNull();
  });
});
