import { readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { Client } from 'pg';
import { alive, runPid, testDatabaseBase, testRedisPrefixBase, testRedisUrl } from './run-id';

/** The maintenance database beside the test databases (to create and drop them from). */
function adminUrl(): { url: string; base: string } {
  const url = new URL(testDatabaseBase());
  const base = decodeURIComponent(url.pathname.slice(1));
  url.pathname = '/postgres';
  return { url: url.toString(), base };
}

/** Which of the names belongs to `run`, or (run undefined) to a run whose runner is gone. */
function owned(name: string, prefix: string, run: string | undefined): boolean {
  if (!name.startsWith(prefix)) return false;
  const id = name.slice(prefix.length).split(/[_-]/)[0];
  if (run) return id === run;
  const pid = runPid(id);
  return pid !== undefined && !alive(pid);
}

/**
 * Drops the databases and Redis keys of one run (`run`), or of every earlier run whose runner
 * no longer exists (a run that was killed). Never touches a live run's, nor the demo's.
 */
export async function dropRunData(run: string | undefined): Promise<string[]> {
  const dropped: string[] = [];
  const { url, base } = adminUrl();
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const rows = await client.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE $1`,
      [`${base.replace(/[_%\\]/g, '\\$&')}\\_%`],
    );
    for (const { datname } of rows.rows) {
      if (!owned(datname, `${base}_`, run)) continue;
      await client.query(`DROP DATABASE IF EXISTS "${datname.replace(/"/g, '""')}" WITH (FORCE)`);
      dropped.push(datname);
    }
  } finally {
    await client.end();
  }

  const redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: 1, lazyConnect: true });
  try {
    await redis.connect();
    const prefix = `${testRedisPrefixBase()}-`;
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      const mine = keys.filter((key) => owned(key, prefix, run));
      if (mine.length) await redis.del(...mine);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }

  // The photo stores of the run's workers (test/support/env.ts: STORAGE_DIR in the temp directory).
  const storagePrefix = 'nida-test-storage-';
  for (const name of readdirSync(tmpdir())) {
    if (owned(name, storagePrefix, run)) rmSync(join(tmpdir(), name), { recursive: true, force: true });
  }
  return dropped;
}
