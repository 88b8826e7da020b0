import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** cancelled: its signature was invalidated before the letter left (see LetterDeliveriesService.cancelForSignatures). */
export const LETTER_STATUSES = ['queued', 'sending', 'sent', 'failed', 'bounced', 'cancelled'] as const;
export type LetterStatus = (typeof LETTER_STATUSES)[number];

/** One letter to one target, from one signature or one digest (exactly one of the two), with its delivery state. */
@Entity({ name: 'letters' })
export class Letter {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'campaign_id', type: 'uuid' })
  campaignId: string;

  @Column({ name: 'target_id', type: 'uuid' })
  targetId: string;

  /** The supporter of a per_signature letter; null for a digest letter. */
  @Column({ name: 'signature_id', type: 'uuid', nullable: true })
  signatureId: string | null;

  /** The digest of a digest letter; null for a per_signature letter. */
  @Column({ name: 'digest_id', type: 'uuid', nullable: true })
  digestId: string | null;

  @Column({ type: 'text', default: 'queued' })
  status: LetterStatus;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  @Column({ name: 'message_id', type: 'text', nullable: true })
  messageId: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  /** When the dispatcher released it: counts against its target's hourly pace from then on. */
  @Column({ name: 'claimed_at', type: 'timestamptz', nullable: true })
  claimedAt: Date | null;

  @Column({ name: 'enqueued_at', type: 'timestamptz', nullable: true })
  enqueuedAt: Date | null;

  /** The one sender holding it may send it until then; null when nobody holds it. */
  @Column({ name: 'lease_until', type: 'timestamptz', nullable: true })
  leaseUntil: Date | null;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt: Date | null;
}
