import { Injectable, Logger } from '@nestjs/common';
import { keyDomain } from '../../common/email-key';
import { safeError } from '../../common/safe-error';
import { AbuseSettings } from '../../config/environment';
import { AbuseErrors } from './abuse.errors';
import { BlocksService } from './blocks.service';
import { DisposableDomains } from './disposable-domains';
import type { RequestLimit } from './dto/request-limit.dto';
import type { SignSource, SignVerdict } from './dto/sign-verdict.dto';
import { limitSubject, plainAddress } from './ip-address';
import { isLargeProvider } from './large-providers';
import { SignLimitsService } from './sign-limits.service';

/** At most one "limits off because Redis is away" warning this often. */
const WARN_EVERY_MS = 10_000;

/**
 * The decision on a signature, made before it is written, from memory and one Redis round trip
 * (no query): the block and allow lists (BlocksService), the disposable-address check, and the
 * rate limits (SignLimitsService). Signatures call it; it calls no other module.
 */
@Injectable()
export class AbuseService {
  private readonly logger = new Logger(AbuseService.name);
  private warnedAt = 0;

  constructor(
    private readonly blocks: BlocksService,
    private readonly limits: SignLimitsService,
    private readonly settings: AbuseSettings,
    private readonly disposable: DisposableDomains,
  ) {}

  /**
   * In this order: a blocked address, range, domain or email → `block`; an address at a disposable
   * service → throws 400 EMAIL_DISPOSABLE (unless SIGN_DISPOSABLE_CHECK=off, or the email or its
   * domain is on the allow list); an allowed source → `allow` (no limit counted); SIGN_LIMITS=off
   * → `pass`; otherwise the signature is counted against the limits: over one → `hold` with its
   * reason, else `pass`. If Redis does not answer, `pass` with a warning: refusing every
   * signer because Redis restarted would be worse than a few minutes without limits.
   */
  async judge(source: SignSource): Promise<SignVerdict> {
    const address = plainAddress(source.ip);
    const domain = keyDomain(source.emailKey);
    const listed = this.blocks.lists().judge({ address, emailKey: source.emailKey, domain });
    if (listed === 'block') return { action: 'block' };
    if (listed !== 'allow-email' && this.settings.SIGN_DISPOSABLE_CHECK === 'on' && this.disposable.has(domain)) {
      throw AbuseErrors.emailDisposable();
    }
    if (listed !== null) return { action: 'allow' };
    if (this.settings.SIGN_LIMITS === 'off') return { action: 'pass' };
    try {
      const reason = await this.limits.consume({
        client: address ? limitSubject(address) : null,
        domain: isLargeProvider(domain) ? null : domain,
        emailKey: source.emailKey,
      });
      return reason ? { action: 'hold', reason } : { action: 'pass' };
    } catch (error) {
      this.redisAway(error);
      return { action: 'pass' };
    }
  }

  /**
   * Counts one request of another route than signing (erasure and access requests) against its
   * per-client limit, `points` per `seconds`, in Redis like the signing limits (an IPv6 address
   * counts as its /64). True when this request is over it: the caller answers as usual and does
   * nothing. A request without a client address, or while Redis does not answer, is not limited
   * (the caller keeps its own cap in the database).
   */
  async overRequestLimit(limit: RequestLimit): Promise<boolean> {
    const address = plainAddress(limit.ip);
    if (!address) return false;
    try {
      return await this.limits.consumeRequest(limit.name, limitSubject(address), limit.points, limit.seconds);
    } catch (error) {
      this.redisAway(error);
      return false;
    }
  }

  private redisAway(error: unknown): void {
    const now = Date.now();
    if (now - this.warnedAt < WARN_EVERY_MS) return;
    this.warnedAt = now;
    this.logger.warn({ err: safeError(error) }, 'rate limits unavailable (Redis did not answer): requests go on without them');
  }
}
