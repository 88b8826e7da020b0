import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { Locale } from '../../common/locale';

/** An update's title and body in one language. */
export interface UpdateText {
  title: string;
  body: string;
}

/** Texts in the languages other than the update's own. */
export type UpdateTranslations = Partial<Record<Locale, UpdateText>>;

/** Where a notified update's batch email stands: sending (the fan-out may still run), paused, cancelled, done. */
export const SEND_STATES = ['sending', 'paused', 'cancelled', 'done'] as const;
export type SendState = (typeof SEND_STATES)[number];

/** An organiser's update on a campaign ("Salim has been released"), shown on its page; with `notify`, emailed to its supporters. */
@Entity({ name: 'case_updates' })
export class CaseUpdate {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'campaign_id', type: 'uuid' })
  campaignId: string;

  /** The campaign's language when it was posted: the language of title and body. */
  @Column({ type: 'text' })
  locale: Locale;

  @Column({ type: 'text' })
  title: string;

  @Column({ type: 'text' })
  body: string;

  @Column({ type: 'jsonb', default: () => "'{}'::jsonb" })
  translations: UpdateTranslations;

  /** The case status this update set (an urgent action's), or null. */
  @Column({ name: 'case_status', type: 'text', nullable: true })
  caseStatus: string | null;

  @Column({ type: 'boolean', default: false })
  notify: boolean;

  /** Null when not notified. */
  @Column({ name: 'send_state', type: 'text', nullable: true })
  sendState: SendState | null;

  /** The fan-out's keyset cursor: the last signature id written; it resumes after it. */
  @Column({ name: 'fanout_cursor', type: 'uuid', nullable: true })
  fanoutCursor: string | null;

  /** The fan-out's holder may write until then. */
  @Column({ name: 'fanout_lease_until', type: 'timestamptz', nullable: true })
  fanoutLeaseUntil: Date | null;

  @Column({ name: 'fanout_enqueued_at', type: 'timestamptz', nullable: true })
  fanoutEnqueuedAt: Date | null;

  /** When every recipient had its delivery row; null while the fan-out runs. */
  @Column({ name: 'fanned_out_at', type: 'timestamptz', nullable: true })
  fannedOutAt: Date | null;

  /** When the send was done or cancelled. */
  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt: Date | null;

  /** The organiser who posted it (null: the platform, or an organiser since deleted). */
  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy: string | null;

  /** The organisation that posted it, and so sends it (the lead or a partner); null: the lead's (posted before partners). */
  @Column({ name: 'organisation_id', type: 'uuid', nullable: true })
  organisationId: string | null;

  /** `organiser`, or the automatic notice this is: `won` (the campaign's id), `reply` (the reply's id). */
  @Column({ type: 'text', default: 'organiser' })
  source: 'organiser' | 'won' | 'reply';

  @Column({ name: 'source_id', type: 'uuid', nullable: true })
  sourceId: string | null;

  /** A finished send's counts, kept here by retention before it deleted the delivery rows ({recipients, sent, failed, pending, skipped, cancelled}). */
  @Column({ name: 'final_counts', type: 'jsonb', nullable: true })
  finalCounts: Record<string, number> | null;

  /** When retention deleted its delivery rows (UPDATE_DELIVERY_RETENTION_DAYS after the send finished). */
  @Column({ name: 'deliveries_purged_at', type: 'timestamptz', nullable: true })
  deliveriesPurgedAt: Date | null;

  /** The key its post carried (console form, Idempotency-Key): a repeat with the same key finds this update. */
  @Column({ name: 'request_key', type: 'text', nullable: true })
  requestKey!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
