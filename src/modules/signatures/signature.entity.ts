import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { Locale } from '../../common/locale';

/** pending → verified (counted) → invalidated (taken out by a recorded invalidation); held: over a limit, not mailed, not counted. */
export type SignatureStatus = 'pending' | 'verified' | 'held' | 'invalidated';

/** A supporter's signature. Email and name are the most sensitive data Nida holds: never public, never logged. */
@Entity({ name: 'signatures' })
export class Signature {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'campaign_id', type: 'uuid' })
  campaignId: string;

  /** As typed (trimmed): where mail goes. Sealed (infra/crypto/keyring.ts); null once anonymised. */
  @Column({ type: 'text', nullable: true })
  email: string | null;

  /** Blind index of the normalised email (infra/crypto/blind-index.ts): one signature per campaign per index; null once anonymised. */
  @Column({ name: 'email_hash', type: 'text', nullable: true })
  emailHash: string | null;

  /** Sealed; null once anonymised. */
  @Column({ type: 'text', nullable: true })
  name: string | null;

  @Column({ type: 'text' })
  country: string;

  /** Sealed. */
  @Column({ type: 'text', nullable: true })
  city: string | null;

  /** Sealed. */
  @Column({ type: 'text', nullable: true })
  comment: string | null;

  /** The organisers' decision on the comment (meaningful only with one): `pending`, `approved` (shown when the campaign moderates) or `hidden`. */
  @Column({ name: 'comment_status', type: 'text', default: 'pending' })
  commentStatus: 'pending' | 'approved' | 'hidden';

  /** When an organiser last approved or hid the comment. */
  @Column({ name: 'comment_moderated_at', type: 'timestamptz', nullable: true })
  commentModeratedAt: Date | null;

  @Column({ name: 'show_name', type: 'boolean', default: false })
  showName: boolean;

  @Column({ name: 'contact_consent', type: 'boolean', default: false })
  contactConsent: boolean;

  /** The campaign's organisations the supporter agreed may contact them (lead, partners); empty without consent. */
  @Column({ name: 'contact_organisation_ids', type: 'uuid', array: true, default: () => "'{}'" })
  contactOrganisationIds: string[];

  /** The supporter agreed that an official may reply to them directly (their letter's Reply-To). */
  @Column({ name: 'reply_consent', type: 'boolean', default: false })
  replyConsent: boolean;

  @Column({ type: 'text' })
  locale: Locale;

  @Column({ type: 'text', default: 'pending' })
  status: SignatureStatus;

  /** Emails queued for this signature so far (capped by SIGNATURE_MAX_EMAILS). */
  @Column({ name: 'emails_queued', type: 'integer', default: 0 })
  emailsQueued: number;

  /** HMAC of the client address, for abuse checks; never the address itself. */
  @Column({ name: 'ip_hash', type: 'text', nullable: true })
  ipHash: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'verified_at', type: 'timestamptz', nullable: true })
  verifiedAt: Date | null;

  /** The email's domain (lower case), for limits, trending and invalidations; null once anonymised. */
  @Column({ name: 'email_domain', type: 'text', nullable: true })
  emailDomain: string | null;

  /** Why a held signature was held (e.g. `ip_burst`, `honeypot`). */
  @Column({ name: 'held_reason', type: 'text', nullable: true })
  heldReason: string | null;

  /** The invalidation that took this signature out of the count. */
  @Column({ name: 'invalidation_id', type: 'uuid', nullable: true })
  invalidationId: string | null;

  /** The id of the DATA_KEYS key that sealed this row's email, name, city and comment; null once anonymised. */
  @Column({ name: 'data_key', type: 'text', nullable: true })
  dataKey: string | null;

  /** When retention or an erasure removed the supporter's details (the row still counts). */
  @Column({ name: 'anonymised_at', type: 'timestamptz', nullable: true })
  anonymisedAt: Date | null;
}
