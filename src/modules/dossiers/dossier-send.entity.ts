import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type DossierSendStatus = 'pending' | 'sent' | 'failed';

/**
 * One email of a target's dossier (the petition as a PDF) to that target, asked for by an
 * organiser. Its id is the BullMQ jobId and the Message-ID; it is sent under a lease, once.
 */
@Entity({ name: 'dossier_sends' })
export class DossierSend {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'campaign_id', type: 'uuid' })
  campaignId: string;

  @Column({ name: 'target_id', type: 'uuid' })
  targetId: string;

  @Column({ name: 'requested_by', type: 'uuid', nullable: true })
  requestedBy: string | null;

  /** One per console form: the same click sent twice queues one email. */
  @Column({ name: 'request_key', type: 'uuid' })
  requestKey: string;

  @Column({ type: 'text', default: 'pending' })
  status: DossierSendStatus;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  @Column({ name: 'message_id', type: 'text', nullable: true })
  messageId: string | null;

  @Column({ name: 'lease_until', type: 'timestamptz', nullable: true })
  leaseUntil: Date | null;

  @Column({ name: 'enqueued_at', type: 'timestamptz', nullable: true })
  enqueuedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt: Date | null;
}
