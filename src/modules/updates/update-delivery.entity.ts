import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const DELIVERY_STATUSES = ['pending', 'sent', 'failed', 'skipped', 'cancelled'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/**
 * One supporter's copy of a notified update: written once by the fan-out (unique per update and
 * signature), claimed in a batch and sent under a lease; its id is in the Message-ID, so a repeat
 * after a crash carries the same one.
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

  /** Until when its sender holds it (claimed in a batch), or, after a temporary failure, not to be tried before. */
  @Column({ name: 'lease_until', type: 'timestamptz', nullable: true })
  leaseUntil: Date | null;

  /** The holder's mark on the batch it claimed: only it renews or gives back these rows. */
  @Column({ name: 'lease_token', type: 'uuid', nullable: true })
  leaseToken: string | null;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
