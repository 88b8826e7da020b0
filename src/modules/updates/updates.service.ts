import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CommonErrors } from '../../common/app-error';
import type { Locale } from '../../common/locale';
import { Principal } from '../../common/principal';
import { UpdateSettings } from '../../config/environment';
import { CampaignErrors } from '../campaigns/campaigns.errors';
import { AuditService } from '../audit/audit.service';
import { CampaignsService } from '../campaigns/campaigns.service';
import type { CaseStatus } from '../campaigns/dto/case-status.dto';
import { CaseUpdate, type SendState, type UpdateTranslations } from './case-update.entity';
import { caseStatusLabel } from './case-status-labels';
import type { CreateUpdateDto } from './dto/create-update.dto';
import { PublicUpdateDto, UpdateListResponseDto, UpdateResponseDto } from './dto/update-response.dto';
import { UpdateSendService } from './update-send.service';
import { UpdateErrors } from './updates.errors';
import { DeliveryCounts, UpdatesRepository } from './updates.repository';

const WEEK_DAYS = 7;

/** The audit code of a send moved to a state. */
const MOVE_AUDIT = { paused: 'updates.pause', sending: 'updates.resume', cancelled: 'updates.cancel', done: 'updates.cancel' } as const;

/** An automatic notice's title and body in both languages; `text` (an outcome, a reply) is quoted as the organiser wrote it. */
function noticeTexts(source: 'won' | 'reply', text: string | null, target: string | null): Record<Locale, { title: string; body: string }> {
  const quoted = text?.trim() ? `\n\n${text.trim()}` : '';
  if (source === 'won') {
    return {
      en: { title: 'We won', body: `This campaign was won. Thank you to everyone who signed.${quoted}` },
      ar: { title: 'انتصرنا', body: `كُسبت هذه الحملة. شكراً لكل من وقّع.${quoted}` },
    };
  }
  const who = (target ?? '').slice(0, 150);
  return {
    en: { title: `${who} replied`, body: `An official we wrote to replied.${quoted}` },
    ar: { title: `ردّ ${who}`, body: `ردّ أحد المسؤولين الذين كتبنا إليهم.${quoted}` },
  };
}
/** The newest updates a public campaign shows (its page and API). */
const PUBLIC_UPDATES = 50;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Case updates: organisers post them (optionally emailed: the weekly cap, the batch send), anyone
 * reads them on the campaign. Authorisation is the campaign's (CampaignsService.owned): another
 * organisation's organiser gets its 403, an unknown campaign its 404.
 */
@Injectable()
export class UpdatesService {
  private readonly logger = new Logger(UpdatesService.name);

  constructor(
    private readonly updates: UpdatesRepository,
    private readonly campaigns: CampaignsService,
    private readonly sender: UpdateSendService,
    private readonly settings: UpdateSettings,
    private readonly audit: AuditService,
  ) {}

