import { MigrationInterface, QueryRunner } from 'typeorm';
import { emailKey } from '../src/common/email-key';
import { validateEnvironment } from '../src/config/environment';
import { BlindIndex } from '../src/infra/crypto/blind-index';
import { Keyring } from '../src/infra/crypto/keyring';

const BATCH = 1000;

interface PlainRow {
  id: string;
  email: string;
  email_key: string;
  name: string;
  city: string | null;
  comment: string | null;
}

interface SealedRow {
  id: string;
  email: string | null;
  name: string | null;
  city: string | null;
  comment: string | null;
}

/**
 * Supporters' email, name, city and comment are stored sealed (AES-256-GCM under DATA_KEYS, see
 * src/infra/crypto/keyring.ts), with the id of the key that sealed the row (`data_key`). The
 * normalised email gives way to its blind index (`email_hash`, a keyed HMAC); the email's
 * domain, which the limits and the trending report read, becomes a column written by Nida (it
 * was computed from the plain email). Anonymisation (retention, erasure) empties the sealed
 * columns and the index and sets `anonymised_at`.
 *
 * Rows already there are sealed here, in batches, with the keys of this process's environment
 * (so DATA_KEYS must be set before migrating a production database); down() opens them again.
 */
export class EncryptSupporterData1796009683191 implements MigrationInterface {
  name = 'EncryptSupporterData1796009683191';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE signatures ALTER COLUMN email_domain DROP EXPRESSION`);
    await q.query(`ALTER TABLE signatures ALTER COLUMN email_domain DROP NOT NULL`);
    await q.query(`ALTER TABLE signatures ALTER COLUMN email DROP NOT NULL, ALTER COLUMN name DROP NOT NULL`);
    await q.query(`ALTER TABLE signatures ADD COLUMN email_hash text, ADD COLUMN data_key text, ADD COLUMN anonymised_at timestamptz`);
    const env = validateEnvironment(process.env);
    const keyring = Keyring.fromEnvironment(env);
    const index = BlindIndex.fromEnvironment(env);
    for (let after = '00000000-0000-0000-0000-000000000000'; ; ) {
      const rows: PlainRow[] = await q.query(
        `SELECT id, email, email_key, name, city, comment FROM signatures WHERE id > $1 ORDER BY id LIMIT $2`,
        [after, BATCH],
      );
      if (!rows.length) break;
      await q.query(
        `UPDATE signatures s SET email = v.email, name = v.name, city = v.city, comment = v.comment,
                email_hash = v.email_hash, data_key = $1
           FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
                AS v(id, email, name, city, comment, email_hash)
          WHERE s.id = v.id`,
        [
          keyring.currentKeyId,
          rows.map((r) => r.id),
          rows.map((r) => keyring.seal('signature.email', r.email)),
          rows.map((r) => keyring.seal('signature.name', r.name)),
          rows.map((r) => keyring.sealOrNull('signature.city', r.city)),
          rows.map((r) => keyring.sealOrNull('signature.comment', r.comment)),
          rows.map((r) => index.ofKey(r.email_key)),
        ],
      );
      after = rows[rows.length - 1].id;
    }
    await q.query(`DROP INDEX signatures_campaign_email_key`);
    await q.query(`ALTER TABLE signatures DROP COLUMN email_key`);
    // Leading with the index serves both the signing's ON CONFLICT and an erasure's lookup across campaigns.
    await q.query(`CREATE UNIQUE INDEX signatures_email_hash_campaign_key ON signatures (email_hash, campaign_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE signatures ADD COLUMN email_key text`);
    const env = validateEnvironment(process.env);
    const keyring = Keyring.fromEnvironment(env);
    for (let after = '00000000-0000-0000-0000-000000000000'; ; ) {
      const rows: SealedRow[] = await q.query(
        `SELECT id, email, name, city, comment FROM signatures WHERE id > $1 ORDER BY id LIMIT $2`,
        [after, BATCH],
      );
      if (!rows.length) break;
      // An anonymised row has no email left: it gets a key of its own and empty texts.
      const emails = rows.map((r) => (r.email === null ? null : keyring.open('signature.email', r.email)));
      await q.query(
        `UPDATE signatures s SET email = coalesce(v.email, ''), name = coalesce(v.name, ''), city = v.city, comment = v.comment,
                email_key = coalesce(v.email_key, 'anonymised:' || s.id)
           FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
                AS v(id, email, name, city, comment, email_key)
          WHERE s.id = v.id`,
        [
          rows.map((r) => r.id),
          emails,
          rows.map((r) => keyring.openOrNull('signature.name', r.name)),
          rows.map((r) => keyring.openOrNull('signature.city', r.city)),
          rows.map((r) => keyring.openOrNull('signature.comment', r.comment)),
          emails.map((e) => (e === null ? null : emailKey(e))),
        ],
      );
      after = rows[rows.length - 1].id;
    }
    await q.query(`DROP INDEX signatures_email_hash_campaign_key`);
    await q.query(`ALTER TABLE signatures DROP COLUMN email_hash, DROP COLUMN data_key, DROP COLUMN anonymised_at`);
    await q.query(`ALTER TABLE signatures ALTER COLUMN email SET NOT NULL, ALTER COLUMN name SET NOT NULL, ALTER COLUMN email_key SET NOT NULL`);
    await q.query(`CREATE UNIQUE INDEX signatures_campaign_email_key ON signatures (campaign_id, email_key)`);
    await q.query(`DROP INDEX signatures_domain_recent_idx`);
    await q.query(`ALTER TABLE signatures DROP COLUMN email_domain`);
    await q.query(`ALTER TABLE signatures ADD COLUMN email_domain text NOT NULL GENERATED ALWAYS AS (lower(split_part(email, '@', 2))) STORED`);
    await q.query(`CREATE INDEX signatures_domain_recent_idx ON signatures (email_domain, created_at)`);
  }
}
