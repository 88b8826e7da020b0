import { Client } from 'pg';
import { DataSource } from 'typeorm';
import type { Environment } from '../../config/environment';
import { dataSourceOptions } from './data-source-options';

/** An arbitrary constant: the advisory lock every process takes before touching the schema. */
const MIGRATION_LOCK = 4_260_001;

/** Creates the database named in DATABASE_URL when it does not exist yet. */
export async function ensureDatabase(databaseUrl: string): Promise<boolean> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.replace(/^\//, ''));
  const admin = new URL(databaseUrl);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount) return false;
    try {
      await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
      return true;
    } catch (error) {
      // Another process created it between our look and our create.
      if ((error as { code?: string }).code === '42P04') return false;
      throw error;
    }
  } finally {
    await client.end();
  }
}

/** Runs `fn` with a data source holding the schema lock, so concurrent starts migrate once. */
async function withSchemaLock<T>(env: Environment, fn: (ds: DataSource) => Promise<T>): Promise<T> {
  // Migrations are SQL: this connection loads no entities, so no entity can stand in their way.
  const ds = new DataSource({ ...dataSourceOptions(env, []), extra: { max: 2 } });
  await ds.initialize();
  const runner = ds.createQueryRunner();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      return await fn(ds);
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } finally {
    await runner.release();
    await ds.destroy();
  }
}

/** Applies pending migrations; returns their names. */
export function runMigrations(env: Environment): Promise<string[]> {
  return withSchemaLock(env, async (ds) => (await ds.runMigrations({ transaction: 'each' })).map((m) => m.name));
}

/** Reverts the last applied migration; returns whether one was reverted. */
export function revertLastMigration(env: Environment): Promise<boolean> {
  return withSchemaLock(env, async (ds) => {
    const before: { n: number }[] = await ds.query('SELECT count(*)::int AS n FROM migrations').catch(() => [{ n: 0 }]);
    if (!before[0].n) return false;
    await ds.undoLastMigration({ transaction: 'each' });
    return true;
  });
}
