import { execSync } from 'node:child_process';
import { RUN_ENV, newRunId } from './run-id';
import { dropRunData } from './run-cleanup';

/**
 * Fails early, with a clear message, when PostgreSQL or Redis is not there; names this run (the
 * workers inherit NIDA_TEST_RUN) and clears what runs that were killed left behind.
 */
export default async function globalSetup(): Promise<void> {
  const { Client } = await import('pg');
  const client = new Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
  try {
    await client.connect();
    await client.end();
  } catch (error) {
    throw new Error(`E2E tests need PostgreSQL on 127.0.0.1:5432 (${(error as Error).message})`);
  }
  try {
    execSync('redis-cli -h 127.0.0.1 -p 6379 ping', { stdio: 'pipe' });
  } catch {
    // redis-cli may be absent; the app factory reports a missing Redis itself.
  }
  process.env[RUN_ENV] = newRunId();
  await dropRunData(undefined);
}
