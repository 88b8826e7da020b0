/**
 * Settings for every e2e file: a database and Redis key prefix of this run and this Jest worker
 * (`nida_test_<run>_<worker>`, `nida-test-<run>-<worker>`), never the demo's and never another
 * run's. Runs before any test module is loaded.
 *
 * The signing limits and the page form's time check are off for every file (they sign many times
 * from 127.0.0.1, and post forms without waiting): the files about abuse defence turn them on
 * through createTestApp's overrides.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RUN_ENV, newRunId, testDatabaseBase, testRedisPrefixBase, testRedisUrl } from './run-id';

const worker = process.env.JEST_WORKER_ID ?? '1';
// The global setup names the run; a file run without it (an IDE) still gets a name of its own.
const run = process.env[RUN_ENV] ?? (process.env[RUN_ENV] = newRunId());

Object.assign(process.env, {
  NODE_ENV: 'test',
  APP_ROLE: 'all',
  HOST: '127.0.0.1',
  DATABASE_URL: `${testDatabaseBase()}_${run}_${worker}`,
  REDIS_URL: testRedisUrl(),
  REDIS_PREFIX: `${testRedisPrefixBase()}-${run}-${worker}`,
  PUBLIC_URL: 'http://nida.test',
  APP_SECRET: 'test-secret-test-secret-test-secret-0123456789',
  ADMIN_EMAIL: 'admin@nida.test',
  ADMIN_PASSWORD: 'admin-password-for-tests',
  DEMO_DATA: 'false',
  LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
  DATABASE_POOL_SIZE: '5',
  SIGN_LIMITS: 'off',
  SIGN_MIN_FORM_SECONDS: '0',
  // Photos land in a directory of this run and worker, never the checkout's storage/.
  STORAGE_DIR: join(tmpdir(), `nida-test-storage-${run}-${worker}`),
  // No share cards (a Chromium per published campaign) unless a file asks for them with CHROMIUM_PATH.
  CHROMIUM_PATH: '/nonexistent/chromium-share-cards-off',
  // Worker processes spawned by a test keep the test's priority (a niced worker on a loaded CI
  // machine would only slow the tests down); process.e2e checks WORKER_NICE itself.
  WORKER_NICE: '0',
});
