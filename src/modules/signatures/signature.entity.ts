import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { Locale } from '../../common/locale';

export type SignatureStatus = 'pending' | 'verified';

/** A supporter's signature. Email and name are the most sensitive data Nida holds: never public, never logged. */
@Entity({ name: 'signatures' })
export class Signature {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'campaign_id', type: 'uuid' })
  campaignId: string;

  /** As typed (trimmed): where mail goes. */
  @Column({ type: 'text' })
  email: string;

  /** Normalised (see email-key.ts): one signature per campaign per key. */
  @Column({ name: 'email_key', type: 'text' })
  emailKey: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text' })
  country: string;

  @Column({ type: 'text', nullable: true })
  city: string | null;

  @Column({ type: 'text', nullable: true })
  comment: string | null;

  @Column({ name: 'show_name', type: 'boolean', default: false })
  showName: boolean;

  @Column({ name: 'contact_consent', type: 'boolean', default: false })
  contactConsent: boolean;

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
}
