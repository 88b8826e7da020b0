import { Column, Entity, PrimaryColumn } from 'typeorm';
import { BIGINT_AS_NUMBER } from '../../infra/database/bigint-as-number.transformer';

/** Verified signatures of a campaign on one UTC day, folded from tally events. */
@Entity({ name: 'campaign_day_counters' })
export class CampaignDayCounter {
  @PrimaryColumn({ name: 'campaign_id', type: 'uuid' })
  campaignId: string;

  /** `YYYY-MM-DD`, UTC. */
  @PrimaryColumn({ type: 'date' })
  day: string;

  @Column({ type: 'bigint', default: 0, transformer: BIGINT_AS_NUMBER })
  verified: number;
}
