import { Injectable, Logger } from '@nestjs/common';
import { BackgroundTasks } from '../../common/background-tasks';
import { isWellFormedToken, newSeededToken, sameHash, tokenHash } from '../../common/confirmation-token';
import type { Locale } from '../../common/locale';
import { AppSettings, appSecret, PrivacySettings } from '../../config/environment';
import { BlindIndex } from '../../infra/crypto/blind-index';
import { AbuseService } from '../abuse/abuse.service';
import { MailOutboxService } from '../mail/mail-outbox.service';
import { AuditService } from '../audit/audit.service';
import { Principal } from '../../common/principal';
import { SignaturesService } from '../signatures/signatures.service';
import { UpdatesService } from '../updates/updates.service';
import type { ErasureLink } from './dto/erasure-link.dto';
import type { AdminErasureResponseDto, ErasureResponseDto } from './dto/privacy-response.dto';
import type { PrivacyRequestKind } from './dto/privacy-request-kind.dto';
import { PrivacyErrors } from './privacy.errors';
import { ErasureRequest, PrivacyRepository } from './privacy.repository';

const HOUR_MS = 3_600_000;

/** A supporter's request as a route takes it: the address they signed with and, maybe, a language. */
export interface PrivacyRequestInput {
  email: string;
  locale?: Locale;
}

/**
 * Erasure and access on request (issue 11). Whoever asks gets the same answer, at the same point:
 * after one statement that records the request and its email only when the address has signed
 * something, so neither the answer nor its timing tells whether it did. The email goes to the
 * address the supporter signed with: an erasure link (a page with one button; its POST anonymises
 * every signature of the address on every campaign, the counts unchanged, and its update opt-outs),
 * or the list of what Nida
 * holds about them, written when it is sent.
 *
 * A flood is stopped twice: PRIVACY_LIMIT_IP_HOUR requests per client address (Redis, through the
 * abuse module), and PRIVACY_LIMIT_EMAIL_DAY emails of each kind per address a day (counted in the
 * request's own statement, so it holds when Redis is away). Over either, the answer is the same 202.
 */
@Injectable()
export class PrivacyService {
  private readonly logger = new Logger(PrivacyService.name);

  constructor(
    private readonly requests: PrivacyRepository,
    private readonly signatures: SignaturesService,
    private readonly mail: MailOutboxService,
    private readonly abuse: AbuseService,
    private readonly blindIndex: BlindIndex,
    private readonly settings: PrivacySettings,
    private readonly app: AppSettings,
    private readonly afterResponse: BackgroundTasks,
    private readonly audit: AuditService,
    private readonly updates: UpdatesService,
  ) {}

  /**
   * Records an erasure or access request; the caller answers 202 whatever happened. The same work
   * for every address: the limit's one Redis call, a blind index, for an erasure a fresh token, and
   * one statement; the enqueue runs after the answer (the outbox relay covers a lost one).
   */
  async request(kind: PrivacyRequestKind, input: PrivacyRequestInput, ip: string | null): Promise<void> {
    const over = await this.abuse.overRequestLimit({ name: 'privacy-request', ip, points: this.settings.PRIVACY_LIMIT_IP_HOUR, seconds: 3600 });
    if (over) return;
    const ttlMs = this.settings.PRIVACY_LINK_TTL_HOURS * HOUR_MS;
    const token = kind === 'erasure' ? newSeededToken(appSecret(this.app), ttlMs) : null;
    const outboxId = await this.requests.insertIfSigned({
      kind,
      emailHash: this.blindIndex.email(input.email),
      locale: input.locale ?? null,
      token,
      expiresAt: token?.expiresAt ?? new Date(Date.now() + ttlMs),
      dailyCap: this.settings.PRIVACY_LIMIT_EMAIL_DAY,
    });
    if (outboxId) this.afterResponse.run(() => this.mail.enqueue([outboxId]));
  }

  /** What an erasure link's page shows before its button is pressed; never changes anything. */
  async preview(token: unknown): Promise<ErasureLink> {
    const found = await this.lookup(token);
    return { state: found.usedAt ? 'erased' : 'pending', locale: found.locale };
  }

  /**
   * The erasure behind a link: every signature of its address, on every campaign, anonymised (the
   * counts and their breakdowns unchanged; tokens, unsent mail and unsent letters gone), the
   * address's other requests deleted, the link marked used — in one transaction. Idempotent: the
   * same link again answers the same 200 and does nothing more. An expired link is 410.
   */
  async erase(token: unknown): Promise<ErasureResponseDto & { locale: Locale }> {
    const found = await this.lookup(token);
    if (!found.usedAt) {
      await this.requests.transaction(async (m) => {
        const request = await this.requests.lockErasure(m, found.id);
        if (!request || request.usedAt) return;
        await this.requests.markUsed(m, request.id);
        let signatures = 0;
        if (request.emailHash) {
          const done = await this.signatures.anonymiseByEmailHash(m, request.emailHash);
          // Its update opt-outs: keyed by the address's blind index, they are data about it too.
          await this.updates.eraseOptOuts(m, request.emailHash);
          // Its other requests (this one no longer has the index: it stays, for the same link's second press).
          await this.requests.deleteForEmailHash(m, request.emailHash);
          signatures = done.signatures;
          this.logger.log({ requestId: request.id, signatures }, 'Supporter erased on request');
        }
        // Admins' log only (no organisation), and no address hash: nothing that could lead back to the supporter.
        await this.audit.record({ actor: 'supporter', action: 'privacy.erasure', organisationId: null, subjectId: request.id, details: { signatures } }, m);
      });
    }
    return { status: 'erased', locale: found.locale };
  }

  /**
   * An admin's erasure of an address, at once: every signature of it anonymised, as a supporter's
   * link would, and its pending requests deleted. Returns how many signatures were anonymised.
   */
  async adminErase(admin: Principal, email: string, ip: string | null): Promise<AdminErasureResponseDto> {
    const emailHash = this.blindIndex.email(email);
    const erased = await this.requests.transaction(async (m) => {
      const done = await this.signatures.anonymiseByEmailHash(m, emailHash);
      await this.updates.eraseOptOuts(m, emailHash);
      await this.requests.deleteForEmailHash(m, emailHash);
      await this.audit.record({ actor: admin, action: 'privacy.admin_erasure', organisationId: null, details: { signatures: done.signatures }, ip }, m);
      return done.signatures;
    });
    this.logger.log({ adminId: admin.id, signatures: erased }, 'Supporter erased by an admin');
    return { erased };
  }

  /** Deletes requests a day past their expiry. Returns how many. */
  purgeExpired(): Promise<number> {
    return this.requests.purgeExpired();
  }

  /** The request behind a link: 404 when unknown or malformed, 410 when expired and not used. */
  private async lookup(token: unknown): Promise<ErasureRequest> {
    if (!isWellFormedToken(token)) throw PrivacyErrors.linkInvalid();
    const hash = tokenHash(token);
    const found = await this.requests.findErasure(hash);
    if (!found || !sameHash(found.tokenHash, hash)) throw PrivacyErrors.linkInvalid();
    if (!found.usedAt && found.expiresAt.getTime() <= Date.now()) throw PrivacyErrors.linkExpired();
    return found;
  }
}
