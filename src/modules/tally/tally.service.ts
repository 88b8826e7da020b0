import { Injectable, Logger } from '@nestjs/common';
import { Environment } from '../../config/environment';
import { Drift, TallyRepository } from './tally.repository';

@Injectable()
export class TallyService {
  private readonly logger = new Logger(TallyService.name);

  constructor(
    private readonly tally: TallyRepository,
    private readonly env: Environment,
  ) {}

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
