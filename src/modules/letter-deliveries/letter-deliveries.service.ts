import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Principal } from '../../common/principal';
import { CampaignsService } from '../campaigns/campaigns.service';
import { LetterListResponseDto } from './dto/letter-list-response.dto';
import { ListLettersQueryDto } from './dto/list-letters-query.dto';
import type { TargetLetterTotals } from './dto/target-letter-totals.dto';
import { LetterDeliveriesRepository } from './letter-deliveries.repository';

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
    await this.campaigns.owned(principal, campaignId);
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
}
