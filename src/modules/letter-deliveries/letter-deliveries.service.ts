import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { cursorOf, keysetPage } from '../../common/keyset-cursor';
import { Principal } from '../../common/principal';
import { CampaignsService } from '../campaigns/campaigns.service';
import type { LetterHistoryDto, TargetBounceDto } from './dto/letter-history.dto';
import { LetterDeliveryDto, LetterListResponseDto } from './dto/letter-list-response.dto';
import { ListLettersQueryDto } from './dto/list-letters-query.dto';
import type { TargetLetterTotals } from './dto/target-letter-totals.dto';
import { LetterDeliveriesRepository, type LetterRow } from './letter-deliveries.repository';
import { LetterDeliveryErrors } from './letter-deliveries.errors';
import type { LetterStatus } from './letter.entity';

/**
 * The letters to officials as other modules and organisers see them: created in the confirming
 * transaction, listed with their delivery status, totalled per target. Releasing, sending, digests
 * and delivery reports are the other services of this module.
 */
@Injectable()
export class LetterDeliveriesService {
  constructor(
    private readonly letters: LetterDeliveriesRepository,
    private readonly campaigns: CampaignsService,
  ) {}

  /**
   * In the caller's confirming transaction: one letter per target of a per_signature campaign
   * (suppressed targets excepted). Returns how many were queued.
   */
  createForSignature(m: EntityManager, campaignId: string, signatureId: string): Promise<number> {
    return this.letters.createForSignature(m, campaignId, signatureId);
  }

  /**
   * In the caller's (invalidating) transaction: cancels the letters of these signatures that have
   * not left yet (queued, or released and held by no sender), recording `reason`. Returns how many.
   */
  cancelForSignatures(m: EntityManager, signatureIds: string[], reason: string): Promise<number> {
    if (!signatureIds.length) return Promise.resolve(0);
    return this.letters.cancelForSignatures(m, signatureIds, reason.slice(0, 500));
  }

  /** Letters per target and status, for the campaign's stats. */
  totalsByTarget(campaignId: string): Promise<TargetLetterTotals[]> {
    return this.letters.totalsByTarget(campaignId);
  }

  /** Failed and bounced letters per campaign, for campaigns the caller already owns (organisers' dashboard). */
  undeliveredByCampaign(campaignIds: string[]): Promise<Record<string, { failed: number; bounced: number }>> {
    return this.letters.undeliveredByCampaign(campaignIds);
  }

  /** The campaign's letters with their delivery status, newest first, for its organisers. */
  async list(principal: Principal, campaignId: string, query: ListLettersQueryDto): Promise<LetterListResponseDto> {
    await this.campaigns.owned(principal, campaignId, 'view');
    const { rows, total } = await this.letters.list(campaignId, { status: query.status, targetId: query.targetId }, query.page, query.pageSize);
    return {
      items: rows.map((r) => ({
        ...r,
        createdAt: r.createdAt.toISOString(),
        sentAt: r.sentAt ? r.sentAt.toISOString() : null,
      })),
      total,
      page: query.page,
      pageSize: query.pageSize,
    };
  }

  /**
   * A keyset page of the campaign's letters, newest first, optionally of one status, for its
   * organisers (the console's letters table): `cursor` is the previous page's `nextCursor`
   * (400 VALIDATION_FAILED when it is not one).
   */
  async page(
    principal: Principal,
    campaignId: string,
    query: { status?: LetterStatus; cursor?: string; limit: number },
  ): Promise<{ items: LetterDeliveryDto[]; nextCursor: string | null }> {
    const after = cursorOf(query.cursor);
    await this.campaigns.owned(principal, campaignId, 'view');
    const rows = await this.letters.page(campaignId, query.status ?? null, after, query.limit + 1);
    return keysetPage(rows, query.limit, toDelivery);
  }

  /** One of the campaign's letters with its history (404 LETTER_NOT_FOUND when the campaign has no such letter). */
  async history(principal: Principal, campaignId: string, letterId: string): Promise<LetterHistoryDto> {
    await this.campaigns.owned(principal, campaignId, 'view');
    const row = await this.letters.findOne(campaignId, letterId);
    if (!row) throw LetterDeliveryErrors.notFound();
    return {
      ...toDelivery(row),
      kind: row.digestId ? 'digest' : 'per_signature',
      claimedAt: row.claimedAt ? row.claimedAt.toISOString() : null,
      enqueuedAt: row.enqueuedAt ? row.enqueuedAt.toISOString() : null,
    };
  }

  /** How many letters bounced, per target of the campaign (targets with none are absent). */
  async bounceCounts(principal: Principal, campaignId: string): Promise<Record<string, number>> {
    await this.campaigns.owned(principal, campaignId, 'view');
    return this.letters.bounceCounts(campaignId);
  }

  /** A target's hard bounces, the latest first (at most `limit`), with the status each report gave. */
  async bounces(principal: Principal, campaignId: string, targetId: string, limit = 50): Promise<TargetBounceDto[]> {
    await this.campaigns.owned(principal, campaignId, 'view');
    const rows = await this.letters.bounced(campaignId, targetId, limit);
    return rows.map((r) => ({
      letterId: r.id,
      sentAt: r.sentAt ? r.sentAt.toISOString() : null,
      status: /^bounced: (.*)$/.exec(r.lastError ?? '')?.[1] ?? '',
    }));
  }
}

function toDelivery(r: LetterRow): LetterDeliveryDto {
  return {
    id: r.id,
    targetId: r.targetId,
    targetName: r.targetName,
    signatureId: r.signatureId,
    status: r.status,
    attempts: r.attempts,
    lastError: r.lastError,
    messageId: r.messageId,
    createdAt: r.createdAt.toISOString(),
    sentAt: r.sentAt ? r.sentAt.toISOString() : null,
  };
}
