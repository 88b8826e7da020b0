import { BlockList } from 'node:net';
import type { BlockAction, BlockType } from './block.entity';
import type { PlainAddress } from './ip-address';

export interface ListEntry {
  type: BlockType;
  value: string;
  action: BlockAction;
}

/** Who is signing, as the lists read it. */
export interface ListSubject {
  address: PlainAddress | null;
  /** Signing's email key (common/email-key.ts). */
  emailKey: string;
  /** The key's domain. */
  domain: string;
}

/**
 * What the lists say of a signer: `block`; `allow-email` (the email or its domain is allowed: no
 * limits, no disposable check); `allow-ip` (the address is allowed: no limits); or nothing.
 * A block wins over an allow (a coalition's office may be allowed while one abuser there is blocked).
 */
export type ListVerdict = 'block' | 'allow-email' | 'allow-ip' | null;

class Side {
  readonly addresses = new BlockList();
  readonly domains = new Set<string>();
  readonly emails = new Set<string>();
  size = 0;

  add(e: ListEntry): void {
    this.size++;
    if (e.type === 'email') this.emails.add(e.value);
    else if (e.type === 'domain') this.domains.add(e.value);
    else if (e.type === 'ip') this.addresses.addAddress(e.value, e.value.includes(':') ? 'ipv6' : 'ipv4');
    else {
      const [network, prefix] = e.value.split('/');
      this.addresses.addSubnet(network, Number(prefix), network.includes(':') ? 'ipv6' : 'ipv4');
    }
  }

  hasAddress(a: PlainAddress | null): boolean {
    return a !== null && this.addresses.check(a.address, a.family);
  }

  /** The domain or one of its parents (a listed example.org covers mail.example.org). */
  hasDomain(domain: string): boolean {
    if (this.domains.size === 0) return false;
    for (let d = domain; d.includes('.'); d = d.slice(d.indexOf('.') + 1)) {
      if (this.domains.has(d)) return true;
    }
    return false;
  }
}

/** The block and allow lists of one moment, in memory: a signature is judged against them without a query. */
export class BlockLists {
  private readonly block = new Side();
  private readonly allow = new Side();

  constructor(entries: readonly ListEntry[] = []) {
    for (const e of entries) (e.action === 'allow' ? this.allow : this.block).add(e);
  }

  get size(): number {
    return this.block.size + this.allow.size;
  }

  judge(s: ListSubject): ListVerdict {
    const b = this.block;
    if (b.size > 0 && (b.emails.has(s.emailKey) || b.hasDomain(s.domain) || b.hasAddress(s.address))) return 'block';
    const a = this.allow;
    if (a.size === 0) return null;
    if (a.emails.has(s.emailKey) || a.hasDomain(s.domain)) return 'allow-email';
    return a.hasAddress(s.address) ? 'allow-ip' : null;
  }
}
