import { isIP } from 'node:net';

/** An address as the lists and limits read it: IPv4, or IPv6 (an IPv4-mapped IPv6 address is its IPv4 one). */
export interface PlainAddress {
  address: string;
  family: 'ipv4' | 'ipv6';
}

const MAPPED_V4 = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;

/** The address a request came from, as a plain IPv4 or canonical IPv6 one; null for anything else. */
export function plainAddress(ip: string | null | undefined): PlainAddress | null {
  if (!ip) return null;
  const mapped = MAPPED_V4.exec(ip);
  const candidate = mapped ? mapped[1] : ip;
  const family = isIP(candidate);
  if (family === 4) return { address: candidate, family: 'ipv4' };
  if (family === 6) {
    const groups = ipv6Groups(candidate);
    if (!groups) return null;
    if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
      return { address: `${groups[6] >> 8}.${groups[6] & 255}.${groups[7] >> 8}.${groups[7] & 255}`, family: 'ipv4' };
    }
    return { address: compressIPv6(groups), family: 'ipv6' };
  }
  return null;
}

/** The eight 16-bit groups of an IPv6 address (zone ids refused); null if it is not one. */
export function ipv6Groups(address: string): number[] | null {
  if (isIP(address) !== 6) return null;
  let text = address.toLowerCase();
  // An embedded IPv4 tail (::ffff:1.2.3.4, 64:ff9b::1.2.3.4) becomes two groups.
  const v4 = /(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number);
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, null];
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const missing = 8 - headGroups.length - tailGroups.length;
  if (tail === null ? missing !== 0 : missing < 1) return null;
  const groups = [...headGroups, ...Array<string>(tail === null ? 0 : missing).fill('0'), ...tailGroups].map((g) => parseInt(g, 16));
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : null;
}

/** RFC 5952's text of an address: lower case, the longest run (≥ 2) of zero groups as `::`. */
export function compressIPv6(groups: number[]): string {
  let best = { start: -1, length: 0 };
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > best.length) best = { start: i, length: j - i };
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best.length < 2) return hex.join(':');
  return `${hex.slice(0, best.start).join(':')}::${hex.slice(best.start + best.length).join(':')}`;
}

/**
 * What one client is, for the per-address limits: an IPv4 address, or an IPv6 address's /64 (one
 * subscriber's network: a phone or a home is given a whole /64, so counting single IPv6 addresses
 * would let one device sign under 2⁶⁴ names).
 */
export function limitSubject(a: PlainAddress): string {
  if (a.family === 'ipv4') return a.address;
  const groups = ipv6Groups(a.address)!;
  return `${compressIPv6([...groups.slice(0, 4), 0, 0, 0, 0])}/64`;
}
