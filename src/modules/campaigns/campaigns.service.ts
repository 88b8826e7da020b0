import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { randomBytes } from 'node:crypto';
import { CommonErrors, ErrorDetail } from '../../common/app-error';
import { ShortCache } from '../../common/short-cache';
import { Environment } from '../../config/environment';
import { isUniqueViolation } from '../../infra/database/postgres-errors';
import { TimeZones } from '../../infra/database/time-zones';
import { canActFor, Principal } from '../../common/principal';
import { Campaign, CAMPAIGN_STATUSES, CampaignStatus, type CaseStatus } from './campaign.entity';
import { CampaignTranslations, Locale } from '../../common/locale';
import { placeholderProblems } from '../../common/letter-template';
import { slugify, withSuffix } from './campaign-slug';
import { canTransition, organiserCanTransition } from './campaign-status';
import { CampaignErrors } from './campaigns.errors';
import { CampaignsRepository } from './campaigns.repository';
import { LetterDto, TranslationsDto } from './dto/campaign-fields';
import { CampaignResponseDto } from './dto/campaign-response.dto';
import { CreateCampaignDto } from './dto/create-campaign.dto';
import {
  CampaignCountResponseDto,
  PublicCampaignListResponseDto,
  PublicCampaignDto,
  PublicCampaignSummaryDto,
} from './dto/public-campaign-response.dto';
import { UpdateCampaignDto } from './dto/update-campaign.dto';
import type { SeededCampaignDto } from './dto/seeded-campaign.dto';
import { CampaignState } from './dto/campaign-state.dto';
import type { CampaignAccess, CampaignAccessLevel } from './dto/campaign-access.dto';
import { PartnersRepository } from './partners.repository';
import { AuditAction, AuditService } from '../audit/audit.service';
import { TallyService } from '../tally/tally.service';
import { AuthErrors } from '../auth/auth.errors';
import { CampaignReviewListResponseDto } from './dto/campaign-review.dto';

const DAY_MS = 24 * 60 * 60 * 1000;

const ACCESS_RANK: Record<CampaignAccessLevel, number> = { view: 0, edit: 1, lead: 2 };

/** What a PATCH may change for an editor partner: the texts (the letter too) and the case status; the rest is the lead's. */
const EDITOR_FIELDS = new Set(['title', 'summary', 'body', 'translations', 'letter', 'caseStatus']);

@Injectable()
export class CampaignsService {
  private readonly logger = new Logger(CampaignsService.name);
  private readonly levels = new Map<string, CampaignAccessLevel>();
  /** A public campaign's count as the JSON body of GET …/:slug/count, serialised once per load; null: no such public campaign. */
  private readonly counts: ShortCache<Buffer | null>;

  constructor(
    private readonly campaigns: CampaignsRepository,
    private readonly env: Environment,
    private readonly timeZones: TimeZones,
    private readonly tally: TallyService,
    private readonly audit: AuditService,
    private readonly partners: PartnersRepository,
  ) {
    this.counts = new ShortCache(env.COUNT_CACHE_MS);
  }

  // ── organisers ────────────────────────────────────────────────────────────

  async create(principal: Principal, dto: CreateCampaignDto): Promise<CampaignResponseDto> {
    const problems: ErrorDetail[] = [];
    const endsAt = dto.endsAt ? new Date(dto.endsAt) : null;
    if (endsAt && endsAt.getTime() <= Date.now()) problems.push({ field: 'endsAt', problems: ['endsAt must be in the future'] });
    const translations = this.translations(dto.translations, dto.locale, problems);
    const letter = this.letter(dto.letter, undefined, problems);
    problems.push(...(await this.timeZoneProblems(dto.timeZone)));
    if (problems.length) throw CommonErrors.validation(problems);

    const fields: Partial<Campaign> = {
      organisationId: principal.organisationId,
      kind: dto.kind,
      status: 'draft',
      locale: dto.locale,
      title: dto.title,
      summary: dto.summary,
      body: dto.body,
      translations,
      goal: dto.goal ?? null,
      endsAt,
      timeZone: dto.timeZone ?? null,
      comments: dto.comments ?? 'moderated',
      ...letter,
    };
    const created = await this.insertWithSlug(fields, dto.slug);
    return this.response(created, 0);
  }

