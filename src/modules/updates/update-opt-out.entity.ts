import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

export const OPT_OUT_SCOPES = ['campaign', 'organisation', 'suppressed', 'partnership'] as const;
export type OptOutScope = (typeof OPT_OUT_SCOPES)[number];

/**
 * An address that gets no more updates: by the blind index of its email (never the email), for
 * one campaign (its lead's emails), one partner on one campaign (`partnership`: scope_id a
 * campaign_partners id), one organisation, or (`suppressed`, after a hard bounce) every update.
 */
@Entity({ name: 'update_opt_outs' })
export class UpdateOptOut {
  @PrimaryColumn({ name: 'email_hash', type: 'text' })
  emailHash: string;

  @PrimaryColumn({ type: 'text' })
  scope: OptOutScope;

  /** The campaign or organisation; for `suppressed`, the organisation whose email bounced (informational). */
  @PrimaryColumn({ name: 'scope_id', type: 'uuid' })
  scopeId: string;

  /** `one-click`, `page`, `mailto`, or the bounce status. */
  @Column({ type: 'text', nullable: true })
  reason: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
