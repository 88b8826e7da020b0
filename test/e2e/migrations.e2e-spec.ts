import { Client } from 'pg';
import { validateEnvironment } from '../../src/config/environment';
import { ensureDatabase, revertLastMigration, runMigrations } from '../../src/infra/database/database-setup';
import { MIGRATIONS } from '../../migrations';
import { EncryptSupporterData1796009683191 } from '../../migrations/1796009683191-EncryptSupporterData';
import { BlindIndex } from '../../src/infra/crypto/blind-index';
import { Keyring } from '../../src/infra/crypto/keyring';

/** Every migration applies on an empty database, reverts with down(), and applies again. */
describe('migrations', () => {
  const url = `${process.env.DATABASE_URL}_migrations`;
  const env = validateEnvironment({ ...process.env, DATABASE_URL: url });
  const name = new URL(url).pathname.slice(1);

  const tables = async () => {
    const client = new Client({ connectionString: url });
    await client.connect();
    const { rows } = await client.query(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
    );
    await client.end();
    return rows.map((r: { table_name: string }) => r.table_name);
  };

  beforeAll(async () => {
    const admin = new Client({ connectionString: url.replace(/\/[^/]+$/, '/postgres') });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${name}"`);
    await admin.end();
  });

  it('creates the database, migrates up, down to nothing, and up again', async () => {
    expect(await ensureDatabase(url)).toBe(true);
    expect(await ensureDatabase(url)).toBe(false);

    const applied = await runMigrations(env);
    expect(applied).toEqual(MIGRATIONS.map((m) => new m().name));
    expect(await tables()).toEqual(
      expect.arrayContaining(['campaign_counters', 'campaigns', 'mail_outbox', 'migrations', 'organisations', 'organisers', 'signatures', 'tally_events', 'targets']),
    );
    expect(await runMigrations(env)).toEqual([]);

    for (let i = 0; i < MIGRATIONS.length; i++) expect(await revertLastMigration(env)).toBe(true);
    expect(await revertLastMigration(env)).toBe(false);
    expect(await tables()).toEqual(['migrations']);

    expect(await runMigrations(env)).toHaveLength(MIGRATIONS.length);
  });

  it('applies once when several processes migrate at the same time', async () => {
    for (let i = 0; i < MIGRATIONS.length; i++) await revertLastMigration(env);
    const results = await Promise.all([runMigrations(env), runMigrations(env), runMigrations(env)]);
    expect(results.flat()).toHaveLength(MIGRATIONS.length);
  });

  it('seals the signatures already there when supporters\' data becomes encrypted, and opens them again on revert', async () => {
    const query = async <T>(sql: string, params: unknown[] = []): Promise<T[]> => {
      const client = new Client({ connectionString: url });
      await client.connect();
      try {
        return (await client.query(sql, params)).rows as T[];
      } finally {
        await client.end();
      }
    };
    const at = MIGRATIONS.indexOf(EncryptSupporterData1796009683191);
    for (let i = at; i < MIGRATIONS.length; i++) await revertLastMigration(env);
    const [org] = await query<{ id: string }>(`INSERT INTO organisations (name) VALUES ('Marshes Network') RETURNING id`);
    const [campaign] = await query<{ id: string }>(
      `INSERT INTO campaigns (organisation_id, kind, slug, locale, title, summary, body) VALUES ($1, 'petition', 'old', 'ar', 't', 's', 'b') RETURNING id`,
      [org.id],
    );
    await query(
      `INSERT INTO signatures (campaign_id, email, email_key, name, country, city, comment, locale)
       VALUES ($1, 'Layla.H+x@googlemail.com', 'laylah@gmail.com', 'ليلى حسن', 'IQ', 'البصرة', 'Free him', 'ar'),
              ($1, 'omar@example.org', 'omar@example.org', 'Omar', 'SY', NULL, NULL, 'en')`,
      [campaign.id],
    );

    await runMigrations(env);
    const keys = Keyring.fromEnvironment(env);
    const index = BlindIndex.fromEnvironment(env);
    const sealed = await query<Record<string, string | null>>(`SELECT email, email_hash, email_domain, name, city, comment, data_key FROM signatures ORDER BY country`);
    expect(sealed.map((r) => [r.data_key, r.email_domain, r.email_hash])).toEqual([
      [keys.currentKeyId, 'googlemail.com', index.email('laylah@gmail.com')],
      [keys.currentKeyId, 'example.org', index.email('omar@example.org')],
    ]);
    expect(JSON.stringify(sealed)).not.toMatch(/Layla|ليلى|البصرة|Free him|omar@|Omar/);
    const opened = sealed.map((r) => [
      keys.openOrNull('signature.email', r.email),
      keys.openOrNull('signature.name', r.name),
      keys.openOrNull('signature.city', r.city),
      keys.openOrNull('signature.comment', r.comment),
    ]);
    expect(opened).toEqual([
      ['Layla.H+x@googlemail.com', 'ليلى حسن', 'البصرة', 'Free him'],
      ['omar@example.org', 'Omar', null, null],
    ]);

    for (let i = at; i < MIGRATIONS.length; i++) await revertLastMigration(env);
    expect(await query(`SELECT email, email_key, email_domain, name, city, comment FROM signatures ORDER BY country`)).toEqual([
      { email: 'Layla.H+x@googlemail.com', email_key: 'laylah@gmail.com', email_domain: 'googlemail.com', name: 'ليلى حسن', city: 'البصرة', comment: 'Free him' },
      { email: 'omar@example.org', email_key: 'omar@example.org', email_domain: 'example.org', name: 'Omar', city: null, comment: null },
    ]);
    await runMigrations(env);
  });
});
