import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Environment } from '../../config/environment';
import { CampaignTally } from './dto/campaign-tally.dto';
import type { TallyRemoval } from './dto/tally-removal.dto';
import { Drift, TallyRepository } from './tally.repository';

/**
 * The tally's face to other modules: events recorded in the confirming transaction (the caller's),
 * counters folded and reconciled here, and what organisers' stats read from them.
 */
@Injectable()
export class TallyService {
  private readonly logger = new Logger(TallyService.name);

  constructor(
    private readonly tally: TallyRepository,
    private readonly env: Environment,
  ) {}

  /** A new campaign's counter at zero, in the caller's (creating) transaction. */
  openCounter(m: EntityManager, campaignId: string): Promise<void> {
    return this.tally.openCounter(m, campaignId);
  }

  /** One tally event for a signature just verified, in the caller's (confirming) transaction. */
  recordVerified(m: EntityManager, campaignId: string, country: string): Promise<void> {
    return this.tally.recordVerified(m, campaignId, country);
  }

  /**
   * Negative tally events for verified signatures taken out of the count, in the caller's
   * (invalidating) transaction: per country and per day they were counted on, so the public count
   * and both breakdowns drop by exactly that many at the next fold, without a recount.
   */
  recordInvalidated(m: EntityManager, campaignId: string, removed: TallyRemoval[]): Promise<void> {
    const groups = removed.filter((r) => r.count > 0);
    if (!groups.length) return Promise.resolve();
    return this.tally.recordRemoved(m, campaignId, groups);
  }

  /** The campaign's counters: verified, per country, per day, and the milestones reached. */
  async campaignTally(campaignId: string): Promise<CampaignTally> {
    const [verified, byCountry, byDay, milestones] = await Promise.all([
      this.tally.verified(campaignId),
      this.tally.byCountry(campaignId),
      this.tally.byDay(campaignId),
      this.tally.milestones(campaignId),
    ]);
    return { verified, byCountry, byDay, milestones };
  }

  /** Folds every waiting event into the counters (in batches). Returns how many events were folded. */
  async foldAll(): Promise<number> {
    let total = 0;
    for (;;) {
      const { events, milestones } = await this.tally.fold(this.env.TALLY_BATCH_SIZE);
      total += events;
      for (const m of milestones) this.logger.log({ campaignId: m.campaignId, percent: m.percent }, 'Milestone reached');
      if (events < this.env.TALLY_BATCH_SIZE) return total;
    }
  }

  /** Proves the counters equal the verified signatures, repairs any drift and logs it. */
  async reconcile(): Promise<Drift[]> {
    const drift = await this.tally.reconcile();
    for (const d of drift) this.logger.warn(d, 'Counter drift repaired');
    if (!drift.length) this.logger.log('Counters match the verified signatures');
    return drift;
  }
}
