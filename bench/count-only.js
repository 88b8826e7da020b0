'use strict';
/**
 * Scenarios B and B' of the benchmark alone (`npm run build && node bench/count-only.js`, under a
 * minute): count reads, GET /api/v1/campaigns/:slug/count on one Nida api process (B) against
 * GET /count on the bare server (B', bench/baseline-server.js: one counter row read per request);
 * req/s, p50/p99, the ratio B/B' (target ≥ 0.8) and CPU µs per request of each server and of
 * PostgreSQL. BENCH_COUNT_ROUNDS (1) runs B then B' that many times, alternating.
 *
 * Its own database nida_bench_count (dropped and recreated) and Redis prefixes nida-bench-count and
 * nida-bench-count-baseline; children stopped at the end. Settings: BENCH_DURATION (s, 8),
 * BENCH_CONNECTIONS (64), BENCH_WARMUP (s, 2), BENCH_COUNT_ROUNDS (1). Results: printed, and written
 * to bench/results/count-only.json (logs of the children in bench/results/logs-count/).
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { Client } = require('pg');
const Redis = require('ioredis');
const { Children, waitForMessage } = require('./lib/children');
const { freePorts, request, waitUntil, cpuMeter, machineBusy, intEnv, phaseTimer, baseEnv, NIDA_NODE_FLAGS } = require('./lib/util');
const { load, getRequest } = require('./lib/load');
const db = require('./lib/db');
const { deletePrefixes } = require('./lib/redis-keys');

const ROOT = path.resolve(__dirname, '..');
const RESULTS_DIR = path.join(__dirname, 'results');
const LOG_DIR = path.join(RESULTS_DIR, 'logs-count');
const DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/nida_bench_count';
const REDIS = { host: '127.0.0.1', port: 6379 };
const REDIS_PREFIX = 'nida-bench-count';
const BASELINE_PREFIX = 'nida-bench-count-baseline';
const ADMIN = { email: 'bench@example.org', password: 'bench-password-123' };

const say = (msg) => console.log(`[count ${new Date().toISOString().slice(11, 19)}] ${msg}`);


/** Logs in as the first admin, creates and publishes a campaign: its slug. */
async function publishedCampaign(api) {
  let login;
  await waitUntil('the first admin to be able to log in', async () => {
    login = await request('POST', `${api}/api/v1/auth/login`, { body: ADMIN });
    if (login.status === 200) return true;
    if (login.status !== 401) throw Object.assign(new Error(`login: ${login.status} ${JSON.stringify(login.body)}`), { fatal: true });
    return false;
  }, { timeoutMs: 30000, everyMs: 300 });
  const token = login.body.accessToken;
  const created = await request('POST', `${api}/api/v1/campaigns`, {
    token,
    body: { kind: 'petition', title: 'Bench campaign', summary: 's', body: 'b', locale: 'en', goal: 1000000 },
  });
  if (created.status !== 201) throw new Error(`create campaign: ${created.status} ${JSON.stringify(created.body)}`);
  const published = await request('POST', `${api}/api/v1/campaigns/${created.body.id}/publish`, { token });
  if (published.status !== 200) throw new Error(`publish: ${published.status} ${JSON.stringify(published.body)}`);
  return { id: created.body.id, slug: created.body.slug };
}

