import { addressHash } from '../../common/keyed-hash';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AppError, CommonErrors, ErrorDetail } from '../../common/app-error';
import { BackgroundTasks } from '../../common/background-tasks';
import { appSecret, Environment } from '../../config/environment';
import { Principal } from '../../common/principal';
import type { CampaignState } from '../campaigns/dto/campaign-state.dto';
import { CampaignErrors } from '../campaigns/campaigns.errors';
import { CampaignsService } from '../campaigns/campaigns.service';
import { AbuseService } from '../abuse/abuse.service';
import { LetterDeliveriesService } from '../letter-deliveries/letter-deliveries.service';
import { MailOutboxService } from '../mail/mail-outbox.service';
import { TallyService } from '../tally/tally.service';
import { isWellFormedToken, sameHash, tokenHash } from '../../common/confirmation-token';
import { consentOf, CreateSignatureDto, nameProblem, textProblem } from './dto/create-signature.dto';
import { CampaignStatsResponseDto, SignatureConfirmedResponseDto } from './dto/signature-response.dto';
import type { AnonymisedSignatures } from './dto/anonymised-signatures.dto';
import type { RetentionBatch } from './dto/retention-batch.dto';
import type { SignOptions } from './dto/sign-options.dto';
import type { TokenLookup } from './dto/token-lookup.dto';
import { emailKey } from '../../common/email-key';
import { BlindIndex } from '../../infra/crypto/blind-index';
import { MetricsService } from '../../infra/metrics/metrics.service';
import { newConfirmationToken } from './new-token';
import { SignatureErrors } from './signatures.errors';
import { NewSignature, NewToken, SignaturesRepository } from './signatures.repository';

const HOUR_MS = 3_600_000;

@Injectable()
export class SignaturesService {
  constructor(
    private readonly signatures: SignaturesRepository,
    private readonly campaigns: CampaignsService,
    private readonly mail: MailOutboxService,
    private readonly tally: TallyService,
    private readonly letters: LetterDeliveriesService,
    private readonly abuse: AbuseService,
    private readonly env: Environment,
    private readonly afterResponse: BackgroundTasks,
    private readonly blindIndex: BlindIndex,
    private readonly metrics: MetricsService,
  ) {}

  /**
   * Records a signature and the email it causes. The caller answers the same whatever happened:
   * new, duplicate, already verified, held or blocked, and — so that timing tells nothing either —
   * at the same point: right after one statement that inserts a new signer or finds a duplicate.
   * What follows (enqueueing the email; for a duplicate, the transaction that queues its email)
   * runs after the answer. A pending duplicate gets a fresh confirmation; a verified one a short
   * "already signed" note; both count towards SIGNATURE_MAX_EMAILS, after which the signer hears
   * nothing more.
   *
   * Before that, AbuseService judges the source (its lists in memory, its limits in Redis): a
   * blocked one is stored and mailed nothing; one over a limit — or a page form that failed its
   * bot checks (`options.formHold`) — is stored as `held` with its reason, without token, outbox
   * row or email, and is not counted (a held duplicate inserts nothing and is mailed nothing). An
   * address at a disposable email service is refused with 400 EMAIL_DISPOSABLE.
   */
  async sign(slug: string, dto: CreateSignatureDto, ip: string | null, options: SignOptions = {}): Promise<void> {
    this.checkText(dto);
    const key = emailKey(dto.email);
    const verdict = await this.abuse.judge({ ip, emailKey: key });
    if (verdict.action === 'block') {
      await this.assertTakesSignatures(slug);
      return this.metrics.signature('blocked');
    }
    const emailHash = this.blindIndex.ofKey(key);
    const signer: NewSignature = {
      email: dto.email,
      emailHash,
      name: dto.name,
      country: dto.country,
      city: dto.city || null,
      comment: dto.comment || null,
      showName: dto.showName ?? false,
      contactOrganisations: consentOf(dto.contactConsent),
      replyConsent: dto.replyConsent ?? false,
      locale: dto.locale ?? null,
      ipHash: ip === null ? null : this.ipHash(ip),
    };
    const heldFor = options.formHold ?? (verdict.action === 'hold' ? verdict.reason : null);
    if (heldFor) {
      const held = await this.signatures.insertHeld(slug, signer, heldFor);
      if (!held.open) await this.refuse(slug);
      if (!held.consentOk) throw SignatureErrors.consentOrganisationUnknown();
      return this.metrics.signature('held');
    }
    const result = await this.signatures.insertNew(slug, signer, this.newToken());
    if (!result.open) await this.refuse(slug);
    else if (!result.consentOk) throw SignatureErrors.consentOrganisationUnknown();
    else {
      const { campaignId, outboxId } = result;
      this.metrics.signature(outboxId ? 'pending' : 'duplicate');
      this.afterResponse.run(outboxId ? () => this.mail.enqueue([outboxId]) : () => this.emailDuplicate(campaignId, emailHash));
    }
  }