  /**
   * Posts an update: 201 with it. With `notify`, refused with 429 UPDATE_EMAIL_CAP_REACHED (and
   * when the next is allowed) once the campaign emailed UPDATE_EMAILS_PER_WEEK in the last 7 days;
   * else its fan-out starts after commit. A case status given is set on the campaign in the same
   * transaction (urgent actions only). With a `requestKey` (the console form's, the API's
   * Idempotency-Key), a post whose key an earlier post of this campaign carried returns that
   * update and changes nothing: a double click or a retried request never emails twice.
   */
  async post(principal: Principal, campaignId: string, dto: CreateUpdateDto, ip: string | null = null, requestKey: string | null = null): Promise<UpdateResponseDto> {
    // The lead and editor partners post; the update is sent by (and to the supporters who agreed to hear from) the poster's organisation.
    const { campaign, organisationId } = await this.campaigns.access(principal, campaignId, 'edit');
    const problems = [];
    if (dto.caseStatus) {
      const problem = this.campaigns.caseStatusProblem(campaign);
      if (problem) problems.push({ field: 'caseStatus', problems: [problem] });
    }
    const translations: UpdateTranslations = {};
    for (const [locale, text] of Object.entries(dto.translations ?? {}) as [Locale, { title: string; body: string } | undefined][]) {
      if (!text) continue;
      if (locale === campaign.locale) {
        problems.push({ field: `translations.${locale}`, problems: ['the update’s own language is the campaign’s: put that text in title and body'] });
      } else {
        translations[locale] = { title: text.title, body: text.body };
      }
    }
    if (problems.length) throw CommonErrors.validation(problems);
    if (dto.notify && (campaign.status === 'draft' || campaign.status === 'in_review')) throw UpdateErrors.campaignNotPublished();

    let repeated = false;
    const saved = await this.updates.transaction(async (m) => {
      if (requestKey) {
        const earlier = await this.updates.byRequestKey(m, campaign.id, requestKey);
        if (earlier) {
          repeated = true;
          return earlier;
        }
      }
      if (dto.notify) {
        await this.updates.lockCampaign(m, campaign.id);
        const next = this.nextAllowed(await this.updates.notifiedSince(m, campaign.id, WEEK_DAYS));
        if (next) throw UpdateErrors.capReached(this.settings.UPDATE_EMAILS_PER_WEEK, next);
      }
      if (dto.caseStatus && !(await this.campaigns.setCaseStatus(m, campaign.id, dto.caseStatus))) throw CampaignErrors.notFound();
      const inserted = await this.updates.insert(m, {
        campaignId: campaign.id,
        locale: campaign.locale,
        title: dto.title,
        body: dto.body,
        translations,
        caseStatus: dto.caseStatus ?? null,
        notify: dto.notify,
        createdBy: principal.id,
        organisationId: organisationId === campaign.organisationId ? null : organisationId,
        requestKey,
      });
      await this.audit.record(
        { actor: principal, action: 'updates.post', campaignId: campaign.id, subjectId: inserted.id, details: { notify: dto.notify, caseStatus: dto.caseStatus ?? null }, ip },
        m,
      );
      return inserted;
    });
    // A repeat (same request key: a double click, a retried request) answers the first post's update, posting and emailing nothing.
    if (saved.notify && !repeated) await this.sender.startFanOut(saved.id);
    return this.response(saved, saved.notify ? await this.updates.counts(saved.id) : null);
  }

  /** When the next notified update is allowed, given the times of those in the last 7 days; null: now. */
  private nextAllowed(recent: Date[]): Date | null {
    const cap = this.settings.UPDATE_EMAILS_PER_WEEK;
    if (recent.length < cap) return null;
    // The oldest of the last `cap` leaves the window first.
    return new Date(recent[recent.length - cap].getTime() + WEEK_DAYS * DAY_MS);
  }

  async list(principal: Principal, campaignId: string): Promise<UpdateListResponseDto> {
    const campaign = await this.campaigns.owned(principal, campaignId, 'view');
    const rows = await this.updates.listForCampaign(campaign.id);
    const next = this.nextAllowed(await this.updates.notifiedSince(null, campaign.id, WEEK_DAYS));
    return {
      items: rows.map((r) => this.response(r, null)),
      emailsPerWeek: this.settings.UPDATE_EMAILS_PER_WEEK,
      nextNotifyAllowedAt: next ? next.toISOString() : null,
    };
  }

  /** One update with its emails so far: {recipients, sent, failed, pending, …}. */
  async get(principal: Principal, campaignId: string, updateId: string): Promise<UpdateResponseDto> {
    const update = await this.owned(principal, campaignId, updateId, 'view');
    return this.response(update, update.notify ? await this.updates.counts(update.id) : null);
  }

  /** Pauses a send in progress: queued emails wait (a message being sent finishes). Audited (`updates.pause`). */
  pause(principal: Principal, campaignId: string, updateId: string, ip: string | null = null): Promise<UpdateResponseDto> {
    return this.moveSend(principal, campaignId, updateId, ['sending'], 'paused', 'paused', ip);
  }

