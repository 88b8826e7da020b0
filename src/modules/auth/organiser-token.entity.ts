import { Column, Entity, PrimaryColumn } from 'typeorm';

export const ORGANISER_TOKEN_PURPOSES = ['password_reset', 'invitation'] as const;
export type OrganiserTokenPurpose = (typeof ORGANISER_TOKEN_PURPOSES)[number];

/** A one-use link mailed to an organiser (a password reset, an invitation), stored only as its token's hash. */
@Entity({ name: 'organiser_tokens' })
export class OrganiserToken {
  @PrimaryColumn({ name: 'token_hash', type: 'bytea' })
  tokenHash: Buffer;

  /** References organisers (ON DELETE CASCADE in the migration). */
  @Column({ name: 'organiser_id', type: 'uuid' })
  organiserId: string;

  @Column({ type: 'text' })
  purpose: OrganiserTokenPurpose;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Column({ name: 'used_at', type: 'timestamptz', nullable: true })
  usedAt: Date | null;
}