  /** Why the campaign refuses a signature (the statement found it not taking any); this tells nothing about any signer. */
  private async refuse(slug: string): Promise<never> {
    const campaign = await this.campaigns.stateBySlug(slug);
    if (!campaign || campaign.status === 'draft' || campaign.status === 'in_review') throw CampaignErrors.notFound();
    throw CampaignErrors.closed();
  }

  /** For a blocked signer, which nothing is written for: the answer any signer would get (202, or 404/409 for a campaign that takes no signatures). */
  private async assertTakesSignatures(slug: string): Promise<void> {
    const campaign = await this.campaigns.stateBySlug(slug);
    const open = campaign?.status === 'live' && (campaign.endsAt === null || campaign.endsAt.getTime() > Date.now());
    if (!open) await this.refuse(slug);
  }

  /**
   * "I didn't get the email" (`POST …/resend-confirmation`, the `/c/:slug/resend` page): the caller
   * answers the same 202 whatever the address — unknown, pending, confirmed, held — and at the same
   * point: after the campaign's state (which says nothing about any signer), the abuse module's
   * judgement (one Redis round trip, counted against the signing limits like a signature) and a
   * blind index. The rest runs after the answer, on the duplicate signer's path (emailDuplicate):
   * a pending signature gets a fresh confirmation link, a confirmed one the "already signed" note
   * (whoever owns the address learns it from their inbox, never from the answer); both count
   * towards SIGNATURE_MAX_EMAILS, after which nothing more is sent. A blocked or held source, a
   * page form that failed its bot checks and a disposable address are answered alike and sent
   * nothing. 404 for an unknown or draft campaign; 409 CAMPAIGN_CLOSED once it no longer takes
   * confirmations (CONFIRM_GRACE_HOURS after it closed).
   */
  async resendConfirmation(slug: string, email: string, ip: string | null, options: SignOptions = {}): Promise<void> {
    const campaign = await this.campaigns.stateBySlug(slug);
    if (!campaign || campaign.status === 'draft') throw CampaignErrors.notFound();
    const closedAt = this.closedAt(campaign);
    if (closedAt && Date.now() > closedAt.getTime() + this.env.CONFIRM_GRACE_HOURS * HOUR_MS) throw CampaignErrors.closed();
    const key = emailKey(email);
    let verdict: Awaited<ReturnType<AbuseService['judge']>>;
    try {
      verdict = await this.abuse.judge({ ip, emailKey: key });
    } catch (error) {
      // A disposable address: no signature can have it; answered like any other.
      if (error instanceof AppError && error.code === 'EMAIL_DISPOSABLE') return;
      throw error;
    }
    if (verdict.action === 'block' || verdict.action === 'hold' || options.formHold) return;
    const emailHash = this.blindIndex.ofKey(key);
    this.afterResponse.run(() => this.emailDuplicate(campaign.id, emailHash));
  }

  /** A duplicate's email, queued in its own transaction (a lost one is a courtesy email, not a signature). */
  private async emailDuplicate(campaignId: string, emailHash: string): Promise<void> {
    const outboxIds = await this.signatures.transaction(async (m) => {
      const existing = await this.signatures.countEmailForExisting(m, campaignId, emailHash, this.env.SIGNATURE_MAX_EMAILS);
      if (!existing) return [];
      if (existing.status === 'verified') {
        return [await this.mail.add(m, { kind: 'signature.already-signed', signatureId: existing.id })];
      }
      const token = this.newToken();
      await this.signatures.insertToken(m, existing.id, token.hash, token.expiresAt);
      return [await this.mail.add(m, { kind: 'signature.confirmation', signatureId: existing.id, tokenSeed: token.seed })];
    });
    await this.mail.enqueue(outboxIds);
  }

  /** A fresh confirmation token: its seed (for the email) and its hash (for the database). */
  private newToken(): NewToken {
    return newConfirmationToken(this.env);
  }

  /** Confirms the signature behind a token. Idempotent: the same token again gives the same answer. */
  async confirm(token: unknown): Promise<SignatureConfirmedResponseDto> {
    return this.confirmFound(await this.lookup(token));
  }

