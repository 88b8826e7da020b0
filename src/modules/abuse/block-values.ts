import { isEmail } from 'class-validator';
import { emailKey } from '../../common/email-key';
import type { BlockType } from './block.entity';
import { compressIPv6, ipv6Groups, plainAddress } from './ip-address';

/** A list entry's value as stored (one spelling per entry, so UNIQUE(type, value) sees repeats), or why it is refused. */
export type BlockValue = { value: string } | { problem: string };

/** Narrower ranges than these are almost surely a typo (a /0 would block or free everyone). */
const MIN_PREFIX = { ipv4: 8, ipv6: 16 } as const;

const LABEL = /^[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?$/u;

/**
 * Checks and normalises a block or allow entry:
 * - `ip`: one IPv4 or IPv6 address (IPv6 in RFC 5952 form; an IPv4-mapped one as IPv4);
 * - `cidr`: `address/prefix`, at least /8 (IPv4) or /16 (IPv6), stored as its network address;
 * - `domain`: a host name of two labels or more, lower case, without a trailing dot; it also covers its subdomains;
 * - `email`: an address, stored as signing's email key (so `Layla.H+x@googlemail.com` is `laylah@gmail.com`).
 */
export function normaliseBlockValue(type: BlockType, raw: string): BlockValue {
  const text = raw.trim();
  switch (type) {
    case 'ip': {
      const a = text.includes('%') ? null : plainAddress(text);
      return a ? { value: a.address } : { problem: 'value must be an IPv4 or IPv6 address' };
    }
    case 'cidr':
      return normaliseCidr(text);
    case 'domain': {
      const domain = text.toLowerCase().replace(/\.$/, '');
      const labels = domain.split('.');
      const ok = domain.length <= 253 && labels.length >= 2 && labels.every((l) => LABEL.test(l)) && !/^\d+$/.test(labels[labels.length - 1]);
      return ok ? { value: domain } : { problem: 'value must be a domain name such as example.org' };
    }
    case 'email': {
      const ok = text.length <= 254 && !/["\\]/.test(text) && isEmail(text, { allow_ip_domain: false, allow_utf8_local_part: true });
      return ok ? { value: emailKey(text) } : { problem: 'value must be an email address' };
    }
  }
}

function normaliseCidr(text: string): BlockValue {
  const refused = { problem: 'value must be a range such as 192.0.2.0/24 or 2001:db8::/32 (at least /8 for IPv4, /16 for IPv6)' };
  const match = /^([^/%]+)\/(\d{1,3})$/.exec(text);
  if (!match) return refused;
  const address = plainAddress(match[1]);
  const prefix = Number(match[2]);
  if (!address || prefix < MIN_PREFIX[address.family]) return refused;
  if (address.family === 'ipv4') {
    if (prefix > 32) return refused;
    const n = address.address.split('.').reduce((acc, part) => acc * 256 + Number(part), 0);
    const network = prefix === 0 ? 0 : Math.floor(n / 2 ** (32 - prefix)) * 2 ** (32 - prefix);
    const parts = [24, 16, 8, 0].map((shift) => Math.floor(network / 2 ** shift) % 256);
    return { value: `${parts.join('.')}/${prefix}` };
  }
  if (prefix > 128) return refused;
  const groups = ipv6Groups(address.address)!.map((g, i) => {
    const bits = Math.min(Math.max(prefix - i * 16, 0), 16);
    return bits === 16 ? g : g & ((0xffff << (16 - bits)) & 0xffff);
  });
  return { value: `${compressIPv6(groups)}/${prefix}` };
}
