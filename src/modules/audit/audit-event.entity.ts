import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { AuditAction, AuditActorKind } from './audit-action';

/**
 * One recorded action: who (an organiser or admin, else the system or a supporter), when, what,
 * on which campaign and subject, from which address (its keyed hash). Never a supporter's email
 * or name: `details` holds counts, statuses and codes.
 */
@Entity({ name: 'audit_events' })
export class AuditEvent {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  at: Date;

  /** The organiser or admin who acted; null for the system and for a supporter. */
  @Column({ name: 'actor_id', type: 'uuid', nullable: true })
  actorId: string | null;

  @Column({ name: 'actor_kind', type: 'text' })
  actorKind: AuditActorKind;

  /** The organisation the action concerns (the campaign's, else the actor's): what its organisers may read. */
  @Column({ name: 'organisation_id', type: 'uuid', nullable: true })
  organisationId: string | null;

  @Column({ type: 'text' })
  action: AuditAction;

  @Column({ name: 'campaign_id', type: 'uuid', nullable: true })
  campaignId: string | null;

  /** What was acted on beyond the campaign: a block, an invalidation, a signature. */
  @Column({ name: 'subject_id', type: 'uuid', nullable: true })
  subjectId: string | null;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  details: Record<string, string | number | boolean | null>;

  /** The keyed hash of the client's address (as on a signature), never the address. */
  @Column({ name: 'ip_hash', type: 'text', nullable: true })
  ipHash: string | null;
}
