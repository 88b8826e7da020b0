import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { Locale } from '../../common/locale';

import type { PrivacyRequestKind } from './dto/privacy-request-kind.dto';

/**
 * A supporter's erasure or access request, stored only when its email has signed something (the
 * route answers the same either way). Holds no address: its email goes to the address the
 * supporter signed with. Deleted a day after its link expired (PrivacyService.purge).
 */
@Entity({ name: 'privacy_requests' })
export class PrivacyRequest {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  kind: PrivacyRequestKind;

  /** Blind index of the email (infra/crypto/blind-index.ts); null once the erasure is done. */
  @Column({ name: 'email_hash', type: 'text', nullable: true })
  emailHash: string | null;

  /** Language of its email and of the erasure page. */
  @Column({ type: 'text' })
  locale: Locale;

  /** SHA-256 of the erasure link's token (erasures only): the token itself is never stored. */
  @Column({ name: 'token_hash', type: 'bytea', nullable: true, unique: true })
  tokenHash: Buffer | null;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  /** When the erasure was done through its link. */
  @Column({ name: 'used_at', type: 'timestamptz', nullable: true })
  usedAt: Date | null;
}
