'use strict';
/**
 * Scenarios L and L' of the benchmark alone (`npm run build && node bench/letters-only.js`):
 * BENCH_LETTERS (4,000) letters to two targets written straight into the table, released by the
 * dispatcher and sent by Nida's worker to an SMTP sink, then the same letters sent by raw pooled
 * nodemailer (MAIL_CONCURRENCY connections) to the same sink. Prints letters/s, the worker's CPU
 * µs per letter and the ratios, as `npm run bench`'s L/L' do, on a worker that has done nothing else.
 *
 * Its own database nida_bench_letters (dropped and recreated) and Redis prefix nida-bench-letters;
 * children stopped at the end. Settings: BENCH_LETTERS (4000), BENCH_LETTERS_TIMEOUT (s, 300),
 * BENCH_PROFILE=1 (the worker runs with --cpu-prof: bench/results/profiles/). Results: printed, and
 * written to bench/results/letters-only.json.
 */
const fs = require('node:fs');
const path = require('node:path');
const { Client } = require('pg');
const Redis = require('ioredis');
const { Children, waitForMessage } = require('./lib/children');
const { freePorts, request, waitUntil, machineBusy, phaseTimer, intEnv, baseEnv, NIDA_NODE_FLAGS } = require('./lib/util');
const db = require('./lib/db');
const { deletePrefixes } = require('./lib/redis-keys');
const letters = require('./lib/letters');
const { waitForQueueWorkers, nidaQueuePrefix } = require('./lib/queue-workers');

const ROOT = path.resolve(__dirname, '..');
const RESULTS_DIR = path.join(__dirname, 'results');
const LOG_DIR = path.join(RESULTS_DIR, 'logs-letters');
const DATABASE = 'nida_bench_letters';
const DATABASE_URL = `postgres://postgres@127.0.0.1:5432/${DATABASE}`;
const REDIS_PREFIX = 'nida-bench-letters';
const ADMIN = { email: 'bench@example.org', password: 'bench-password-123' };
const LETTERS = intEnv('BENCH_LETTERS', 4000, 2, 200000);
const TIMEOUT = intEnv('BENCH_LETTERS_TIMEOUT', 300, 5, 3600);
/** Nida's default MAIL_CONCURRENCY: the worker's SMTP pool, and raw nodemailer's pool and in-flight. */
const MAIL_CONCURRENCY = 5;
const PROFILE = process.env.BENCH_PROFILE === '1';
const FLAGS = (process.env.BENCH_WORKER_FLAGS || '').split(' ').filter(Boolean);

const say = (msg) => console.log(`[letters ${new Date().toISOString().slice(11, 19)}] ${msg}`);


async function main() {
  const children = new Children(LOG_DIR);
  process.on('exit', () => children.killAllSync());
  const redis = new Redis({ host: '127.0.0.1', port: 6379, maxRetriesPerRequest: 1 });
  redis.on('error', () => undefined);
  let pg = null;
  const out = { startedAt: new Date().toISOString(), letters: LETTERS, profile: PROFILE, flags: FLAGS, phases: {} };
  const phase = phaseTimer(out, say);
  try {
    fs.mkdirSync(LOG_DIR, { recursive: true });
    out.busyBeforeStartPercent = await machineBusy(1000);
    await db.recreateDatabase(DATABASE_URL);
    await deletePrefixes(redis, [REDIS_PREFIX]);
    const sink = children.start('smtp-sink', [path.join(__dirname, 'smtp-sink.js')], { cwd: ROOT, env: baseEnv(), ipc: true });
    sink.port = (await waitForMessage(sink, 'ready')).port;
    const [apiPort, workerPort] = await freePorts(2);
    const env = (role, port) => ({
      ...baseEnv(),
      NODE_ENV: 'development',
      APP_ROLE: role,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL,
      REDIS_URL: 'redis://127.0.0.1:6379',
      REDIS_PREFIX,
      SMTP_URL: `smtp://127.0.0.1:${sink.port}`,
      LOG_LEVEL: 'warn',
      DEMO_DATA: 'false',
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      SIGN_LIMITS: 'off',
      // No pacing in the way (100,000 an hour per target is the most the setting allows).
      LETTER_PACE_PER_HOUR: '100000',
      MAIL_CONCURRENCY: String(MAIL_CONCURRENCY),
    });
    const api = `http://127.0.0.1:${apiPort}`;
    const main = path.join(ROOT, 'dist/src/main.js');
    children.start('nida-api', [...NIDA_NODE_FLAGS, main], { cwd: ROOT, env: env('api', apiPort) });
    await waitUntil('GET /health = 200', async () => {
      children.assertAlive();
      return (await request('GET', `${api}/health`, { timeoutMs: 2000 })).status === 200;
    }, { timeoutMs: 90000, everyMs: 200 });
    const workerArgs = [
      ...NIDA_NODE_FLAGS,
      ...FLAGS,
      ...(PROFILE ? ['--cpu-prof', '--cpu-prof-dir', path.join(RESULTS_DIR, 'profiles'), '--cpu-prof-name', 'nida-letters-worker.cpuprofile'] : []),
      main,
    ];
    const worker = children.start('nida-worker', workerArgs, { cwd: ROOT, env: env('worker', workerPort) });
    await waitForQueueWorkers(children, { queue: 'letters', prefix: nidaQueuePrefix(REDIS_PREFIX, 'letters'), ready: () => worker.readyLine });
    let login;
    await waitUntil('the first admin to log in', async () => {
      login = await request('POST', `${api}/api/v1/auth/login`, { body: ADMIN });
      return login.status === 200;
    }, { timeoutMs: 30000, everyMs: 300 });
    pg = new Client({ connectionString: DATABASE_URL, application_name: 'nida-bench-letters' });
    await pg.connect();
    out.letters = await letters.lettersScenarios(
      { total: LETTERS, timeoutSeconds: TIMEOUT, concurrency: MAIL_CONCURRENCY, database: DATABASE },
      { pg, children, phase, say, api, token: login.body.accessToken, sink, pids: { nidaWorker: worker.pid, smtpSink: sink.pid } },
    );
    console.log(['', ...letters.reportLines(out.letters), ''].join('\n'));
    out.problems = children.all.filter((e) => e.warnings || e.errors).map((e) => ({ process: e.name, warnings: e.warnings, errors: e.errors, first: e.problems.slice(0, 5) }));
    if (out.problems.length) console.log(`Log problems: ${JSON.stringify(out.problems, null, 2)}`);
  } finally {
    await Promise.all(children.all.map((e) => children.stop(e, 15000)));
    if (pg) await pg.end().catch(() => undefined);
    await deletePrefixes(redis, [REDIS_PREFIX]).catch(() => undefined);
    await redis.quit().catch(() => redis.disconnect());
    fs.mkdirSync(RESULTS_DIR, { recursive: true });
    fs.writeFileSync(path.join(RESULTS_DIR, 'letters-only.json'), `${JSON.stringify(out, null, 2)}\n`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