  /** Inserts with the given slug (409 when taken) or one made from the title, suffixed until unique. */
  private async insertWithSlug(fields: Partial<Campaign>, requested?: string): Promise<Campaign> {
    const insert = (slug: string) => this.campaigns.transaction((m) => this.insertWithCounter(m, { ...fields, slug }));
    if (requested) {
      try {
        return await insert(requested);
      } catch (error) {
        if (isUniqueViolation(error, 'campaigns_slug_key')) throw CampaignErrors.slugTaken();
        throw error;
      }
    }
    const base = slugify(fields.title ?? '');
    let candidate = base;
    for (let attempt = 0; attempt < 8; attempt++) {
      if (attempt > 0 || (await this.campaigns.slugExists(candidate))) {
        candidate = withSuffix(base, attempt < 3 ? String(attempt + 2) : randomBytes(3).toString('hex'));
        if (await this.campaigns.slugExists(candidate)) continue;
      }
      try {
        return await insert(candidate);
      } catch (error) {
        if (!isUniqueViolation(error, 'campaigns_slug_key')) throw error;
      }
    }
    throw CampaignErrors.slugTaken();
  }

  /**
   * Writes only the fields the request names, in one UPDATE guarded by the status that was read
   * (the rules on slug and kind depend on it): a PATCH racing a close or a publish never puts the
   * old status back. When the status moved meanwhile, the request is judged again against the new
   * row (a few times), then refused with 409 CAMPAIGN_CONFLICT.
   */
  async update(principal: Principal, id: string, dto: UpdateCampaignDto): Promise<CampaignResponseDto> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const { campaign, level } = await this.access(principal, id, 'edit');
      if (level !== 'lead' && changesLeadFields(campaign, dto)) throw CampaignErrors.roleForbidden('lead');
      const changes = this.changes(campaign, dto, await this.timeZoneProblems(dto.timeZone));
      try {
        const saved = await this.campaigns.updateFields(id, campaign.status, changes);
        if (saved) return this.response(saved, await this.campaigns.signatureCount(id));
      } catch (error) {
        if (isUniqueViolation(error, 'campaigns_slug_key')) throw CampaignErrors.slugTaken();
        throw error;
      }
    }
    throw CampaignErrors.conflict();
  }

  /** The columns a PATCH changes, checked against the campaign as it is (400/409 on a broken rule). */
  private changes(campaign: Campaign, dto: UpdateCampaignDto, zoneProblems: ErrorDetail[]): Partial<Campaign> {
    // An admin reviews what the organisers sent: it does not change under them.
    if (campaign.status === 'in_review') throw CampaignErrors.inReview();
    if (campaign.status !== 'draft') {
      if (dto.slug !== undefined && dto.slug !== campaign.slug) throw CampaignErrors.lockedField('slug');
      if (dto.kind !== undefined && dto.kind !== campaign.kind) throw CampaignErrors.lockedField('kind');
    }
    const problems: ErrorDetail[] = [...zoneProblems];
    const changes: Partial<Campaign> = {};
    const locale = dto.locale ?? campaign.locale;
    if (dto.endsAt) {
      const endsAt = new Date(dto.endsAt);
      if (endsAt.getTime() <= Date.now()) problems.push({ field: 'endsAt', problems: ['endsAt must be in the future'] });
      changes.endsAt = endsAt;
    } else if (dto.endsAt === null) {
      changes.endsAt = null;
    }
    // Translations are checked against the locale the campaign will have; written only when sent.
    const translations = this.translations(dto.translations ?? (campaign.translations as TranslationsDto), locale, problems);
    if (dto.translations !== undefined) changes.translations = translations;
    if (dto.letter) Object.assign(changes, this.letter(dto.letter, campaign, problems));
    if (dto.caseStatus && (dto.kind ?? campaign.kind) !== 'urgent_action') {
      problems.push({ field: 'caseStatus', problems: ['only an urgent action has a case status'] });
    }
    if (problems.length) throw CommonErrors.validation(problems);

    if (dto.kind !== undefined) changes.kind = dto.kind;
    if (dto.title !== undefined) changes.title = dto.title;
    if (dto.summary !== undefined) changes.summary = dto.summary;
    if (dto.body !== undefined) changes.body = dto.body;
    if (dto.locale !== undefined) changes.locale = dto.locale;
    if (dto.goal !== undefined) changes.goal = dto.goal;
    if (dto.slug !== undefined) changes.slug = dto.slug;
    if (dto.timeZone !== undefined) changes.timeZone = dto.timeZone;
    if (dto.caseStatus !== undefined) changes.caseStatus = dto.caseStatus;
    if (dto.autoNotify !== undefined) changes.autoNotify = dto.autoNotify;
    if (dto.comments !== undefined) changes.comments = dto.comments;
    return changes;
  }

  /**
   * Puts a campaign live (a draft published, a closed one reopened). With PUBLISH_REQUIRES_REVIEW,
   * an organiser's draft goes `in_review` instead, for an admin (asking again while it waits
   * changes nothing). An admin's publish goes live at once: admins are the reviewers, and an
   * install with one admin would otherwise wait forever; the audit log names who published.
   */
  async publish(principal: Principal, id: string, ip: string | null = null): Promise<CampaignResponseDto> {
    const campaign = await this.owned(principal, id, 'lead');
    const review = this.env.PUBLISH_REQUIRES_REVIEW && principal.role !== 'admin';
    if (review && (campaign.status === 'draft' || campaign.status === 'in_review')) {
      if (campaign.endsAt && campaign.endsAt.getTime() <= Date.now()) throw CampaignErrors.deadlinePassed();
      return this.move(principal, ip, campaign, 'in_review', { reviewRequestedAt: new Date(), reviewNote: null });
    }
    return this.goLive(principal, campaign, ip);
  }

  /** An admin approves a campaign in review: it goes live (as a publish would). A second approval changes nothing. */
  async approveReview(principal: Principal, id: string, ip: string | null = null): Promise<CampaignResponseDto> {
    if (principal.role !== 'admin') throw AuthErrors.adminOnly();
    const campaign = await this.owned(principal, id, 'lead');
    if (campaign.status !== 'in_review' && campaign.status !== 'live') throw CampaignErrors.notInReview(campaign.status);
    return this.goLive(principal, campaign, ip);
  }

  /** An admin sends a campaign in review back to its organisers as a draft, with a note they read in the API and the console. */
  async rejectReview(principal: Principal, id: string, note: string, ip: string | null = null): Promise<CampaignResponseDto> {
    if (principal.role !== 'admin') throw AuthErrors.adminOnly();
    const campaign = await this.owned(principal, id, 'lead');
    if (campaign.status !== 'in_review') throw CampaignErrors.notInReview(campaign.status);
    return this.move(principal, ip, campaign, 'draft', { reviewNote: note, reviewRequestedAt: null });
  }

  /** Campaigns waiting for review, the longest waiting first (admins only). */
  async listInReview(principal: Principal): Promise<CampaignReviewListResponseDto> {
    if (principal.role !== 'admin') throw AuthErrors.adminOnly();
    const rows = await this.campaigns.listInReview(200);
    return {
      items: rows.map((r) => ({ ...this.response(r.campaign, r.signatureCount), organisationName: r.organisationName })),
    };
  }

  private async goLive(principal: Principal, campaign: Campaign, ip: string | null): Promise<CampaignResponseDto> {
    if (campaign.status !== 'live' && !canTransition(campaign.status, 'live')) {
      throw CampaignErrors.invalidTransition(campaign.status, 'live');
    }
    const now = new Date();
    let endsAt = campaign.endsAt;
    if (!endsAt && campaign.kind === 'urgent_action') {
      endsAt = new Date(now.getTime() + this.env.URGENT_ACTION_DEFAULT_DAYS * DAY_MS);
    }
    if (campaign.status !== 'live' && endsAt && endsAt.getTime() <= now.getTime()) throw CampaignErrors.deadlinePassed();
    // Reopened, it is no longer due for anonymisation: that clock starts again at its next close.
    return this.move(principal, ip, campaign, 'live', {
      endsAt,
      publishedAt: campaign.publishedAt ?? now,
      closedAt: null,
      supportersAnonymisedAt: null,
      reviewNote: null,
      reviewRequestedAt: null,
    });
  }

  async close(principal: Principal, id: string, ip: string | null = null): Promise<CampaignResponseDto> {
    const campaign = await this.owned(principal, id, 'lead');
    return this.move(principal, ip, campaign, 'closed', { closedAt: new Date() });
  }

  async win(principal: Principal, id: string, outcome?: string, ip: string | null = null): Promise<CampaignResponseDto> {
    const campaign = await this.owned(principal, id, 'lead');
    const now = new Date();
    return this.move(principal, ip, campaign, 'won', {
      wonAt: now,
      closedAt: campaign.closedAt ?? now,
      outcome: outcome ?? campaign.outcome,
    });
  }

  /**
   * Applies a status change, audited in its transaction; asking for the status it already has
   * changes nothing and records nothing (a retried request is safe).
   */
  private async move(principal: Principal, ip: string | null, campaign: Campaign, to: CampaignStatus, patch: Partial<Campaign>): Promise<CampaignResponseDto> {
    if (campaign.status !== to) {
      if (!canTransition(campaign.status, to)) throw CampaignErrors.invalidTransition(campaign.status, to);
      const from = campaign.status;
      const moved = await this.campaigns.transaction(async (m) => {
        const row = await this.campaigns.updateFields(campaign.id, from, { ...patch, status: to }, m);
        if (row) {
          await this.audit.record(
            { actor: principal, action: transitionAction(from, to), campaignId: row.id, organisationId: row.organisationId, details: { from, to }, ip },
            m,
          );
        }
        return row;
      });
      if (!moved) {
        // Someone else changed it meanwhile: judge again against what it is now.
        const now = await this.campaigns.findById(campaign.id);
        if (!now) throw CampaignErrors.notFound();
        if (now.status !== to) throw CampaignErrors.invalidTransition(now.status, to);
        campaign = now;
      } else {
        campaign = moved;
      }
    }
    return this.response(campaign, await this.campaigns.signatureCount(campaign.id));
  }

  /** A campaign as its organisers see it, with when its supporters' data is anonymised. */
  private response(c: Campaign, signatureCount: number): CampaignResponseDto {
    return CampaignResponseDto.from(c, signatureCount, this.env.SIGNATURE_RETENTION_DAYS_AFTER_CLOSE);
  }

  async listForOrganisation(principal: Principal, organisationId: string, page: number, pageSize: number) {
    if (!canActFor(principal, organisationId)) throw CommonErrors.forbidden('This is another organisation.');
    const { rows, total } = await this.campaigns.listByOrganisation(organisationId, page, pageSize);
    return {
      items: rows.map((r) => this.response(r.campaign, r.signatureCount)),
      total,
      page,
      pageSize,
    };
  }

  /** One campaign as its organisers see it (404 when unknown, 403 when another organisation's). */
  async get(principal: Principal, id: string): Promise<CampaignResponseDto> {
    const campaign = await this.owned(principal, id, 'view');
    return this.response(campaign, await this.campaigns.signatureCount(id));
  }

  /**
   * The campaign as the public will see it (drafts too: the console's preview before publishing),
   * for its organisers only (404/403 as `owned`).
   */
  async previewPublic(principal: Principal, id: string, now = new Date()): Promise<PublicCampaignDto> {
    await this.owned(principal, id, 'view');
    const found = await this.campaigns.findWithCountById(id);
    if (!found) throw CampaignErrors.notFound();
    const partners = (await this.partners.acceptedOrganisations([id])).get(id) ?? [];
    return PublicCampaignDto.from(found.campaign, found.signatureCount, found.organisationName, now, partners);
  }

  /** The statuses a campaign in `status` may move to (publish, close, win, reopen), in that order. */
  nextStatuses(status: CampaignStatus): CampaignStatus[] {
    return CAMPAIGN_STATUSES.filter((to) => organiserCanTransition(status, to));
  }

  /** Whether an organiser's publish waits for an admin (PUBLISH_REQUIRES_REVIEW, and the caller is no admin). */
  publishNeedsReview(principal: Principal): boolean {
    return this.env.PUBLISH_REQUIRES_REVIEW && principal.role !== 'admin';
  }

  /**
   * The campaign, if it exists (404 CAMPAIGN_NOT_FOUND), the caller's organisation runs it (its
   * lead, or a partner that accepted; else 403 CAMPAIGN_FORBIDDEN as for any other organisation),
   * and its role there reaches `need` (else 403 CAMPAIGN_ROLE_FORBIDDEN): `view` any of them,
   * `edit` the lead and editor partners, `lead` the lead alone (admins act as the lead).
   */
  async owned(principal: Principal, id: string, need: CampaignAccessLevel): Promise<Campaign> {
    return (await this.access(principal, id, need)).campaign;
  }

  /** As `owned`, with the caller's place on the campaign: which organisation it acts as (the lead for an admin), and its level. */
  async access(principal: Principal, id: string, need: CampaignAccessLevel): Promise<CampaignAccess> {
    const campaign = await this.campaigns.findById(id);
    if (!campaign) throw CampaignErrors.notFound();
    let found: CampaignAccess;
    if (canActFor(principal, campaign.organisationId)) {
      found = { campaign, organisationId: campaign.organisationId, level: 'lead' };
    } else {
      const role = await this.partners.acceptedRole(campaign.id, principal.organisationId);
      if (!role) throw CampaignErrors.forbidden();
      found = { campaign, organisationId: principal.organisationId, level: role === 'editor' ? 'edit' : 'view' };
    }
    this.rememberLevel(principal, campaign.id, found.level);
    if (ACCESS_RANK[found.level] < ACCESS_RANK[need]) throw CampaignErrors.roleForbidden(need as 'edit' | 'lead');
    return found;
  }

  /**
   * The level `access` last found for this caller's organisation on a campaign in this process
   * ('lead' when none was): what the console shows its tabs by, right after the page's own check.
   * Display only: every route checks its level itself.
   */
  levelSeen(principal: Principal, campaignId: string): CampaignAccessLevel {
    return this.levels.get(levelKey(principal, campaignId)) ?? 'lead';
  }

  private rememberLevel(principal: Principal, campaignId: string, level: CampaignAccessLevel): void {
    const key = levelKey(principal, campaignId);
    this.levels.delete(key);
    this.levels.set(key, level);
    if (this.levels.size > 10_000) this.levels.delete(this.levels.keys().next().value as string);
  }

  /**
   * In the caller's transaction (a case update that says so): sets an urgent action's case status.
   * The caller checked the kind (caseStatusProblem). Returns whether the campaign was there.
   */
  async setCaseStatus(m: EntityManager, id: string, caseStatus: CaseStatus): Promise<boolean> {
    return this.campaigns.setCaseStatus(m, id, caseStatus);
  }

  /** Why a campaign cannot take a case status (a petition), or null when it can. */
  caseStatusProblem(campaign: Pick<Campaign, 'kind'>): string | null {
    return campaign.kind === 'urgent_action' ? null : 'only an urgent action has a case status';
  }

  /** A campaign by id for work its organisers already asked for (a dossier's email, sent by a worker); null when it is gone. */
  byIdForWorker(id: string): Promise<Campaign | null> {
    return this.campaigns.findById(id);
  }

  /** The zone in which the campaign's dates are meant: its own, else PAGE_TIME_ZONE. */
  timeZoneOf(campaign: Pick<Campaign, 'timeZone'>): string {
    return campaign.timeZone ?? this.env.PAGE_TIME_ZONE;
  }

  // ── public ────────────────────────────────────────────────────────────────

  async listPublic(page: number, pageSize: number, kind?: Campaign['kind']): Promise<PublicCampaignListResponseDto> {
    const { rows, total } = await this.campaigns.listLive(page, pageSize, kind);
    return {
      items: rows.map((r) => PublicCampaignSummaryDto.from(r.campaign, r.signatureCount, r.organisationName)),
      total,
      page,
      pageSize,
    };
  }

  async getPublic(slug: string): Promise<PublicCampaignDto> {
    const found = await this.campaigns.findPublicBySlug(slug);
    if (!found) throw CampaignErrors.notFound();
    const partners = (await this.partners.acceptedOrganisations([found.campaign.id])).get(found.campaign.id) ?? [];
    return PublicCampaignDto.from(found.campaign, found.signatureCount, found.organisationName, new Date(), partners);
  }

  /**
   * The public count as the JSON body the count route sends (`{verified, goal, updatedAt}`), or null
   * for no such public campaign: loaded and serialised once per COUNT_CACHE_MS and slug (the
   * hottest public read, and one that may lag a little), concurrent misses sharing one load.
   */
  countBody(slug: string): Promise<Buffer | null> {
    return this.counts.get(slug, async () => {
      const found = await this.campaigns.publicCount(slug);
      if (!found) return null;
      const count: CampaignCountResponseDto = { verified: found.verified, goal: found.goal, updatedAt: found.updatedAt.toISOString() };
      return Buffer.from(JSON.stringify(count));
    });
  }

  /** What `countBody` would give at once when a fresh one is loaded (no promise, no wait); undefined otherwise. */
  cachedCountBody(slug: string): { value: Buffer | null } | undefined {
    return this.counts.peek(slug);
  }

  // ── sweeps ────────────────────────────────────────────────────────────────

  /** Closes live campaigns whose deadline passed. Safe to run from several workers at once. */
  async closeExpired(): Promise<number> {
    const closed = await this.campaigns.transaction(async (m) => {
      const ids = await this.campaigns.closeExpired(m);
      for (const campaignId of ids) {
        await this.audit.record({ actor: 'system', action: 'campaign.close', campaignId, details: { from: 'live', to: 'closed', reason: 'deadline' } }, m);
      }
      return ids;
    });
    if (closed.length) this.logger.log({ campaignIds: closed }, `Closed ${closed.length} campaign(s) past their deadline`);
    return closed.length;
  }

  // ── rules on fields ───────────────────────────────────────────────────────

  /** Translations may not repeat the campaign's own locale. */
  private translations(input: TranslationsDto | undefined, locale: Locale, problems: ErrorDetail[]): CampaignTranslations {
    const out: CampaignTranslations = {};
    for (const key of ['ar', 'en'] as const) {
      const text = input?.[key];
      if (!text) continue;
      if (key === locale) {
        problems.push({
          field: `translations.${key}`,
          problems: [`the campaign's own locale (${locale}) goes in title, summary and body, not in translations`],
        });
        continue;
      }
      out[key] = { title: text.title, summary: text.summary, body: text.body };
    }
    return out;
  }

  /**
   * A campaign's time zone must be one PostgreSQL knows (its dates are computed in SQL too): Node
   * accepts some that PostgreSQL does not, such as `US/Pacific-New`. null and absent need no check.
   */
  async timeZoneProblems(zone: string | null | undefined): Promise<ErrorDetail[]> {
    if (zone === null || zone === undefined || (await this.timeZones.isKnown(zone))) return [];
    return [{ field: 'timeZone', problems: ['timeZone must be an IANA time zone PostgreSQL knows, such as Asia/Baghdad'] }];
  }

  /** A letter that will be sent needs a subject and a body. */
  private letter(input: LetterDto | undefined, current: Campaign | undefined, problems: ErrorDetail[]) {
    if (!input) return { letterMode: 'none' as const, letterSubject: null, letterBody: null };
    const subject = input.subject ?? current?.letterSubject ?? null;
    const body = input.body ?? current?.letterBody ?? null;
    if (input.mode !== 'none') {
      if (!subject) problems.push({ field: 'letter.subject', problems: ['letter.subject is required unless mode is none'] });
      if (!body) problems.push({ field: 'letter.body', problems: ['letter.body is required unless mode is none'] });
    }
    problems.push(...placeholderProblems('letter', { subject, body }));
    return { letterMode: input.mode, letterSubject: subject, letterBody: body };
  }

  // ── for other modules ─────────────────────────────────────────────────────

  /** Where the campaign with this slug stands (any status, drafts included), or null when there is none. */
  async stateBySlug(slug: string): Promise<CampaignState | null> {
    const c = await this.campaigns.findBySlug(slug);
    return c && { id: c.id, slug: c.slug, status: c.status, endsAt: c.endsAt, closedAt: c.closedAt };
  }

  // ── for the setup module ──────────────────────────────────────────────────

  /** Whether any campaign exists (read in the caller's transaction). */
  async anyExists(m: EntityManager): Promise<boolean> {
    return this.campaigns.anyExists(m);
  }

  /** Inserts a campaign as given (the demo: already live), in the caller's transaction. */
  async insertSeeded(m: EntityManager, fields: SeededCampaignDto): Promise<{ id: string }> {
    const campaign = await this.insertWithCounter(m, fields);
    return { id: campaign.id };
  }

  /** The campaign and its zeroed counter (the tally's), together. */
  private async insertWithCounter(m: EntityManager, fields: Partial<Campaign>): Promise<Campaign> {
    const campaign = await this.campaigns.insert(fields, m);
    await this.tally.openCounter(m, campaign.id);
    return campaign;
  }

  // ── for the retention module ──────────────────────────────────────────────

  /**
   * Closed or won campaigns whose supporters are due for anonymisation (ended more than
   * `afterDays` ago) and not anonymised yet, the longest ended first.
   */
  dueForAnonymisation(afterDays: number): Promise<string[]> {
    return this.campaigns.dueForAnonymisation(afterDays);
  }

  /** In the caller's transaction: whether the campaign is still due, held so until it commits (a reopening waits). */
  lockIfDueForAnonymisation(m: EntityManager, campaignId: string, afterDays: number): Promise<boolean> {
    return this.campaigns.lockIfDueForAnonymisation(m, campaignId, afterDays);
  }

  /** Records that the campaign's supporters are anonymised (if it is still due); organisers see it. */
  markSupportersAnonymised(campaignId: string, afterDays: number): Promise<boolean> {
    return this.campaigns.markSupportersAnonymised(campaignId, afterDays);
  }

  // ── for the letters module ────────────────────────────────────────────────

  /** The campaign's verified signatures as its counter holds them (a letter's {{count}}). */
  signatureCount(campaignId: string): Promise<number> {
    return this.campaigns.signatureCount(campaignId);
  }
}

