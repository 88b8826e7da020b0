import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { Locale } from '../../common/locale';

/** Emails about a signature, to its signer. */
export const SIGNATURE_MAIL_KINDS = ['signature.confirmation', 'signature.already-signed'] as const;
export type SignatureMailKind = (typeof SIGNATURE_MAIL_KINDS)[number];
/** Emails to an organiser, rendered from the row's own data (`payload`) in its `locale`. */
export const ORGANISER_MAIL_KINDS = [
  'admin.trending-alert',
  'organiser.password-reset',
  'organiser.invitation',
  'organiser.milestone',
  'organiser.deadline-soon',
] as const;
export type OrganiserMailKind = (typeof ORGANISER_MAIL_KINDS)[number];
/** Emails answering a supporter's erasure or access request (privacy_requests), to the address they signed with. */
export const PRIVACY_MAIL_KINDS = ['privacy.erasure-link', 'privacy.access-report'] as const;
export type PrivacyMailKind = (typeof PRIVACY_MAIL_KINDS)[number];
export const MAIL_KINDS = [...SIGNATURE_MAIL_KINDS, ...ORGANISER_MAIL_KINDS, ...PRIVACY_MAIL_KINDS] as const;
export type MailKind = (typeof MAIL_KINDS)[number];
export type MailStatus = 'pending' | 'sent' | 'failed';

/**
 * One email Nida owes someone. Written in the same transaction as the change that causes it;
 * its id is the BullMQ jobId and the Message-ID, so a send is never duplicated by a retry.
 */
@Entity({ name: 'mail_outbox' })
export class MailOutbox {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  kind: MailKind;

  /** The signature a signer's email is about; null for an organiser's email. */
  @Column({ name: 'signature_id', type: 'uuid', nullable: true })
  signatureId: string | null;

  /** The organiser an organiser's email goes to (exactly one of this, `signatureId` and `privacyRequestId` is set). */
  @Column({ name: 'to_organiser_id', type: 'uuid', nullable: true })
  toOrganiserId: string | null;

  /** The erasure or access request a privacy email answers. */
  @Column({ name: 'privacy_request_id', type: 'uuid', nullable: true })
  privacyRequestId: string | null;

  /** An organiser's email: its language. */
  @Column({ type: 'text', nullable: true })
  locale: Locale | null;

  /** An organiser's email: what its template shows (counts, hashes, domains, countries; never a supporter's email or name). */
  @Column({ type: 'jsonb', nullable: true })
  payload: Record<string, unknown> | null;

  /** Seed of the confirmation (or erasure) token in this email; cleared once sent. */
  @Column({ name: 'token_seed', type: 'bytea', nullable: true })
  tokenSeed: Buffer | null;

  @Column({ type: 'text', default: 'pending' })
  status: MailStatus;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  @Column({ name: 'message_id', type: 'text', nullable: true })
  messageId: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'enqueued_at', type: 'timestamptz', nullable: true })
  enqueuedAt: Date | null;

  /** The one sender holding it may send it until then; null when nobody holds it. */
  @Column({ name: 'lease_until', type: 'timestamptz', nullable: true })
  leaseUntil: Date | null;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt: Date | null;
}
