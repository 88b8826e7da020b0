import { MigrationInterface, QueryRunner } from 'typeorm';

/** Organisations, organisers, campaigns with their counters, and targets. */
export class CreateFoundation1795266016580 implements MigrationInterface {
  name = 'CreateFoundation1795266016580';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE organisations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX organisations_name_key ON organisations (lower(name))`);

    await q.query(`
      CREATE TABLE organisers (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organisation_id uuid NOT NULL REFERENCES organisations (id) ON DELETE RESTRICT,
        email text NOT NULL CHECK (email = lower(btrim(email))),
        name text NOT NULL,
        role text NOT NULL CHECK (role IN ('admin', 'organiser')),
        password_hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX organisers_email_key ON organisers (email)`);
    await q.query(`CREATE INDEX organisers_organisation_id_idx ON organisers (organisation_id)`);

    await q.query(`
      CREATE TABLE campaigns (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organisation_id uuid NOT NULL REFERENCES organisations (id) ON DELETE RESTRICT,
        kind text NOT NULL CHECK (kind IN ('petition', 'urgent_action')),
        status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'live', 'closed', 'won')),
        slug text NOT NULL CHECK (length(slug) BETWEEN 1 AND 100),
        locale text NOT NULL CHECK (locale IN ('ar', 'en')),
        title text NOT NULL,
        summary text NOT NULL,
        body text NOT NULL,
        translations jsonb NOT NULL DEFAULT '{}'::jsonb,
        goal integer CHECK (goal > 0),
        ends_at timestamptz,
        letter_mode text NOT NULL DEFAULT 'none' CHECK (letter_mode IN ('per_signature', 'digest', 'none')),
        letter_subject text,
        letter_body text,
        outcome text,
        published_at timestamptz,
        closed_at timestamptz,
        won_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (status = 'draft' OR published_at IS NOT NULL)
      )`);
    await q.query(`CREATE UNIQUE INDEX campaigns_slug_key ON campaigns (slug)`);
    await q.query(`CREATE INDEX campaigns_organisation_id_idx ON campaigns (organisation_id, created_at DESC)`);
    await q.query(`CREATE INDEX campaigns_live_idx ON campaigns (published_at DESC, id DESC) WHERE status = 'live'`);
    await q.query(`CREATE INDEX campaigns_live_ends_at_idx ON campaigns (ends_at) WHERE status = 'live'`);

    await q.query(`
      CREATE TABLE campaign_counters (
        campaign_id uuid PRIMARY KEY REFERENCES campaigns (id) ON DELETE CASCADE,
        verified bigint NOT NULL DEFAULT 0 CHECK (verified >= 0),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE targets (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        campaign_id uuid NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
        name text NOT NULL,
        title text,
        organisation text,
        email text NOT NULL,
        locale text NOT NULL CHECK (locale IN ('ar', 'en')),
        country text CHECK (country ~ '^[A-Z]{2}$'),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX targets_campaign_id_idx ON targets (campaign_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE targets`);
    await q.query(`DROP TABLE campaign_counters`);
    await q.query(`DROP TABLE campaigns`);
    await q.query(`DROP TABLE organisers`);
    await q.query(`DROP TABLE organisations`);
  }
}