async function main() {
  const distMain = path.join(ROOT, 'dist/src/main.js');
  if (!fs.existsSync(distMain)) throw new Error('dist/src/main.js is missing: npm run build first');
  const config = {
    duration: intEnv('BENCH_DURATION', 8, 1, 600),
    connections: intEnv('BENCH_CONNECTIONS', 64, 1, 1000),
    warmup: intEnv('BENCH_WARMUP', 2, 0, 60),
    rounds: intEnv('BENCH_COUNT_ROUNDS', 1, 1, 5),
  };
  const children = new Children(LOG_DIR);
  process.on('exit', () => children.killAllSync());
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => {
      children.killAllSync();
      process.exit(130);
    });
  }
  const out = {
    startedAt: new Date().toISOString(),
    config,
    machine: { cpus: os.cpus().length, node: process.version, busyBeforeStartPercent: await machineBusy(1000), loadAverage: os.loadavg() },
    phases: {},
    runs: [],
  };
  const phase = phaseTimer(out, say);
  const pg = new Client({ connectionString: DATABASE_URL, application_name: 'nida-bench-count' });
  const redis = new Redis({ ...REDIS, maxRetriesPerRequest: 1, lazyConnect: true });
  redis.on('error', () => undefined);
  try {
    fs.mkdirSync(LOG_DIR, { recursive: true });
    for (const f of fs.readdirSync(LOG_DIR)) if (f.endsWith('.log')) fs.rmSync(path.join(LOG_DIR, f));
    await phase('prepare database and Redis', async () => {
      await db.recreateDatabase(DATABASE_URL);
      await pg.connect();
      await db.createBaselineSchema(pg);
      await redis.connect();
      await deletePrefixes(redis, [REDIS_PREFIX, BASELINE_PREFIX]);
    });
    const [apiPort] = await freePorts(1);
    const api = `http://127.0.0.1:${apiPort}`;
    const apiProc = await phase('start the Nida api', async () => {
      const entry = children.start('nida-api', [...NIDA_NODE_FLAGS, distMain], {
        cwd: ROOT,
        env: {
          ...baseEnv(),
          NODE_ENV: 'development',
          APP_ROLE: 'api',
          PORT: String(apiPort),
          HOST: '127.0.0.1',
          DATABASE_URL,
          REDIS_URL: `redis://${REDIS.host}:${REDIS.port}`,
          REDIS_PREFIX,
          SMTP_URL: 'smtp://127.0.0.1:1',
          LOG_LEVEL: 'warn',
          DEMO_DATA: 'false',
          ADMIN_EMAIL: ADMIN.email,
          ADMIN_PASSWORD: ADMIN.password,
        },
      });
      await waitUntil('GET /health = 200 on the api', async () => {
        children.assertAlive();
        return (await request('GET', `${api}/health`, { timeoutMs: 2000 })).status === 200;
      }, { timeoutMs: 90000, everyMs: 200 });
      return entry;
    });
    const campaign = await phase('create and publish the campaign', () => publishedCampaign(api));
    const baseline = await phase('start the baseline server', async () => {
      await db.addBaselineCampaign(pg, campaign.id);
      const entry = children.start('baseline', [path.join(__dirname, 'baseline-server.js')], {
        cwd: ROOT,
        ipc: true,
        env: {
          ...baseEnv(),
          DATABASE_URL,
          REDIS_HOST: REDIS.host,
          REDIS_PORT: String(REDIS.port),
          QUEUE_PREFIX: BASELINE_PREFIX,
          CAMPAIGN_ID: campaign.id,
          POOL_SIZE: '10', // Nida's DATABASE_POOL_SIZE default
        },
      });
      entry.url = `http://127.0.0.1:${(await waitForMessage(entry, 'ready')).port}`;
      return entry;
    });
    const countPath = `/api/v1/campaigns/${encodeURIComponent(campaign.slug)}/count`;
    for (const [what, url] of [['Nida count', api + countPath], ['baseline count', `${baseline.url}/count`]]) {
      const res = await request('GET', url);
      if (res.status !== 200) throw new Error(`${what}: expected 200, got ${res.status} ${JSON.stringify(res.body)}`);
    }
    const pids = { nidaApi: apiProc.pid, baseline: baseline.pid };
    const scenario = (id, url, path, pid) =>
      phase(`scenario ${id}`, async () => {
        children.assertAlive();
        const settings = { url, request: getRequest(path), connections: config.connections, expect: 200 };
        if (config.warmup > 0) await load({ ...settings, duration: config.warmup });
        const backends = (await pg.query("SELECT pid FROM pg_stat_activity WHERE datname = 'nida_bench_count' AND pid <> pg_backend_pid()")).rows.map((r) => r.pid);
        const meter = cpuMeter(pids, { pgBackends: backends });
        const result = await load({ ...settings, duration: config.duration });
        result.cpu = meter.end();
        const c = result.cpu.percentOfOneCore;
        const perReq = (pct) => (result.rps > 0 && pct !== undefined ? Math.round(((pct / 100) * 1e6) / result.rps) : null);
        result.cpuMicrosPerRequest = { app: perReq(c[pid]), pg: perReq(c.pgBackends) };
        say(`  ${id}: ${result.rps} req/s, p50 ${result.latencyMs.p50} ms, p99 ${result.latencyMs.p99} ms, app ${result.cpuMicrosPerRequest.app} µs/req, ` +
          `pg ${result.cpuMicrosPerRequest.pg} µs/req, ${result.unexpectedResponses} not 200, machine ${result.cpu.machineBusyPercent} % busy`);
        return result;
      });
    for (let round = 1; round <= config.rounds; round++) {
      const B = await scenario('B', api, countPath, 'nidaApi');
      const Bp = await scenario("B'", baseline.url, '/count', 'baseline');
      out.runs.push({ B, "B'": Bp, ratio: Math.round((B.rps / Bp.rps) * 100) / 100 });
    }
    console.log('');
    console.log(`count reads at ${config.connections} connections, ${config.duration} s each:`);
    for (const [i, r] of out.runs.entries()) {
      console.log(`  round ${i + 1}: B ${r.B.rps} req/s (p99 ${r.B.latencyMs.p99} ms, api ${r.B.cpuMicrosPerRequest.app} µs/req)  ` +
        `B' ${r["B'"].rps} req/s (p99 ${r["B'"].latencyMs.p99} ms, baseline ${r["B'"].cpuMicrosPerRequest.app} µs/req)  B/B' ${r.ratio} (target ≥ 0.8)`);
    }
    say(`machine ${out.machine.busyBeforeStartPercent} % busy before the start; load average ${out.machine.loadAverage.map((l) => l.toFixed(1)).join(' ')}`);
  } finally {
    await Promise.all(children.all.map((e) => children.stop(e, 15000)));
    await pg.end().catch(() => undefined);
    if (redis.status === 'ready') await deletePrefixes(redis, [REDIS_PREFIX, BASELINE_PREFIX]).catch(() => undefined);
    redis.disconnect();
    fs.mkdirSync(RESULTS_DIR, { recursive: true });
    fs.writeFileSync(path.join(RESULTS_DIR, 'count-only.json'), `${JSON.stringify(out, null, 2)}\n`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
