import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CommonErrors } from '../../common/app-error';
import { TimeZones } from '../../infra/database/time-zones';
import type { Locale } from '../../common/locale';
import type { Target } from './target.entity';
import { dayIn } from '../../common/zoned-date';
import { Principal } from '../../common/principal';
import { CampaignsService } from '../campaigns/campaigns.service';
import { CreateTargetDto } from './dto/create-target.dto';
import { CreateReplyDto } from './dto/create-reply.dto';
import { SendingWindowDto } from './dto/sending-window.dto';
import type { TargetAddressee } from './dto/target-addressee.dto';
import { PublicTargetDto, ReplyResponseDto, TargetResponseDto } from './dto/target-response.dto';
import { UpdateTargetDto } from './dto/update-target.dto';
import type { SeededTargetDto } from './dto/seeded-target.dto';
import { TargetErrors } from './targets.errors';
import { TargetsRepository } from './targets.repository';

@Injectable()
export class TargetsService {
  constructor(
    private readonly targets: TargetsRepository,
    private readonly campaigns: CampaignsService,
    private readonly timeZones: TimeZones,
  ) {}

  async create(principal: Principal, campaignId: string, dto: CreateTargetDto): Promise<TargetResponseDto> {
    const campaign = await this.campaigns.owned(principal, campaignId, 'edit');
    await this.checkWindow(dto.sendingWindow);
    const target = await this.targets.insert({
      campaignId,
      name: dto.name,
      email: dto.email.toLowerCase(),
      title: dto.title ?? null,
      organisation: dto.organisation ?? null,
      locale: dto.locale ?? campaign.locale,
      country: dto.country ?? null,
      emailPublic: dto.emailPublic ?? false,
      ...windowFields(dto.sendingWindow),
    });
    return TargetResponseDto.from(target);
  }

  /**
   * Writes only the fields the request names, in one UPDATE: a PATCH never puts back what another
   * writer changed meanwhile (a suppression after bounces, a reply).
   */
  async update(principal: Principal, campaignId: string, id: string, dto: UpdateTargetDto): Promise<TargetResponseDto> {
    await this.campaigns.owned(principal, campaignId, 'edit');
    await this.checkWindow(dto.sendingWindow);
    const changes: Partial<Target> = {};
    if (dto.name !== undefined) changes.name = dto.name;
    if (dto.email !== undefined) changes.email = dto.email.toLowerCase();
    if (dto.title !== undefined) changes.title = dto.title;
    if (dto.organisation !== undefined) changes.organisation = dto.organisation;
    if (dto.locale !== undefined) changes.locale = dto.locale;
    if (dto.country !== undefined) changes.country = dto.country;
    if (dto.emailPublic !== undefined) changes.emailPublic = dto.emailPublic;
    if (dto.sendingWindow !== undefined) Object.assign(changes, windowFields(dto.sendingWindow), { dispatchError: null });
    const target = await this.targets.update(campaignId, id, changes);
    if (!target) throw TargetErrors.notFound();
    return TargetResponseDto.from(target);
  }

  /** A sending window's time zone must be one PostgreSQL knows: the dispatcher evaluates it there. */
  private async checkWindow(w: SendingWindowDto | null | undefined): Promise<void> {
    if (w && !(await this.timeZones.isKnown(w.timeZone))) {
      throw CommonErrors.validation([{ field: 'sendingWindow.timeZone', problems: ['timeZone is not a time zone the database knows'] }]);
    }
  }

  async remove(principal: Principal, campaignId: string, id: string): Promise<void> {
    await this.campaigns.owned(principal, campaignId, 'edit');
    if (!(await this.targets.remove(campaignId, id))) throw TargetErrors.notFound();
  }

  /** The campaign's targets as the public sees them, each with "replied" or "no reply yet". */
  async listPublic(campaignId: string): Promise<PublicTargetDto[]> {
    const [targets, replies] = await Promise.all([this.targets.listByCampaign(campaignId), this.targets.latestReplies(campaignId)]);
    return targets.map((t) => PublicTargetDto.from(t, replies.get(t.id)));
  }

