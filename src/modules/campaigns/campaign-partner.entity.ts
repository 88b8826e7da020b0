import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const PARTNER_ROLES = ['editor', 'viewer'] as const;
/** An editor edits the texts, targets and letter and posts updates; a viewer sees the campaign and its stats. */
export type PartnerRole = (typeof PARTNER_ROLES)[number];

export const PARTNER_STATUSES = ['invited', 'accepted', 'declined', 'removed'] as const;
export type PartnerStatus = (typeof PARTNER_STATUSES)[number];

/**
 * An organisation the campaign's lead invited to run it with them. It acts on the campaign only
 * once `accepted`; a removed partner keeps its row (so an invitation again reuses its id, which
 * supporters' opt-outs from that partner name).
 */
@Entity({ name: 'campaign_partners' })
export class CampaignPartner {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'campaign_id', type: 'uuid' })
  campaignId: string;

  @Column({ name: 'organisation_id', type: 'uuid' })
  organisationId: string;

  @Column({ type: 'text' })
  role: PartnerRole;

  @Column({ type: 'text', default: 'invited' })
  status: PartnerStatus;

  /** The lead's organiser who invited (null once deleted). */
  @Column({ name: 'invited_by', type: 'uuid', nullable: true })
  invitedBy: string | null;

  @Column({ name: 'responded_at', type: 'timestamptz', nullable: true })
  respondedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
