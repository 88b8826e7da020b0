import { Column, Entity, PrimaryColumn } from 'typeorm';

/** When a campaign's count first reached a share of its goal (25, 50, 75 or 100 %). */
@Entity({ name: 'campaign_milestones' })
export class CampaignMilestone {
  @PrimaryColumn({ name: 'campaign_id', type: 'uuid' })
  campaignId: string;

  @PrimaryColumn({ type: 'integer' })
  percent: number;

  @Column({ name: 'reached_at', type: 'timestamptz', default: () => 'now()' })
  reachedAt: Date;
}
