import { Column, Entity, PrimaryColumn } from 'typeorm';
import { BIGINT_AS_NUMBER } from '../../infra/database/bigint-as-number.transformer';

/** The public count of a campaign, kept by the tally (never a COUNT over signatures). */
@Entity({ name: 'campaign_counters' })
export class CampaignCounter {
  @PrimaryColumn({ name: 'campaign_id', type: 'uuid' })
  campaignId: string;

  @Column({ type: 'bigint', default: 0, transformer: BIGINT_AS_NUMBER })
  verified: number;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}
