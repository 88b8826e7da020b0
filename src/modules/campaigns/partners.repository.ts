import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { CampaignStatus } from './campaign.entity';
import type { PartnerRole, PartnerStatus } from './campaign-partner.entity';

/** A partnership as listed: the partner organisation's name beside its row. */
export interface PartnerRow {
  id: string;
  campaignId: string;
  organisationId: string;
  organisationName: string;
  role: PartnerRole;
  status: PartnerStatus;
  createdAt: Date;
  respondedAt: Date | null;
}

/** A partnership as the partner sees it: the campaign and its lead. */
export interface PartnershipRow extends PartnerRow {
  campaign: { slug: string; title: string; status: CampaignStatus };
  lead: { id: string; name: string };
}

interface RawPartner {
  id: string;
  campaign_id: string;
  organisation_id: string;
  organisation_name: string;
  role: PartnerRole;
  status: PartnerStatus;
  created_at: Date;
  responded_at: Date | null;
}

const PARTNER_COLUMNS = `p.id, p.campaign_id, p.organisation_id, o.name AS organisation_name, p.role, p.status, p.created_at, p.responded_at`;

/** The only code that queries campaign_partners (organisations' names are read by name, never written). */
@Injectable()
export class PartnersRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The role of an organisation that accepted to run this campaign, or null. */
  async acceptedRole(campaignId: string, organisationId: string): Promise<PartnerRole | null> {
    const rows: { role: PartnerRole }[] = await this.dataSource.query(
      `SELECT role FROM campaign_partners WHERE campaign_id = $1 AND organisation_id = $2 AND status = 'accepted'`,
      [campaignId, organisationId],
    );
    return rows[0]?.role ?? null;
  }

  /** The campaign's partners in any status but removed, in order of invitation. */
  async list(campaignId: string): Promise<PartnerRow[]> {
    const rows: RawPartner[] = await this.dataSource.query(
      `SELECT ${PARTNER_COLUMNS} FROM campaign_partners p JOIN organisations o ON o.id = p.organisation_id
        WHERE p.campaign_id = $1 AND p.status <> 'removed' ORDER BY p.created_at, p.id`,
      [campaignId],
    );
    return rows.map(partnerOf);
  }

  /** The accepted partners' organisations, by name (what the public page names). */
  async acceptedOrganisations(campaignIds: string[]): Promise<Map<string, { id: string; name: string }[]>> {
    const out = new Map<string, { id: string; name: string }[]>();
    if (!campaignIds.length) return out;
    const rows: { campaign_id: string; id: string; name: string }[] = await this.dataSource.query(
      `SELECT p.campaign_id, o.id, o.name FROM campaign_partners p JOIN organisations o ON o.id = p.organisation_id
        WHERE p.campaign_id = ANY($1::uuid[]) AND p.status = 'accepted' ORDER BY p.responded_at, p.id`,
      [campaignIds],
    );
    for (const r of rows) out.set(r.campaign_id, [...(out.get(r.campaign_id) ?? []), { id: r.id, name: r.name }]);
    return out;
  }

  /**
   * Invites an organisation (a new row, or one that declined or was removed, invited again with
   * this role). Returns the row, or null when the organisation is already invited or a partner
   * (the statement decides, so two invitations racing make one row).
   */
  async invite(campaignId: string, organisationId: string, role: PartnerRole, invitedBy: string): Promise<PartnerRow | null> {
    const rows: { id: string }[] = await this.dataSource.query(
      `INSERT INTO campaign_partners (campaign_id, organisation_id, role, invited_by) VALUES ($1, $2, $3, $4)
       ON CONFLICT ON CONSTRAINT campaign_partners_once DO UPDATE
          SET role = EXCLUDED.role, status = 'invited', invited_by = EXCLUDED.invited_by, responded_at = NULL,
              created_at = now(), updated_at = now()
        WHERE campaign_partners.status IN ('declined', 'removed')
       RETURNING id`,
      [campaignId, organisationId, role, invitedBy],
    );
    return rows[0] ? this.byId(rows[0].id) : null;
  }

  /** Changes a partner's role (invited or accepted). Null when there is no such partner. */
  async setRole(campaignId: string, organisationId: string, role: PartnerRole): Promise<PartnerRow | null> {
    const [rows]: [{ id: string }[], number] = await this.dataSource.query(
      `UPDATE campaign_partners SET role = $3, updated_at = now()
        WHERE campaign_id = $1 AND organisation_id = $2 AND status IN ('invited', 'accepted') RETURNING id`,
      [campaignId, organisationId, role],
    );
    return rows[0] ? this.byId(rows[0].id) : null;
  }

  /** Moves a partnership from one of `from` to `to`; null when it was in none of them (or does not exist). */
  async move(campaignId: string, organisationId: string, from: PartnerStatus[], to: PartnerStatus): Promise<PartnerRow | null> {
    const [rows]: [{ id: string }[], number] = await this.dataSource.query(
      `UPDATE campaign_partners SET status = $4, updated_at = now(),
              responded_at = CASE WHEN $4 IN ('accepted', 'declined') THEN now() ELSE responded_at END
        WHERE campaign_id = $1 AND organisation_id = $2 AND status = ANY($3::text[]) RETURNING id`,
      [campaignId, organisationId, from, to],
    );
    return rows[0] ? this.byId(rows[0].id) : null;
  }

  async find(campaignId: string, organisationId: string): Promise<PartnerRow | null> {
    const rows: RawPartner[] = await this.dataSource.query(
      `SELECT ${PARTNER_COLUMNS} FROM campaign_partners p JOIN organisations o ON o.id = p.organisation_id
        WHERE p.campaign_id = $1 AND p.organisation_id = $2`,
      [campaignId, organisationId],
    );
    return rows[0] ? partnerOf(rows[0]) : null;
  }

  private async byId(id: string): Promise<PartnerRow> {
    const rows: RawPartner[] = await this.dataSource.query(
      `SELECT ${PARTNER_COLUMNS} FROM campaign_partners p JOIN organisations o ON o.id = p.organisation_id WHERE p.id = $1`,
      [id],
    );
    return partnerOf(rows[0]);
  }

  /** An organisation's invitations and partnerships (not removed; declined ones only with `declined`), newest first. */
  async ofOrganisation(organisationId: string, declined = false): Promise<PartnershipRow[]> {
    const rows: (RawPartner & { slug: string; title: string; campaign_status: CampaignStatus; lead_id: string; lead_name: string })[] =
      await this.dataSource.query(
        `SELECT ${PARTNER_COLUMNS}, c.slug, c.title, c.status AS campaign_status, c.organisation_id AS lead_id, l.name AS lead_name
           FROM campaign_partners p
           JOIN organisations o ON o.id = p.organisation_id
           JOIN campaigns c ON c.id = p.campaign_id
           JOIN organisations l ON l.id = c.organisation_id
          WHERE p.organisation_id = $1 AND (p.status IN ('invited', 'accepted') OR ($2 AND p.status = 'declined'))
          ORDER BY p.created_at DESC, p.id`,
        [organisationId, declined],
      );
    return rows.map((r) => ({
      ...partnerOf(r),
      campaign: { slug: r.slug, title: r.title, status: r.campaign_status },
      lead: { id: r.lead_id, name: r.lead_name },
    }));
  }

  async organisationName(id: string): Promise<string | null> {
    const rows: { name: string }[] = await this.dataSource.query(`SELECT name FROM organisations WHERE id = $1`, [id]);
    return rows[0]?.name ?? null;
  }

  /** Every organisation but one, by name (the lead's choice of whom to invite). */
  async organisationsExcept(id: string): Promise<{ id: string; name: string }[]> {
    return this.dataSource.query(`SELECT id, name FROM organisations WHERE id <> $1 ORDER BY name, id`, [id]);
  }

  /** Whether an organisation exists (an invitation names one). */
  async organisationExists(id: string): Promise<boolean> {
    return (await this.dataSource.query(`SELECT 1 FROM organisations WHERE id = $1`, [id])).length > 0;
  }
}

function partnerOf(r: RawPartner): PartnerRow {
  return {
    id: r.id,
    campaignId: r.campaign_id,
    organisationId: r.organisation_id,
    organisationName: r.organisation_name,
    role: r.role,
    status: r.status,
    createdAt: r.created_at,
    respondedAt: r.responded_at,
  };
}
