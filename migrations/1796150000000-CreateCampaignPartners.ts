import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Coalitions: a campaign's lead organisation (campaigns.organisation_id) and its partners.
 *
 * - campaign_partners: an organisation the lead invited, as `editor` or `viewer`; it acts on the
 *   campaign only once `accepted`. A removed partner keeps its row (`removed`), so that an
 *   invitation again reuses it and supporters' opt-outs from that partner (by the row's id) hold.
 * - signatures.contact_organisation_ids: the organisations a supporter agreed may contact them
 *   (per-partner consent). Existing consent was given to the lead, the only organisation then.
 *   contact_consent stays, and is true exactly when the list is not empty.
 * - case_updates.organisation_id: the organisation that posted (and so sends) an update; null
 *   for those posted before: the lead's.
 * - update_opt_outs scope `partnership`: "no more updates of this campaign from this partner",
 *   scope_id a campaign_partners id (a `campaign` opt-out is one from the lead's emails).
 */
export class CreateCampaignPartners1796150000000 implements MigrationInterface {
  name = 'CreateCampaignPartners1796150000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE campaign_partners (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        campaign_id uuid NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
        organisation_id uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
        role text NOT NULL CHECK (role IN ('editor', 'viewer')),
        status text NOT NULL DEFAULT 'invited' CHECK (status IN ('invited', 'accepted', 'declined', 'removed')),
        invited_by uuid REFERENCES organisers (id) ON DELETE SET NULL,
        responded_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT campaign_partners_once UNIQUE (campaign_id, organisation_id)
      )`);
    await q.query(`CREATE INDEX campaign_partners_organisation_idx ON campaign_partners (organisation_id, status)`);
    await q.query(`ALTER TABLE signatures ADD COLUMN contact_organisation_ids uuid[] NOT NULL DEFAULT '{}'`);
    await q.query(`
      UPDATE signatures s SET contact_organisation_ids = ARRAY[c.organisation_id]
        FROM campaigns c WHERE c.id = s.campaign_id AND s.contact_consent`);
    await q.query(`ALTER TABLE case_updates ADD COLUMN organisation_id uuid REFERENCES organisations (id) ON DELETE SET NULL`);
    await q.query(`ALTER TABLE update_opt_outs DROP CONSTRAINT update_opt_outs_scope_check`);
    await q.query(`
      ALTER TABLE update_opt_outs ADD CONSTRAINT update_opt_outs_scope_check
        CHECK (scope IN ('campaign', 'organisation', 'suppressed', 'partnership'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM update_opt_outs WHERE scope = 'partnership'`);
    await q.query(`ALTER TABLE update_opt_outs DROP CONSTRAINT update_opt_outs_scope_check`);
    await q.query(`
      ALTER TABLE update_opt_outs ADD CONSTRAINT update_opt_outs_scope_check
        CHECK (scope IN ('campaign', 'organisation', 'suppressed'))`);
    await q.query(`ALTER TABLE case_updates DROP COLUMN organisation_id`);
    await q.query(`ALTER TABLE signatures DROP COLUMN contact_organisation_ids`);
    await q.query(`DROP TABLE campaign_partners`);
  }
}