  /** Resumes a paused send. Audited (`updates.resume`). */
  async resume(principal: Principal, campaignId: string, updateId: string, ip: string | null = null): Promise<UpdateResponseDto> {
    const moved = await this.moveSend(principal, campaignId, updateId, ['paused'], 'sending', 'resumed', ip);
    await this.sender.resumed(updateId);
    return moved;
  }

  /** Cancels a send: what is not sent yet never is. Audited (`updates.cancel`). */
  async cancel(principal: Principal, campaignId: string, updateId: string, ip: string | null = null): Promise<UpdateResponseDto> {
    await this.moveSend(principal, campaignId, updateId, ['sending', 'paused'], 'cancelled', 'cancelled', ip);
    await this.sender.cancelled(updateId);
    return this.get(principal, campaignId, updateId);
  }

  /** Moves a send and records it in the audit log, in one transaction; asking for the state it has already records nothing. */
  private async moveSend(principal: Principal, campaignId: string, updateId: string, from: SendState[], to: SendState, action: string, ip: string | null) {
    const update = await this.owned(principal, campaignId, updateId, 'edit');
    if (!update.notify || !update.sendState) throw UpdateErrors.notNotified();
    if (update.sendState === to) return this.response(update, await this.updates.counts(update.id));
    const moved = await this.updates.transaction(async (m) => {
      const done = await this.updates.moveSend(update.id, from, to, m);
      if (done) {
        await this.audit.record(
          { actor: principal, action: MOVE_AUDIT[to], campaignId: update.campaignId, subjectId: update.id, details: { from: update.sendState, to }, ip },
          m,
        );
      }
      return done;
    });
    if (!moved) {
      const now = await this.updates.findById(update.id);
      if (now?.sendState === to) return this.response(now, await this.updates.counts(now.id));
      throw UpdateErrors.sendState(now?.sendState ?? update.sendState, action);
    }
    this.logger.log({ updateId, from: update.sendState, to }, 'Update send moved');
    return this.response(moved, await this.updates.counts(moved.id));
  }

  /**
   * The campaign's update, for `need` on the campaign. Changing a send (`edit`) is for the lead and
   * for the partner whose organisation posted it, never another partner's.
   */
  private async owned(principal: Principal, campaignId: string, updateId: string, need: 'view' | 'edit'): Promise<CaseUpdate> {
    const { campaign, organisationId, level } = await this.campaigns.access(principal, campaignId, need);
    const update = await this.updates.findForCampaign(campaign.id, updateId);
    if (!update) throw UpdateErrors.notFound();
    if (need === 'edit' && level !== 'lead' && update.organisationId !== organisationId) throw CampaignErrors.roleForbidden('lead');
    return update;
  }

  private response(u: CaseUpdate, counts: DeliveryCounts | null): UpdateResponseDto {
    const c = counts ?? { recipients: 0, sent: 0, failed: 0, pending: 0, skipped: 0, cancelled: 0 };
    return {
      id: u.id,
      campaignId: u.campaignId,
      locale: u.locale,
      title: u.title,
      body: u.body,
      translations: u.translations,
      caseStatus: u.caseStatus,
      notify: u.notify,
      sendState: u.sendState,
      fannedOut: u.fannedOutAt !== null,
      finishedAt: u.finishedAt ? u.finishedAt.toISOString() : null,
      createdAt: u.createdAt.toISOString(),
      progress: counts,
      recipients: c.recipients,
      sent: c.sent,
      failed: c.failed,
      pending: c.pending,
    };
  }

  // ── automatic notices ─────────────────────────────────────────────────────

