import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** What a campaign's organisers are told once: a share of the goal reached, an urgent action's deadline within 24 hours. */
export const ORGANISER_NOTICE_KINDS = ['milestone_25', 'milestone_50', 'milestone_75', 'milestone_100', 'deadline_24h'] as const;
export type OrganiserNoticeKind = (typeof ORGANISER_NOTICE_KINDS)[number];

/**
 * A notice owed to a campaign's organisers, written once (unique per campaign and kind) in the
 * transaction that queues its emails, so it is sent once and never lost.
 */
@Entity({ name: 'organiser_notices' })
export class OrganiserNotice {
  @PrimaryColumn({ name: 'campaign_id', type: 'uuid' })
  campaignId: string;

  @PrimaryColumn({ type: 'text' })
  kind: OrganiserNoticeKind;

  /** Emails queued for it: one per organiser not disabled; 0 for a milestone passed over by a higher one reached at once. */
  @Column({ type: 'integer', default: 0 })
  emails: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
