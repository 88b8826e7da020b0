import { Injectable } from '@nestjs/common';
import { disposableEmailBlocklistSet } from 'disposable-email-domains-js';

/**
 * Domains of disposable-address services, from disposable-email-domains-js (the community-kept
 * disposable-email-domains list, updated with each release). Read once: the package's own
 * `isDisposableEmailDomain` builds a new Set of ~9,000 names on every call.
 */
@Injectable()
export class DisposableDomains {
  private readonly domains: ReadonlySet<string> = disposableEmailBlocklistSet();

  /** Whether the domain (lower case), or a domain it belongs to, is a disposable-address service. */
  has(domain: string): boolean {
    for (let d = domain; d.includes('.'); d = d.slice(d.indexOf('.') + 1)) {
      if (this.domains.has(d)) return true;
    }
    return false;
  }
}
