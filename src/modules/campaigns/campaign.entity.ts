import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { CampaignTranslations, Locale } from '../../common/locale';
import type { LetterMode } from '../../common/letter-mode';

export const CAMPAIGN_KINDS = ['petition', 'urgent_action'] as const;
export type CampaignKind = (typeof CAMPAIGN_KINDS)[number];

/** An urgent action's case, as its page shows it at the top (a fixed list; null: not said). */
export const CASE_STATUSES = ['ongoing', 'detained', 'disappeared', 'on_trial', 'sentenced', 'released', 'resolved'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/** `in_review`: an organiser asked to publish and PUBLISH_REQUIRES_REVIEW holds it for an admin (not public, takes no signatures). */
export const CAMPAIGN_STATUSES = ['draft', 'in_review', 'live', 'closed', 'won'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

/** Whether supporters' comments show on the public page: never, once an organiser approves them, or once verified. */
export const COMMENT_MODES = ['off', 'moderated', 'open'] as const;
export type CommentMode = (typeof COMMENT_MODES)[number];

@Entity({ name: 'campaigns' })
export class Campaign {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'organisation_id', type: 'uuid' })
  organisationId: string;

  @Column({ type: 'text' })
  kind: CampaignKind;

  @Column({ type: 'text', default: 'draft' })
  status: CampaignStatus;

  @Column({ type: 'text' })
  slug: string;

  @Column({ type: 'text' })
  locale: Locale;

  @Column({ type: 'text' })
  title: string;

  @Column({ type: 'text' })
  summary: string;

  @Column({ type: 'text' })
  body: string;

  @Column({ type: 'jsonb', default: () => "'{}'::jsonb" })
  translations: CampaignTranslations;

  @Column({ type: 'integer', nullable: true })
  goal: number | null;

  @Column({ name: 'ends_at', type: 'timestamptz', nullable: true })
  endsAt: Date | null;

  /** The IANA zone its pages show dates in; null: PAGE_TIME_ZONE. */
  @Column({ name: 'time_zone', type: 'text', nullable: true })
  timeZone: string | null;

  @Column({ name: 'letter_mode', type: 'text', default: 'none' })
  letterMode: LetterMode;

  @Column({ name: 'letter_subject', type: 'text', nullable: true })
  letterSubject: string | null;

  @Column({ name: 'letter_body', type: 'text', nullable: true })
  letterBody: string | null;

  /** What was won, in the organiser's words ("released", "law withdrawn"). */
  @Column({ type: 'text', nullable: true })
  outcome: string | null;

  /** An urgent action's case status (CASE_STATUSES); null for petitions and until an organiser sets it. */
  @Column({ name: 'case_status', type: 'text', nullable: true })
  caseStatus: CaseStatus | null;

  /** Whether a win and a reply recorded public are posted, and emailed to consenting supporters, as updates by themselves. */
  @Column({ name: 'auto_notify', type: 'boolean', default: false })
  autoNotify: boolean;

  /** Which supporters' comments its public page shows (COMMENT_MODES). */
  @Column({ type: 'text', default: 'moderated' })
  comments: CommentMode;

  /** Why an admin sent it back from review, for its organisers; cleared when they ask again. */
  @Column({ name: 'review_note', type: 'text', nullable: true })
  reviewNote: string | null;

  /** When an organiser asked to publish it (while `in_review`). */
  @Column({ name: 'review_requested_at', type: 'timestamptz', nullable: true })
  reviewRequestedAt: Date | null;

  @Column({ name: 'published_at', type: 'timestamptz', nullable: true })
  publishedAt: Date | null;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt: Date | null;

  @Column({ name: 'won_at', type: 'timestamptz', nullable: true })
  wonAt: Date | null;

  /** When the retention job anonymised its supporters (SIGNATURE_RETENTION_DAYS_AFTER_CLOSE after it closed or was won); cleared when it is reopened. */
  @Column({ name: 'supporters_anonymised_at', type: 'timestamptz', nullable: true })
  supportersAnonymisedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