/** Whether a PATCH changes a field only the lead may change (sent with its current value — a whole form — it does not). */
function changesLeadFields(campaign: Campaign, dto: UpdateCampaignDto): boolean {
  return (Object.keys(dto) as (keyof UpdateCampaignDto)[]).some((k) => {
    const value = dto[k];
    if (value === undefined || EDITOR_FIELDS.has(k)) return false;
    if (k === 'endsAt') return (value === null ? null : new Date(value as string).getTime()) !== (campaign.endsAt?.getTime() ?? null);
    return value !== (campaign as unknown as Record<string, unknown>)[k];
  });
}

function levelKey(principal: Principal, campaignId: string): string {
  return `${principal.role === 'admin' ? 'admin' : principal.organisationId}|${campaignId}`;
}

/** The audit code of a status change: going live from a draft is a publish, from closed a reopening. */
function transitionAction(from: CampaignStatus, to: CampaignStatus): AuditAction {
  if (to === 'in_review') return 'campaign.review_request';
  if (from === 'in_review') return to === 'live' ? 'campaign.review_approve' : 'campaign.review_reject';
  if (to === 'live') return from === 'draft' ? 'campaign.publish' : 'campaign.reopen';
  return to === 'won' ? 'campaign.win' : 'campaign.close';
}