  /**
   * Confirms a signature already looked up by its token (see preview), without a second lookup.
   * A signature organisers invalidated (or removed while the link was open) is not confirmed and
   * its link answers as any dead link does (404 TOKEN_INVALID), never "verified".
   */
  async confirmFound(found: TokenLookup): Promise<SignatureConfirmedResponseDto> {
    if (found.signatureStatus === 'invalidated') throw SignatureErrors.tokenInvalid();
    if (found.signatureStatus !== 'verified') {
      const closedAt = this.closedAt(found.campaign);
      if (closedAt && Date.now() > closedAt.getTime() + this.env.CONFIRM_GRACE_HOURS * HOUR_MS) {
        throw CampaignErrors.closed();
      }
      const confirmedNow = await this.signatures.transaction(async (m) => {
        const verified = await this.signatures.verify(m, found.signatureId);
        if (verified) {
          await this.tally.recordVerified(m, verified.campaignId, verified.country);
          await this.letters.createForSignature(m, verified.campaignId, found.signatureId);
        } else if ((await this.signatures.statusOf(m, found.signatureId)) !== 'verified') {
          // Invalidated or deleted since the lookup (an invalidation won the race).
          throw SignatureErrors.tokenInvalid();
        }
        return verified !== null;
      });
      if (confirmedNow) this.metrics.confirmation();
    }
    const { campaign } = found;
    return { status: 'verified', campaign: { slug: campaign.slug, title: campaign.title, locale: campaign.locale } };
  }

  /**
   * THE way to anonymise signatures (retention after a campaign closed, an erasure), in the
   * caller's transaction: locks them in id order, empties every field that identifies the
   * supporter (see SignaturesRepository.anonymise; status, country and days stay, so counts and
   * breakdowns never move), deletes their confirmation tokens and unsent emails, and cancels
   * their letters that have not left (a letter is written from the signature when it is sent).
   */
  async anonymise(m: EntityManager, ids: string[]): Promise<AnonymisedSignatures> {
    const unique = [...new Set(ids)];
    if (!unique.length) return { signatures: 0, lettersCancelled: 0, emailsDeleted: 0 };
    const locked = await this.signatures.lockByIds(m, unique);
    if (!locked.length) return { signatures: 0, lettersCancelled: 0, emailsDeleted: 0 };
    const signatures = await this.signatures.anonymise(m, locked);
    const emailsDeleted = await this.mail.deleteUnsentForSignatures(m, locked);
    const lettersCancelled = await this.letters.cancelForSignatures(m, locked, "Cancelled: the supporter's data was anonymised.");
    return { signatures, lettersCancelled, emailsDeleted };
  }

  // ── retention (the retention module runs these; PrivacySettings) ───────────

  /** How many never-confirmed signatures (pending, held) are past PENDING_RETENTION_DAYS = `days` (a dry run). */
  countStaleUnconfirmed(days: number): Promise<number> {
    return this.signatures.countStaleUnconfirmed(days);
  }

  /**
   * One batch, in its own transaction: deletes up to `limit` never-confirmed signatures (after id
   * `after`) whose last confirmation link expired — or, without one, that were made — more than
   * `days` ago, with their tokens and emails. They were never counted.
   */
  deleteStaleUnconfirmed(days: number, after: string | null, limit: number): Promise<RetentionBatch> {
    return this.signatures.deleteStaleUnconfirmed(days, after, limit);
  }

  /** How many signatures of these campaigns are not anonymised yet (a dry run). */
  countToAnonymise(campaignIds: string[]): Promise<number> {
    if (!campaignIds.length) return Promise.resolve(0);
    return this.signatures.countNotAnonymised(campaignIds);
  }

  /**
   * One batch, in its own transaction: anonymises up to `limit` of the campaign's signatures (after
   * id `after`), all statuses, while the campaign is still due (closed or won more than `afterDays`
   * ago, held so by CampaignsService until commit). Null when it no longer is (reopened).
   */
  async anonymiseCampaignBatch(campaignId: string, afterDays: number, after: string | null, limit: number): Promise<RetentionBatch | null> {
    return this.signatures.transaction(async (m) => {
      if (!(await this.campaigns.lockIfDueForAnonymisation(m, campaignId, afterDays))) return null;
      const ids = await this.signatures.notAnonymised(m, campaignId, after, limit);
      const done = await this.anonymise(m, ids);
      return { seen: ids.length, last: ids.length ? ids[ids.length - 1] : null, changed: done.signatures, lettersCancelled: done.lettersCancelled };
    });
  }

  /**
   * Erasure (a supporter's request, an admin's): anonymises, in the caller's transaction, every
   * signature of this email's blind index on every campaign (see anonymise: the counts stay).
   * Afterwards the address may sign again, as a new supporter.
   */
  async anonymiseByEmailHash(m: EntityManager, emailHash: string): Promise<AnonymisedSignatures> {
    return this.anonymise(m, await this.signatures.idsByEmailHash(m, emailHash));
  }

