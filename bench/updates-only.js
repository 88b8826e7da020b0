'use strict';
/**
 * Scenarios U and U' of the benchmark alone (`npm run build && node bench/updates-only.js`): a case
 * update emailed to BENCH_UPDATE_RECIPIENTS (100,000) consenting supporters by Nida's worker, then
 * the same messages rendered and sent by raw pooled nodemailer, to one SMTP sink. The same figures
 * as `npm run bench`'s U/U' (emails/s, CPU µs per email, the worker's peak RSS), in minutes, on a
 * worker that has done nothing else.
 *
 * Its own database nida_bench_updates (dropped and recreated) and Redis prefix nida-bench-updates;
 * children stopped at the end. Settings: BENCH_UPDATE_RECIPIENTS (100000), BENCH_UPDATE_TIMEOUT
 * (s, 900), BENCH_PROFILE=1 (the worker runs with --cpu-prof: bench/results/profiles/), BENCH_MEMORY=1
 * (the worker writes process.memoryUsage() every 250 ms to bench/results/logs-updates/memory.jsonl:
 * heap against external memory at the peak), BENCH_WORKER_FLAGS (extra node flags for the worker).
 * Results: printed, and written to bench/results/updates-only.json.
 */
const fs = require('node:fs');
const path = require('node:path');
const { Client } = require('pg');
const Redis = require('ioredis');
const { Children, waitForMessage } = require('./lib/children');
const { freePorts, request, waitUntil, machineBusy, phaseTimer, baseEnv, NIDA_NODE_FLAGS } = require('./lib/util');
const db = require('./lib/db');
const { deletePrefixes } = require('./lib/redis-keys');
const updates = require('./lib/updates');
const { waitForQueueWorkers, nidaQueuePrefix } = require('./lib/queue-workers');

const ROOT = path.resolve(__dirname, '..');
const RESULTS_DIR = path.join(__dirname, 'results');
const LOG_DIR = path.join(RESULTS_DIR, 'logs-updates');
const DATABASE = 'nida_bench_updates';
const DATABASE_URL = `postgres://postgres@127.0.0.1:5432/${DATABASE}`;
const REDIS_PREFIX = 'nida-bench-updates';
const ADMIN = { email: 'bench@example.org', password: 'bench-password-123' };
const RECIPIENTS = Number(process.env.BENCH_UPDATE_RECIPIENTS || 100000);
const TIMEOUT = Number(process.env.BENCH_UPDATE_TIMEOUT || 900);
const PROFILE = process.env.BENCH_PROFILE === '1';
const MEMORY = process.env.BENCH_MEMORY === '1';
const FLAGS = (process.env.BENCH_WORKER_FLAGS || '').split(' ').filter(Boolean);

const say = (msg) => console.log(`[updates ${new Date().toISOString().slice(11, 19)}] ${msg}`);


/** Peaks of the worker's memory samples (MB): RSS, and the heap and external memory at that moment and at their own peaks. */
function memorySummary(file) {
  if (!fs.existsSync(file)) return null;
  const rows = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  if (!rows.length) return null;
  const mb = (b) => Math.round(b / 104857.6) / 10;
  const atPeak = rows.reduce((a, b) => (b.rss > a.rss ? b : a));
  const max = (k) => mb(Math.max(...rows.map((r) => r[k])));
  return {
    samples: rows.length,
    atPeakRss: { rss: mb(atPeak.rss), heapTotal: mb(atPeak.heapTotal), heapUsed: mb(atPeak.heapUsed), external: mb(atPeak.external), arrayBuffers: mb(atPeak.arrayBuffers) },
    peaks: { rss: max('rss'), heapTotal: max('heapTotal'), heapUsed: max('heapUsed'), external: max('external') },
  };
}

async function main() {
  const children = new Children(LOG_DIR);
  process.on('exit', () => children.killAllSync());
  const redis = new Redis({ host: '127.0.0.1', port: 6379, maxRetriesPerRequest: 1 });
  redis.on('error', () => undefined);
  let pg = null;
  const out = { startedAt: new Date().toISOString(), recipients: RECIPIENTS, profile: PROFILE, flags: FLAGS, phases: {} };
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
      // The rate limiter out of the way (its most), so the send measures the worker.
      BROADCAST_RATE_PER_SECOND: '10000',
    });
    const api = `http://127.0.0.1:${apiPort}`;
    const main = path.join(ROOT, 'dist/src/main.js');
    children.start('nida-api', [...NIDA_NODE_FLAGS, main], { cwd: ROOT, env: env('api', apiPort) });
    await waitUntil('GET /health = 200', async () => {
      children.assertAlive();
      return (await request('GET', `${api}/health`, { timeoutMs: 2000 })).status === 200;
    }, { timeoutMs: 90000, everyMs: 200 });
    const memoryFile = path.join(LOG_DIR, 'memory.jsonl');
    const workerArgs = [
      ...NIDA_NODE_FLAGS,
      ...FLAGS,
      ...(MEMORY ? ['-r', path.join(__dirname, 'lib/memory-probe.js')] : []),
      ...(PROFILE ? ['--cpu-prof', '--cpu-prof-dir', path.join(RESULTS_DIR, 'profiles'), '--cpu-prof-name', 'nida-updates-worker.cpuprofile'] : []),
      main,
    ];
    const worker = children.start('nida-worker', workerArgs, { cwd: ROOT, env: { ...env('worker', workerPort), ...(MEMORY ? { BENCH_MEMORY_FILE: memoryFile } : {}) } });
    await waitForQueueWorkers(children, { queue: 'update-send', prefix: nidaQueuePrefix(REDIS_PREFIX, 'update-send'), ready: () => worker.readyLine });
    let login;
    await waitUntil('the first admin to log in', async () => {
      login = await request('POST', `${api}/api/v1/auth/login`, { body: ADMIN });
      return login.status === 200;
    }, { timeoutMs: 30000, everyMs: 300 });
    pg = new Client({ connectionString: DATABASE_URL, application_name: 'nida-bench-updates' });
    await pg.connect();
    out.updates = await updates.updatesScenarios(RECIPIENTS, {
      root: ROOT,
      api,
      token: login.body.accessToken,
      sink,
      pids: { nidaWorker: worker.pid, smtpSink: sink.pid },
      pg,
      database: DATABASE,
      children,
      phase,
      say,
      timeoutSeconds: TIMEOUT,
    });
    if (MEMORY) out.updates.U.workerMemory = memorySummary(memoryFile);
    console.log(['', ...updates.reportLines(out.updates), ''].join('\n'));
    if (MEMORY) console.log(`Worker memory (MB): ${JSON.stringify(out.updates.U.workerMemory)}\n`);
    out.problems = children.all.filter((e) => e.warnings || e.errors).map((e) => ({ process: e.name, warnings: e.warnings, errors: e.errors, first: e.problems.slice(0, 5) }));
    if (out.problems.length) console.log(`Log problems: ${JSON.stringify(out.problems, null, 2)}`);
  } finally {
    await Promise.all(children.all.map((e) => children.stop(e, 15000)));
    if (pg) await pg.end().catch(() => undefined);
    await deletePrefixes(redis, [REDIS_PREFIX]).catch(() => undefined);
    await redis.quit().catch(() => redis.disconnect());
    fs.mkdirSync(RESULTS_DIR, { recursive: true });
    fs.writeFileSync(path.join(RESULTS_DIR, 'updates-only.json'), `${JSON.stringify(out, null, 2)}\n`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
