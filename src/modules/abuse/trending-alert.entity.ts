import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const TRENDING_SOURCE_TYPES = ['ip', 'domain', 'country'] as const;
/** What a trending source is: a client address (as its keyed hash), an email domain, or a country. */
export type TrendingSourceType = (typeof TRENDING_SOURCE_TYPES)[number];

/**
 * A source that brought one campaign more than TRENDING_ALERT_THRESHOLD new signatures in one
 * window, and that admins were emailed about: unique per (campaign, source, window), so never twice.
 */
@Entity({ name: 'trending_alerts' })
export class TrendingAlert {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'campaign_id', type: 'uuid' })
  campaignId: string;

  @Column({ name: 'source_type', type: 'text' })
  sourceType: TrendingSourceType;

  /** The address's keyed hash (`signatures.ip_hash`, never an address), the domain, or the country code. */
  @Column({ type: 'text' })
  source: string;

  @Column({ name: 'window_start', type: 'timestamptz' })
  windowStart: Date;

  @Column({ name: 'window_end', type: 'timestamptz' })
  windowEnd: Date;

  /** The source's new signatures in the window when the alert was made. */
  @Column({ name: 'new_signatures', type: 'integer' })
  newSignatures: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
