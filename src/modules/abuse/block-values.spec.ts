import { normaliseBlockValue } from './block-values';
import { DisposableDomains } from './disposable-domains';

/** Each list entry has one spelling, so UNIQUE(type, value) sees a repeat however it is typed. */
describe('normaliseBlockValue', () => {
  const value = (type: Parameters<typeof normaliseBlockValue>[0], raw: string) => {
    const r = normaliseBlockValue(type, raw);
    return 'value' in r ? r.value : `refused: ${r.problem}`;
  };

  it('ip: one IPv4 or IPv6 address, IPv6 in RFC 5952 form, an IPv4-mapped one as IPv4', () => {
    expect(value('ip', ' 203.0.113.7 ')).toBe('203.0.113.7');
    expect(value('ip', '2001:DB8:0:0:0:0:0:1')).toBe('2001:db8::1');
    expect(value('ip', '2001:db8::0:1')).toBe('2001:db8::1');
    expect(value('ip', '::ffff:203.0.113.7')).toBe('203.0.113.7');
    for (const bad of ['203.0.113', '203.0.113.256', '01.2.3.4', 'fe80::1%eth0', '203.0.113.0/24', 'example.org', '']) {
      expect(value('ip', bad)).toMatch(/^refused: /);
    }
  });

  it('cidr: a range of at least /8 (IPv4) or /16 (IPv6), stored as its network address', () => {
    expect(value('cidr', '198.51.100.77/24')).toBe('198.51.100.0/24');
    expect(value('cidr', '10.1.2.3/8')).toBe('10.0.0.0/8');
    expect(value('cidr', '203.0.113.7/32')).toBe('203.0.113.7/32');
    expect(value('cidr', '2001:DB8:ABCD:12::1/48')).toBe('2001:db8:abcd::/48');
    expect(value('cidr', '2001:db8::ffff/127')).toBe('2001:db8::fffe/127');
    for (const bad of ['0.0.0.0/0', '10.0.0.0/7', '10.0.0.0/33', '::/0', '2001:db8::/129', '198.51.100.0', '198.51.100.0/x', 'a/24']) {
      expect(value('cidr', bad)).toMatch(/^refused: /);
    }
  });

  it('domain: a host name of two labels or more, lower case, without the trailing dot', () => {
    expect(value('domain', 'Spam.Example.')).toBe('spam.example');
    expect(value('domain', 'جامعة.example')).toBe('جامعة.example');
    for (const bad of ['example', '-bad.example', 'a..example', 'x@example.org', 'http://example.org', '203.0.113.7', 'a b.example']) {
      expect(value('domain', bad)).toMatch(/^refused: /);
    }
  });

  it("email: an address, stored as signing's email key", () => {
    expect(value('email', ' Layla.H+news@GoogleMail.com ')).toBe('laylah@gmail.com');
    expect(value('email', 'Omar@Example.org')).toBe('omar@example.org');
    for (const bad of ['layla', '"layla"@gmail.com', 'a@b', 'layla@203.0.113.7']) {
      expect(value('email', bad)).toMatch(/^refused: /);
    }
  });
});

describe('DisposableDomains', () => {
  it('knows the disposable services of the package, and their subdomains; not ordinary domains', () => {
    const d = new DisposableDomains();
    expect(d.has('mailinator.com')).toBe(true);
    expect(d.has('eu.mailinator.com')).toBe(true);
    expect(d.has('gmail.com')).toBe(false);
    expect(d.has('example.org')).toBe(false);
    expect(d.has('com')).toBe(false);
  });
});
