import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A confirmation token of a signature, stored only as its hash. */
@Entity({ name: 'signature_tokens' })
export class SignatureToken {
  @PrimaryColumn({ name: 'token_hash', type: 'bytea' })
  tokenHash: Buffer;

  @Column({ name: 'signature_id', type: 'uuid' })
  signatureId: string;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