  async addReply(principal: Principal, campaignId: string, targetId: string, dto: CreateReplyDto): Promise<ReplyResponseDto> {
    const campaign = await this.campaigns.owned(principal, campaignId, 'edit');
    if (!(await this.targets.findOne(campaignId, targetId))) throw TargetErrors.notFound();
    // The day is the organiser's: "today" is today in the campaign's zone, not in UTC.
    if (dto.receivedOn.slice(0, 10) > dayIn(this.campaigns.timeZoneOf(campaign))) {
      throw CommonErrors.validation([{ field: 'receivedOn', problems: ['receivedOn may not be in the future'] }]);
    }
    const target = (await this.targets.findOne(campaignId, targetId))!;
    const row = await this.targets.insertReply(targetId, {
      receivedOn: dto.receivedOn.slice(0, 10),
      summary: dto.summary,
      publicText: dto.publicText ?? null,
    });
    return toReply(row, target);
  }

  /** One of the campaign's targets as its organisers see it (404 TARGET_NOT_FOUND when the campaign has no such target). */
  async get(principal: Principal, campaignId: string, id: string): Promise<TargetResponseDto> {
    await this.campaigns.owned(principal, campaignId, 'view');
    const target = await this.targets.findOne(campaignId, id);
    if (!target) throw TargetErrors.notFound();
    return TargetResponseDto.from(target);
  }

  async list(principal: Principal, campaignId: string): Promise<TargetResponseDto[]> {
    await this.campaigns.owned(principal, campaignId, 'view');
    return (await this.targets.listByCampaign(campaignId)).map(TargetResponseDto.from);
  }

  /** Replies per target (count and latest day), for a campaign the caller already owns (the console's stats page). */
  replyTotals(campaignId: string): Promise<{ targetId: string; replies: number; latest: string }[]> {
    return this.targets.replyTotals(campaignId);
  }

  // ── for the setup module ──────────────────────────────────────────────────

  /** Inserts a target as given (the demo), in the caller's transaction. */
  async insertSeeded(m: EntityManager, campaignId: string, fields: SeededTargetDto): Promise<void> {
    await this.targets.insert({ ...fields, campaignId }, m);
  }

  // ── for the letters modules: a preview's addressee; suppression and dispatch errors in the caller's transaction ──

  /** The campaign's target as a letter addresses it; null when the campaign has no such target. */
  async addressee(campaignId: string, targetId: string): Promise<TargetAddressee | null> {
    const target = await this.targets.findOne(campaignId, targetId);
    return target ? { id: target.id, name: target.name, locale: target.locale } : null;
  }

  /** The campaign's target as an email to it needs it (a dossier); null when the campaign has no such target. */
  async recipient(campaignId: string, targetId: string): Promise<{ id: string; name: string; email: string; locale: Locale; suppressed: boolean } | null> {
    const target = await this.targets.findOne(campaignId, targetId);
    return target ? { id: target.id, name: target.name, email: target.email, locale: target.locale, suppressed: target.suppressedAt !== null } : null;
  }

  /** In the caller's transaction: no more letters go to the target. False when it already was suppressed. */
  suppress(m: EntityManager, targetId: string): Promise<boolean> {
    return this.targets.suppress(m, targetId);
  }

  /** In the caller's transaction: marks each target whose sending window's zone cannot be evaluated, clears the rest. */
  recordDispatchErrors(m: EntityManager): Promise<void> {
    return this.targets.recordDispatchErrors(m);
  }

  /** In the caller's transaction: why this target's letters could not be dispatched (shown as `dispatchError`). */
  setDispatchError(m: EntityManager, targetId: string, error: string): Promise<void> {
    return this.targets.setDispatchError(m, targetId, error);
  }
}

/** A reply an organiser just recorded: approved as it is made. */
function toReply(r: { id: string; received_on: string; summary: string; public_text: string | null; created_at: Date }, target: Target): ReplyResponseDto {
  return {
    id: r.id,
    targetId: target.id,
    targetName: target.name,
    receivedOn: r.received_on,
    summary: r.summary,
    publicText: r.public_text,
    source: 'organiser',
    status: 'approved',
    answeredBy: null,
    decidedAt: null,
    createdAt: r.created_at.toISOString(),
  };
}

/** The four window columns from the DTO (all null for none); the end must come after the start. */
function windowFields(w: SendingWindowDto | null | undefined) {
  if (!w) return { timeZone: null, windowStart: null, windowEnd: null, windowDays: null };
  if (w.start >= w.end) throw CommonErrors.validation([{ field: 'sendingWindow.end', problems: ['end must be after start'] }]);
  return { timeZone: w.timeZone, windowStart: w.start, windowEnd: w.end, windowDays: [...w.days].sort() };
}
