import { Client } from 'pg';
import { validateEnvironment } from '../../src/config/environment';
import { ensureDatabase, revertLastMigration, runMigrations } from '../../src/infra/database/database-setup';
import { MIGRATIONS } from '../../migrations';

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
});
