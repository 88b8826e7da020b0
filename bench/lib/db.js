'use strict';
// PostgreSQL chores of the benchmark: its own database, the baseline's tables, bulk data.
const { Client } = require('pg');

/** Drops and recreates the benchmark database (and only it). */
async function recreateDatabase(databaseUrl) {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  if (!/^nida_bench[a-z0-9_]*$/.test(name)) throw new Error(`Refusing to drop database ${name}: not a nida_bench database`);
  const admin = new URL(databaseUrl);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString(), application_name: 'nida-bench' });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${name}"`);
    const { rows } = await client.query('SHOW server_version');
    return rows[0].server_version;
  } finally {
    await client.end();
  }
}

/** The baseline's own tables, shaped like Nida's (same unique and secondary indexes, same FKs). */
async function createBaselineSchema(db) {
  await db.query(`
    CREATE SCHEMA baseline;
    CREATE TABLE baseline.campaigns (id uuid PRIMARY KEY);
    CREATE TABLE baseline.counters (
      campaign_id uuid PRIMARY KEY REFERENCES baseline.campaigns (id) ON DELETE CASCADE,
      verified bigint NOT NULL DEFAULT 0,
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE TABLE baseline.signatures (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      campaign_id uuid NOT NULL REFERENCES baseline.campaigns (id) ON DELETE CASCADE,
      email text NOT NULL,
      email_key text NOT NULL,
      name text NOT NULL,
      country text NOT NULL,
      locale text NOT NULL,
      status text NOT NULL DEFAULT 'pending',
      emails_queued integer NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL DEFAULT now(),
      verified_at timestamptz
    );
    CREATE UNIQUE INDEX baseline_signatures_campaign_email_key ON baseline.signatures (campaign_id, email_key);
    CREATE INDEX baseline_signatures_campaign_status_idx ON baseline.signatures (campaign_id, status);
    CREATE TABLE baseline.tokens (
      token_hash bytea PRIMARY KEY,
      signature_id uuid NOT NULL REFERENCES baseline.signatures (id) ON DELETE CASCADE,
      expires_at timestamptz NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX baseline_tokens_signature_id_idx ON baseline.tokens (signature_id);
    CREATE TABLE baseline.outbox (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      kind text NOT NULL,
      signature_id uuid REFERENCES baseline.signatures (id) ON DELETE CASCADE,
      token_seed bytea,
      status text NOT NULL DEFAULT 'pending',
      created_at timestamptz NOT NULL DEFAULT now(),
      enqueued_at timestamptz,
      sent_at timestamptz
    );
    CREATE INDEX baseline_outbox_pending_idx ON baseline.outbox (created_at) WHERE status = 'pending';
    CREATE INDEX baseline_outbox_signature_id_idx ON baseline.outbox (signature_id);
  `);
}

async function addBaselineCampaign(db, campaignId) {
  await db.query('INSERT INTO baseline.campaigns (id) VALUES ($1)', [campaignId]);
  await db.query('INSERT INTO baseline.counters (campaign_id, verified) VALUES ($1, 0)', [campaignId]);
}

/**
 * Inserts verified signatures numbered from..to (inclusive) for a campaign into Nida's table, in
 * one INSERT … SELECT … FROM generate_series. Emails v<n>@bench.invalid never collide with the
 * signing scenario's b<n>@example.org (email_hash holds that text: unique, never looked up). With
 * `pools` (lib/export.js sealedPools) the email, name, city and comment are values sealed by the
 * app's Keyring, taken in turn, and every row consented to be contacted by the campaign's organisation
 * (an export holds only those): rows as the export meets them; without, `plain:` values.
 */
async function insertVerified(db, campaignId, from, to, timeoutSeconds, pools = null) {
  if (to < from) return 0;
  await db.query(`SET statement_timeout = ${Math.max(1, Math.round(timeoutSeconds)) * 1000}`);
  try {
    const res = pools
      ? await db.query(
          `INSERT INTO signatures (campaign_id, email, email_hash, email_domain, name, city, comment, country, locale, status,
                                   verified_at, emails_queued, show_name, contact_consent, data_key, contact_organisation_ids)
           SELECT $1, ($4::text[])[1 + g % $8], 'v' || g || '@bench.invalid', 'bench.invalid', ($5::text[])[1 + g % $8],
                  ($6::text[])[1 + g % $8], ($7::text[])[1 + g % $8], (ARRAY['IQ', 'EG', 'LB', 'JO', 'MA'])[1 + g % 5],
                  'ar', 'verified', now(), 1, g % 3 = 0, true, $9, ARRAY[(SELECT organisation_id FROM campaigns WHERE id = $1)]
             FROM generate_series($2::int, $3::int) AS g`,
          [campaignId, from, to, pools.emails, pools.names, pools.cities, pools.comments, pools.emails.length, pools.keyId],
        )
      : await db.query(
          `INSERT INTO signatures (campaign_id, email, email_hash, name, country, locale, status, verified_at, emails_queued)
           SELECT $1, 'plain:v' || g || '@bench.invalid', 'v' || g || '@bench.invalid', 'plain:Bench Signer',
                  (ARRAY['IQ', 'EG', 'LB', 'JO', 'MA'])[1 + g % 5], 'en', 'verified', now(), 1
             FROM generate_series($2::int, $3::int) AS g`,
          [campaignId, from, to],
        );
    return res.rowCount;
  } finally {
    await db.query('SET statement_timeout = 0');
  }
}

async function signatureCounts(db, campaignId) {
  const { rows } = await db.query(
    `SELECT count(*) FILTER (WHERE status = 'verified')::int AS verified,
            count(*) FILTER (WHERE status = 'pending')::int AS pending,
            count(*) FILTER (WHERE status = 'held')::int AS held
       FROM signatures WHERE campaign_id = $1`,
    [campaignId],
  );
  return rows[0];
}

async function outboxCounts(db) {
  const { rows } = await db.query(
    `SELECT count(*) FILTER (WHERE status = 'pending')::int AS pending,
            count(*) FILTER (WHERE status = 'sent')::int AS sent,
            count(*) FILTER (WHERE status = 'failed')::int AS failed,
            count(*) FILTER (WHERE attempts > 1)::int AS retried
       FROM mail_outbox`,
  );
  return rows[0];
}

async function baselineCounts(db) {
  const { rows } = await db.query(
    `SELECT (SELECT count(*)::int FROM baseline.signatures) AS signatures,
            (SELECT count(*)::int FROM baseline.tokens) AS tokens,
            (SELECT count(*)::int FROM baseline.outbox) AS outbox`,
  );
  return rows[0];
}

async function relationSizes(db) {
  const { rows } = await db.query(
    `SELECT pg_size_pretty(pg_total_relation_size('signatures')) AS signatures,
            pg_size_pretty(pg_database_size(current_database())) AS database`,
  );
  return rows[0];
}

module.exports = {
  recreateDatabase,
  createBaselineSchema,
  addBaselineCampaign,
  insertVerified,
  signatureCounts,
  outboxCounts,
  baselineCounts,
  relationSizes,
};