  /**
   * Posts the automatic notices owed (campaigns with `autoNotify`): one update when a campaign is
   * won, one per reply recorded public, each once, in both languages, emailed like any notified
   * update while the weekly cap allows (else posted without email). Run by the dispatcher in every
   * worker; the unique source makes a second worker's insert a no-op. Returns how many it posted.
   */
  async postNotices(): Promise<number> {
    const owed = [
      ...(await this.updates.wonWithoutNotice()).map((c) => ({ ...c, source: 'won' as const })),
      ...(await this.updates.publicRepliesWithoutNotice()).map((c) => ({ ...c, source: 'reply' as const })),
    ];
    let posted = 0;
    for (const notice of owed) {
      const texts = noticeTexts(notice.source, notice.text, notice.target);
      const other: Locale = notice.locale === 'ar' ? 'en' : 'ar';
      const id = await this.updates.transaction(async (m) => {
        await this.updates.lockCampaign(m, notice.campaignId);
        const notify = this.nextAllowed(await this.updates.notifiedSince(m, notice.campaignId, WEEK_DAYS)) === null;
        const inserted = await this.updates.insertNotice(m, {
          campaignId: notice.campaignId,
          locale: notice.locale,
          title: texts[notice.locale].title,
          body: texts[notice.locale].body,
          translations: { [other]: texts[other] },
          caseStatus: null,
          notify,
          createdBy: null,
          source: notice.source,
          sourceId: notice.sourceId,
        });
        return inserted ? { id: inserted, notify } : null;
      });
      if (!id) continue;
      posted++;
      this.logger.log({ campaignId: notice.campaignId, source: notice.source, notify: id.notify }, 'Automatic notice posted');
      if (id.notify) await this.sender.startFanOut(id.id);
    }
    return posted;
  }

  // ── public ────────────────────────────────────────────────────────────────

  /** A campaign's updates for anyone, the newest PUBLIC_UPDATES first, each in `locale` when it has it, else in its own. */
  async listPublic(campaignId: string, locale: Locale | null): Promise<PublicUpdateDto[]> {
    const rows = await this.updates.listForCampaign(campaignId, PUBLIC_UPDATES);
    return rows.map((u) => {
      const shown = locale && (locale === u.locale || u.translations[locale]) ? locale : u.locale;
      const text = shown === u.locale ? u : u.translations[shown]!;
      return { id: u.id, locale: shown, title: text.title, body: text.body, caseStatus: u.caseStatus, createdAt: u.createdAt.toISOString() };
    });
  }

  /** A case status as pages and emails say it; null for none. */
  caseStatusLabel(status: CaseStatus | string | null, locale: Locale): string | null {
    return caseStatusLabel(status, locale);
  }

  // ── retention and privacy (their modules call these) ──────────────────────

  /** Retention: how many delivery rows belong to updates whose send finished more than `days` days ago (a dry run). */
  countFinishedDeliveries(days: number): Promise<number> {
    return this.updates.countFinishedDeliveries(days);
  }

  /**
   * Retention (UPDATE_DELIVERY_RETENTION_DAYS = `days`): deletes the delivery rows — one per
   * supporter emailed, naming their signature — of every update whose send finished (done or
   * cancelled) more than `days` days ago, `batch` rows per statement. Each update's counts are kept
   * on its row first, so its progress ({recipients, sent, failed, …}) reads the same afterwards.
   * Returns how many updates and rows.
   */
  async purgeFinishedDeliveries(days: number, batch: number): Promise<{ updates: number; deliveries: number }> {
    const done = { updates: 0, deliveries: 0 };
    for (;;) {
      const ids = await this.updates.finishedWithDeliveries(days, 100);
      let deleted = 0;
      for (const id of ids) {
        await this.updates.keepFinalCounts(id);
        for (;;) {
          const n = await this.updates.deleteDeliveries(id, batch);
          deleted += n;
          if (n < batch) break;
        }
        done.updates++;
      }
      done.deliveries += deleted;
      // A short page, or one where nothing could be deleted (never loop on it).
      if (ids.length < 100 || deleted === 0) return done;
    }
  }

  /** Erasure: deletes every update opt-out of an address (its blind index), in the caller's (erasing) transaction. Returns how many. */
  eraseOptOuts(m: EntityManager, emailHash: string): Promise<number> {
    return this.updates.deleteOptOuts(m, emailHash);
  }
}
