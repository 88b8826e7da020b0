import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The public count of a campaign, kept by the tally (never a COUNT over signatures). */
@Entity({ name: 'campaign_counters' })
export class CampaignCounter {
  @PrimaryColumn({ name: 'campaign_id', type: 'uuid' })
  campaignId: string;

  @Column({ type: 'bigint', default: 0, transformer: { to: (v: number) => v, from: (v: string) => Number(v) } })
  verified: number;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}
