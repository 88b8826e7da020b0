/**
 * Settings for every e2e file: its own database and Redis key prefix per Jest worker, never the
 * demo's. Runs before any test module is loaded.
 */
const worker = process.env.JEST_WORKER_ID ?? '1';
const base = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/nida_test';

Object.assign(process.env, {
  NODE_ENV: 'test',
  APP_ROLE: 'all',
  DATABASE_URL: `${base}_${worker}`,
  REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
  REDIS_PREFIX: `${process.env.TEST_REDIS_PREFIX ?? 'nida-test'}-${worker}`,
  PUBLIC_URL: 'http://nida.test',
  APP_SECRET: 'test-secret-test-secret-test-secret-0123456789',
  ADMIN_EMAIL: 'admin@nida.test',
  ADMIN_PASSWORD: 'admin-password-for-tests',
  DEMO_DATA: 'false',
  LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
  DATABASE_POOL_SIZE: '5',
});
