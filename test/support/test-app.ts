import { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createHttpApp } from '../../src/app.factory';
import { Environment, validateEnvironment } from '../../src/config/environment';
import { ensureDatabase, runMigrations } from '../../src/infra/database/database-setup';
import { postgresErrorCode } from '../../src/infra/database/postgres-errors';
import { createRedis, masters, quit, type RedisClient } from '../../src/infra/redis/redis-connection';
import { SetupService } from '../../src/modules/setup/setup.service';

export interface TestApp {
  app: NestFastifyApplication;
  env: Environment;
  http: () => ReturnType<typeof request>;
  db: DataSource;
  /** A client of the app's Redis, or of its cluster (REDIS_CLUSTER_NODES): on a cluster, KEYS and SCAN see one master only (see masters). */
  redis: RedisClient;
  /** A bearer token for the first admin (created from ADMIN_EMAIL). */
  adminToken: () => Promise<string>;
  close: () => Promise<void>;
}

const TABLES = [
  'dossier_sends',
  'organiser_notices',
  'update_opt_outs',
  'update_deliveries',
  'case_updates',
  'audit_events',
  'console_sessions',
  'organiser_tokens',
  'target_replies',
  'letters',
  'digests',
  'campaign_letter_translations',
  'campaign_milestones',
  'campaign_day_counters',
  'campaign_country_counters',
  'tally_events',
  'mail_outbox',
  'privacy_requests',
  'signature_tokens',
  'signatures',
  'targets',
  'campaign_counters',
  'campaign_media',
  'campaign_partners',
  'campaigns',
  'blocks',
  'organisers',
  'organisations',
];

/**
 * Empties every table. The app's background loops (relay, tally, sweeps) keep running, and
 * TRUNCATE takes its locks table by table, so PostgreSQL may pick it as a deadlock's victim
 * against one of them (CI saw it once): it is then tried again, a few times.
 */
export async function truncateAll(db: DataSource): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await db.query(`TRUNCATE ${TABLES.join(', ')} RESTART IDENTITY CASCADE`);
      return;
    } catch (error) {
      if (postgresErrorCode(error) !== '40P01' || attempt === 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20 * attempt));
    }
  }
}

/**
 * Deletes this test worker's Redis keys (never the demo's: they have another prefix). On a
 * cluster, SCAN walks one master's keys, so it runs on every master, deleting there (a key lives
 * on the master that SCAN found it on; one at a time, as DEL of several keys needs them in one slot).
 */
export async function flushPrefix(redis: RedisClient, prefix: string): Promise<void> {
  for (const node of masters(redis)) {
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length) await (node === redis ? node.del(...keys) : Promise.all(keys.map((key) => node.del(key))));
      cursor = next;
    } while (cursor !== '0');
  }
}

/**
 * The whole app (role `all`) on the real PostgreSQL and Redis, with a clean database and the
 * first admin created, as at a first start. Overrides change settings for this file only.
 */
export async function createTestApp(overrides: Record<string, string> = {}): Promise<TestApp> {
  const env = validateEnvironment({ ...process.env, ...overrides });
  await ensureDatabase(env.DATABASE_URL);
  await runMigrations(env);
  const redis = createRedis(env, { maxRetriesPerRequest: 1 });
  if (redis.status !== 'ready') await new Promise((resolve, reject) => redis.once('ready', resolve).once('error', reject));
  // Redis is emptied before the workers start, so none loses a job under its feet.
  await flushPrefix(redis, env.REDIS_PREFIX);
  const app = await createHttpApp(env);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  const db = app.get(DataSource);
  await truncateAll(db);
  await app.get(SetupService).run();

  const http = () => request(app.getHttpServer());
  let token: string | undefined;
  return {
    app,
    env,
    http,
    db,
    redis,
    adminToken: async () => {
      if (!token) {
        const res = await http()
          .post('/api/v1/auth/login')
          .send({ email: env.ADMIN_EMAIL, password: env.ADMIN_PASSWORD });
        if (res.status !== 200) throw new Error(`admin login failed: ${res.status} ${JSON.stringify(res.body)}`);
        token = res.body.accessToken as string;
      }
      return token;
    },
    close: async () => {
      await app.close();
      await quit(redis);
    },
  };
}