  /**
   * The latest supporters who ticked "show my name", as the public sees them: first name and city.
   * Nothing else of a signer ever leaves through this.
   */
  async recentPublic(campaignId: string, limit = 10): Promise<{ firstName: string; city: string | null }[]> {
    const rows = await this.signatures.recentPublic(campaignId, limit);
    return rows.map((r) => ({ firstName: r.name.trim().split(/\s+/u)[0], city: r.city }));
  }

  /**
   * Every verified supporter who chose to be shown (their name and city), oldest first, in pages of
   * `pageSize` read by keyset: for a target's dossier, which the campaign's organisers asked for.
   */
  async *publicSigners(campaignId: string, pageSize = 1000): AsyncGenerator<{ name: string; city: string | null }[]> {
    let after: { verifiedAt: string; id: string } | null = null;
    for (;;) {
      const rows = await this.signatures.publicSignersAfter(campaignId, after, pageSize);
      if (rows.length) yield rows.map((r) => ({ name: r.name, city: r.city }));
      if (rows.length < pageSize) return;
      const last = rows[rows.length - 1];
      after = { verifiedAt: last.verifiedAt, id: last.id };
    }
  }

  /** What a confirmation page shows before the button is pressed; never changes anything. */
  async preview(token: unknown): Promise<TokenLookup> {
    return this.lookup(token);
  }

  private async lookup(token: unknown): Promise<TokenLookup> {
    if (!isWellFormedToken(token)) throw SignatureErrors.tokenInvalid();
    const hash = tokenHash(token);
    const found = await this.signatures.findByTokenHash(hash);
    if (!found || !sameHash(found.tokenHash, hash) || found.expiresAt.getTime() <= Date.now()) {
      throw SignatureErrors.tokenInvalid();
    }
    return found;
  }

  /**
   * For the organisers' dashboard, campaigns the caller already owns: verified signatures per day
   * (in each campaign's zone) since `since`, and held signatures per campaign.
   */
  async dashboardCounts(campaigns: { id: string; timeZone: string }[], since: Date) {
    const [byDay, held] = await Promise.all([
      this.signatures.verifiedByZonedDay(campaigns, since),
      this.signatures.heldByCampaign(campaigns.map((c) => c.id)),
    ]);
    return { byDay, held };
  }

  /**
   * For a campaign the caller already owns (the console's stats page): its verified signatures per
   * calendar day in `timeZone` since `since`, oldest first — the dashboard's query, for one campaign.
   */
  async verifiedPerDay(campaignId: string, timeZone: string, since: Date): Promise<{ day: string; verified: number }[]> {
    const rows = await this.signatures.verifiedByZonedDay([{ id: campaignId, timeZone }], since);
    return rows.map((r) => ({ day: r.day, verified: r.verified })).sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
  }

  async stats(principal: Principal, campaignId: string): Promise<CampaignStatsResponseDto> {
    const campaign = await this.campaigns.owned(principal, campaignId, 'view');
    const [tally, counts, letters] = await Promise.all([
      this.tally.campaignTally(campaign.id),
      this.signatures.countUncounted(campaign.id),
      this.letters.totalsByTarget(campaign.id),
    ]);
    const { verified, byCountry, byDay, milestones } = tally;
    const { pending, held, invalidated } = counts;
    return { verified, pending, held, invalidated, byCountry, byDay, milestones, letters };
  }

  /** When the campaign stopped taking signatures, if it has. */
  private closedAt(c: Pick<CampaignState, 'status' | 'endsAt' | 'closedAt'>): Date | null {
    if (c.status === 'closed' || c.status === 'won') return c.closedAt ?? c.endsAt ?? new Date(0);
    if (c.endsAt && c.endsAt.getTime() <= Date.now()) return c.endsAt;
    return null;
  }

  private checkText(dto: CreateSignatureDto): void {
    const problems: ErrorDetail[] = [];
    const name = nameProblem(dto.name);
    if (name) problems.push({ field: 'name', problems: [name] });
    const city = dto.city ? textProblem('city', dto.city, false) : null;
    if (city) problems.push({ field: 'city', problems: [city] });
    const comment = dto.comment ? textProblem('comment', dto.comment, true) : null;
    if (comment) problems.push({ field: 'comment', problems: [comment] });
    if (problems.length) throw CommonErrors.validation(problems);
  }

  /** A keyed hash of the client address, for abuse checks; the address itself is never stored. */
  private ipHash(ip: string): string {
    return addressHash(appSecret(this.env), ip);
  }
}
