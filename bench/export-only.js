'use strict';
/**
 * Scenario E of the benchmark alone (`npm run build && node bench/export-only.js`): the organisers'
 * CSV export (GET /api/v1/campaigns/:id/signatures.csv?status=verified) of 10,000 and of BENCH_BIG
 * (1,000,000) verified signatures, sealed by the app's Keyring, streamed by an api process of its own
 * whose RSS is sampled every 100 ms (/proc). The same figures as `npm run bench`'s E10k/EBig, in a
 * few minutes instead of the whole run; it reuses the bench's helpers.
 *
 * Its own database nida_bench_export (dropped and recreated) and Redis prefix nida-bench-export;
 * children stopped at the end. Settings: BENCH_BIG (1000000), BENCH_BIG_TIMEOUT (s, 300),
 * BENCH_EXPORT_FLAGS (extra node flags for the api, e.g. --max-old-space-size=96), BENCH_REUSE=1 (keep
 * the database of the previous run, with its BENCH_BIG rows, and export only the big CSV: for trying
 * a change to the export quickly).
 * Results: printed, and written to bench/results/export-only.json.
 */
const fs = require('node:fs');
const path = require('node:path');
const { Client } = require('pg');
const Redis = require('ioredis');
const { Children } = require('./lib/children');
const { freePorts, request, waitUntil, fmtInt, baseEnv, NIDA_NODE_FLAGS } = require('./lib/util');
const db = require('./lib/db');
const { deletePrefixes } = require('./lib/redis-keys');
const { sealedPools, exportCsv } = require('./lib/export');

const ROOT = path.resolve(__dirname, '..');
const RESULTS_DIR = path.join(__dirname, 'results');
const LOG_DIR = path.join(RESULTS_DIR, 'logs-export');
const DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/nida_bench_export';
const REDIS_PREFIX = 'nida-bench-export';
const ADMIN = { email: 'bench@example.org', password: 'bench-password-123' };
const SMALL = 10000;
const BIG = Number(process.env.BENCH_BIG || 1000000);
const BIG_TIMEOUT = Number(process.env.BENCH_BIG_TIMEOUT || 300);
const FLAGS = (process.env.BENCH_EXPORT_FLAGS || '').split(' ').filter(Boolean);
const REUSE = process.env.BENCH_REUSE === '1';

const say = (msg) => console.log(`[export ${new Date().toISOString().slice(11, 19)}] ${msg}`);


async function main() {
  const children = new Children(LOG_DIR);
  process.on('exit', () => children.killAllSync());
  const redis = new Redis({ host: '127.0.0.1', port: 6379, maxRetriesPerRequest: 1 });
  redis.on('error', () => undefined);
  let pg = null;
  try {
    if (!REUSE) await db.recreateDatabase(DATABASE_URL);
    await deletePrefixes(redis, [REDIS_PREFIX]);
    const [port] = await freePorts(1);
    const env = {
      ...baseEnv(),
      NODE_ENV: 'development',
      APP_ROLE: 'api',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL,
      REDIS_URL: 'redis://127.0.0.1:6379',
      REDIS_PREFIX,
      SMTP_URL: 'smtp://127.0.0.1:9',
      LOG_LEVEL: 'warn',
      DEMO_DATA: 'false',
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      SIGN_LIMITS: 'off',
    };
    const url = `http://127.0.0.1:${port}`;
    const api = children.start('nida-api-export', [...NIDA_NODE_FLAGS, ...FLAGS, path.join(ROOT, 'dist/src/main.js')], { cwd: ROOT, env });
    await waitUntil('GET /health = 200', async () => {
      children.assertAlive();
      return (await request('GET', `${url}/health`, { timeoutMs: 2000 })).status === 200;
    }, { timeoutMs: 90000, everyMs: 200 });
    let login;
    await waitUntil('the first admin to log in', async () => {
      login = await request('POST', `${url}/api/v1/auth/login`, { body: ADMIN });
      return login.status === 200;
    }, { timeoutMs: 30000, everyMs: 300 });
    const token = login.body.accessToken;
    pg = new Client({ connectionString: DATABASE_URL, application_name: 'nida-bench-export' });
    await pg.connect();
    let campaignId;
    if (REUSE) {
      campaignId = (await pg.query("SELECT id FROM campaigns WHERE title = 'Export bench' ORDER BY created_at LIMIT 1")).rows[0].id;
    } else {
      const created = await request('POST', `${url}/api/v1/campaigns`, {
        token,
        body: { kind: 'petition', title: 'Export bench', summary: 's', body: 'b', locale: 'en', goal: 1000000 },
      });
      if (created.status !== 201) throw new Error(`create campaign: ${created.status}`);
      campaignId = created.body.id;
    }
    const pools = sealedPools(ROOT, env);
    const out = { startedAt: new Date().toISOString(), big: BIG, flags: FLAGS, exports: {} };
    const exportOnce = async (id, rows) => {
      const result = await exportCsv(`${url}/api/v1/campaigns/${campaignId}/signatures.csv?status=verified`, token, api.pid);
      if (result.rows !== rows) throw new Error(`${id}: ${result.rows} rows, expected ${rows}`);
      children.assertAlive();
      out.exports[id] = result;
      say(`${id}: ${fmtInt(result.rows)} rows in ${result.seconds} s = ${fmtInt(result.rowsPerSecond)} rows/s, ` +
        `${Math.round(result.bytes / 1048576)} MB; api RSS ${result.rssMb.before} MB before, peak ${result.rssMb.peak} MB, after ${result.rssMb.after} MB`);
    };
    if (REUSE) {
      await exportOnce('EBig', BIG);
      say(`peak RSS ${out.exports.EBig.rssMb.peak} MB at ${fmtInt(BIG)}`);
      return;
    }
    say(`insert ${fmtInt(SMALL)} verified signatures`);
    await db.insertVerified(pg, campaignId, 1, SMALL, 120, pools);
    await pg.query('ANALYZE signatures');
    await exportOnce('E10k', SMALL);
    say(`insert ${fmtInt(BIG - SMALL)} more`);
    await db.insertVerified(pg, campaignId, SMALL + 1, BIG, BIG_TIMEOUT, pools);
    await pg.query('VACUUM (ANALYZE) signatures');
    await pg.query('CHECKPOINT');
    await exportOnce('EBig', BIG);
    const e10k = out.exports.E10k.rssMb.peak;
    const eBig = out.exports.EBig.rssMb.peak;
    say(`peak RSS ${e10k} MB at 10k, ${eBig} MB at ${fmtInt(BIG)} (ratio ${Math.round((eBig / e10k) * 100) / 100}; target < 200 MB each, ≤ 1.25)`);
    fs.mkdirSync(RESULTS_DIR, { recursive: true });
    fs.writeFileSync(path.join(RESULTS_DIR, 'export-only.json'), JSON.stringify(out, null, 2));
  } finally {
    await Promise.all(children.all.map((e) => children.stop(e, 10000)));
    if (pg) await pg.end().catch(() => undefined);
    await deletePrefixes(redis, [REDIS_PREFIX]).catch(() => undefined);
    await redis.quit().catch(() => redis.disconnect());
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
