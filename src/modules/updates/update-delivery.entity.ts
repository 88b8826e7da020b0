import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const DELIVERY_STATUSES = ['pending', 'sent', 'failed', 'skipped', 'cancelled'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/**
 * One supporter's copy of a notified update: written once by the fan-out (unique per update and
 * signature), sent under a lease; its id is the job id and the Message-ID, so a repeat after a
 * crash carries the same one.
 */
@Entity({ name: 'update_deliveries' })
export class UpdateDelivery {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'update_id', type: 'uuid' })
  updateId: string;

  @Column({ name: 'signature_id', type: 'uuid' })
  signatureId: string;

  /** pending → sent | failed; skipped (opted out or gone before its turn); cancelled (the send was). */
  @Column({ type: 'text', default: 'pending' })
  status: DeliveryStatus;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  @Column({ name: 'message_id', type: 'text', nullable: true })
  messageId: string | null;

  @Column({ name: 'enqueued_at', type: 'timestamptz', nullable: true })
  enqueuedAt: Date | null;

  @Column({ name: 'lease_until', type: 'timestamptz', nullable: true })
  leaseUntil: Date | null;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
