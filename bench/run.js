'use strict';
/**
 * Nida benchmark (`npm run bench`, which builds first, then runs this on Node 24 LTS, the deployments'
 * Node, through scripts/bench.sh; every child process runs on this script's Node).
 *
 *   A   sign   POST /api/v1/campaigns/:slug/signatures on Nida (api + worker processes), one new signer per request
 *   A'  sign   the same work on a bare Node http + pg + BullMQ server (bench/baseline-server.js), which
 *               also sends each confirmation email from a BullMQ worker in its process (as S0)
 *   AP  sign   as A, each request from the next client address of a pool (X-Forwarded-For from a trusted
 *               proxy, TRUST_PROXY=127.0.0.1) with an email at a domain of its own, on an api process of its
 *               own with the limits off (SIGN_LIMITS=off, as everywhere else)
 *   AL  sign   the same on an api process started alike with the signing limits on (SIGN_LIMITS=on), set
 *               high enough that nothing is held: what the limits cost (target: AL within 10 % of AP)
 *   AN  sign   as AP (limits off) on an api process started alike with supporters' data stored
 *               unencrypted (DATA_ENCRYPTION=off): what encryption costs (target: AP within 10 % of AN);
 *               AN, AP and AL run interleaved, all three processes up: BENCH_POOL_ROUNDS (9) rounds of a
 *               BENCH_POOL_WINDOW (3 s) window each (after BENCH_POOL_LEAD, 1 s, unmeasured), in rotation:
 *               AN AP AL, AP AL AN, AL AN AP, …; each ratio is the geometric mean of its rounds' ratios
 *   S0  sign   on the bare baseline in ONE process that also sends each confirmation email (a BullMQ worker
 *               in the same process with pooled nodemailer, marking the outbox row sent): the same work as S1
 *   S1  sign   on ONE Nida process with APP_ROLE=all (the default deployment), then
 *   S2  sign   on TWO APP_ROLE=api processes and ONE APP_ROLE=worker, the connections given to the two api
 *               ports in turn; both on a database and Redis prefix of their own (nida_bench_scale,
 *               nida-bench-scale), every confirmation email sent to the SMTP sink: req/s, p50/p99, CPU µs
 *               per request and per signature with its email of each process and of PostgreSQL,
 *               requests per api process, PostgreSQL lock waits sampled (relation extension counted apart),
 *               rows written per table; S2/S1; S1/S0
 *               (target: ≥ 0.5, S1 p99 < 50 ms); S0, S1 and S2 at BENCH_SCALE_CONNECTIONS (64)
 *   SC  crowd  on one APP_ROLE=all process: the signing load of S1 while 256 more connections read the
 *               campaign page and its count (each at most BENCH_CROWD_READ_RATE a second), and a prober
 *               confirms a signature a second from its mail and times the count until it shows it
 *               (targets: signing p99 < 50 ms, no 5xx, count lag < 2 s)
 *               (also alone: `npm run build && node bench/scale-only.js`; see bench/lib/scale.js)
 *   B   count  GET /api/v1/campaigns/:slug/count on Nida
 *   B'  count  GET /count on the bare server (one counter row)
 *   P   page   GET /ar/c/:slug on Nida as a phone's browser asks for it (Accept-Encoding: gzip): the
 *               whole server-rendered campaign page (counters, targets, recent supporters), compressed
 *   C   count  Nida again with 1,000 and with BENCH_BIG (1,000,000) verified signatures in the table
 *   E   export  GET /api/v1/campaigns/:id/signatures.csv?status=verified, the CSV of 10,000 (E10k) and of BENCH_BIG
 *               (EBig) verified signatures (their data sealed by the app's Keyring), streamed by an api
 *               process of its own: rows/s and that process's RSS, sampled every 100 ms (target: peak
 *               under 200 MB at both sizes, and flat); with BENCH_DIAGNOSTIC, again (E10kh96, EBigh96) on an api
 *               process started with --max-old-space-size=96
 *   L   letters  BENCH_LETTERS (2,000) letters written as rows in status 'queued' (a per_signature campaign
 *                with 2 targets), released by Nida's dispatcher, sent by its worker through the BullMQ queue
 *                to the SMTP sink: letters/s from their creation to the last one recorded sent
 *   L'  letters  as many similar messages through raw pooled nodemailer (same pool options, 5 in flight)
 *                to the same sink, from the bench process
 *   U   updates  a case update with notify, posted through the API to BENCH_UPDATE_RECIPIENTS (100,000)
 *                consenting supporters: the fan-out writes one delivery row each, the worker sends them
 *                through the update-send queue (rate limiter set out of the way) to the SMTP sink: the
 *                fan-out's time, emails/s from the post to the last one recorded sent, the worker's peak RSS
 *                (target: under 250 MB)
 *   U'  updates  as many of the same messages (Nida's templates rendered by Handlebars for each, the same
 *                headers) through raw pooled nodemailer (the worker's pool size and as many in flight as its
 *                BROADCAST_CONCURRENCY) to the same sink (target: U ≥ 50 % of U'); CPU µs per email of both
 *                (U and U' also run alone: `npm run build && node bench/updates-only.js`)
 *
 * Nida's processes run with SIGN_LIMITS=off (the limits would hold a load from one address), but
 * the one of scenario AL.
 *
 * Everything it touches is its own: database nida_bench (dropped and recreated), Redis keys under
 * nida-bench: and nida-bench-baseline: (SCAN + DEL at start and end), an SMTP sink, free ports.
 * Child processes are always stopped (SIGTERM, then SIGKILL); any failure exits non-zero.
 *
 * Settings (environment): BENCH_DURATION (s, 8), BENCH_CONNECTIONS (10), BENCH_WARMUP (s, 2; 0: none),
 * BENCH_BIG (verified rows for the big count run, 1000000), BENCH_BIG_TIMEOUT (s allowed for its
 * INSERT, 300), BENCH_DRAIN_TIMEOUT (s to wait for the worker to send the mail of scenario A, 300),
 * BENCH_LETTERS (letters of scenario L and L', 2000), BENCH_LETTERS_TIMEOUT (s allowed for Nida to send
 * them, 120), BENCH_UPDATE_RECIPIENTS (recipients of scenario U and U', 100000; 0 skips them),
 * BENCH_UPDATE_TIMEOUT (s allowed for Nida to send them, 900), BENCH_ADDRESS_POOL (client addresses of AN, AP and AL, 100000, at most 131072: 198.18.0.0/15),
 * BENCH_POOL_ROUNDS (rounds of AN, AP and AL, 9), BENCH_POOL_WINDOW (s of each scenario's window in a round, 3),
 * BENCH_POOL_LEAD (s of unmeasured load before each window, 1),
 * BENCH_MAX_SECONDS (whole run, 1500), BENCH_STRICT=1 (exit 2 when a target is missed),
 * BENCH_DIAGNOSTIC=0 (skips A0, signing on Nida with its worker paused), BENCH_SCALE=0 (skips S1 and S2),
 * BENCH_SCALE_ROUNDS (1; 2: S1, S2, S1, S2, each round's S2/S1 and their geometric mean), BENCH_SCALE_APIS
 * (api processes of S2, 2; 1 is a diagnostic: the api role alone beside a worker), BENCH_SCALE_CONNECTIONS (64),
 * BENCH_CROWD=0 (skips SC), BENCH_CROWD_READ_RATE (2 requests a second per reading connection), BENCH_PROFILE=1 (Nida's processes run with --cpu-prof; profiles in bench/results/profiles/, open them in
 * Chrome DevTools; profiling slows the app, so figures from such a run are not comparable),
 * BENCH_MALLOC_ARENA_MAX (every child's MALLOC_ARENA_MAX, 1 as Nida is started; `default`: glibc's own).
 * Results: printed, and written to bench/results/latest.json (logs of the children in bench/results/logs/).
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { Client } = require('pg');
const Redis = require('ioredis');
const { Children, waitForMessage, askStats } = require('./lib/children');
const { sleep, freePorts, request, waitUntil, cpuMeter, machineBusy, fmtInt, intEnv, phaseTimer, baseEnv, pairedRatio, NIDA_NODE_FLAGS } = require('./lib/util');
const { load, combineWindows, signRequest, signRequestFromPool, getRequest, stopLoad, signersSoFar } = require('./lib/load');
const db = require('./lib/db');
const { deletePrefixes } = require('./lib/redis-keys');
const letters = require('./lib/letters');
const updates = require('./lib/updates');
const { sealCostMicros } = require('./lib/seal-cost');
const { sealedPools, exportCsv } = require('./lib/export');
const scale = require('./lib/scale');
const { waitForQueueWorkers, nidaQueuePrefix } = require('./lib/queue-workers');

const ROOT = path.resolve(__dirname, '..');
const RESULTS_DIR = path.join(__dirname, 'results');
const LOG_DIR = path.join(RESULTS_DIR, 'logs');
const DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/nida_bench';
const REDIS_HOST = '127.0.0.1';
const REDIS_PORT = 6379;
const REDIS_PREFIX = 'nida-bench';
const BASELINE_PREFIX = 'nida-bench-baseline';
const ADMIN = { email: 'bench@example.org', password: 'bench-password-123' };
const SMALL = 1000;
const EXPORT_SMALL = 10000; // rows of the small CSV export (scenario E10k)

const TARGETS = {
  signRatio: 0.5, // Nida req/s ≥ 50 % of the baseline's
  signP99Ms: 50, // Nida p99 < 50 ms
  singleRatio: 0.5, // one APP_ROLE=all process (S1) ≥ 50 % of the baseline that sends its mail in one process (S0)
  crowdLagMs: 2000, // the count shows a confirmation within 2 s under the crowd (SC)
  countRatio: 0.8, // Nida req/s ≥ 80 % of the baseline's
  flatRatio: 0.9, // "flat": req/s at BIG ≥ 90 % of req/s at 1k (and p99 within +25 % or +2 ms)
  letterRatio: 0.5, // Nida letters/s ≥ 50 % of raw pooled nodemailer's
  updateRatio: 0.5, // Nida update emails/s ≥ 50 % of raw pooled nodemailer's
  updateWorkerRssMb: 250, // the worker's peak RSS while it fans out and sends an update to BENCH_UPDATE_RECIPIENTS
  limitsRatio: 0.9, // signing with the limits on ≥ 90 % of signing with them off (AL/AP)
  encryptionRatio: 0.9, // signing with supporters' data encrypted ≥ 90 % of signing without (AP/AN)
  exportRssMb: 200, // the api's peak RSS while it streams a CSV export, at 10k and at BIG rows
  exportRssFlat: 1.25, // "flat": peak RSS at BIG ≤ 125 % of the peak at 10k
};

/**
 * Scenario AL's api: every signing limit on, each set by name well above what one address, domain
 * or email of the pool meets in a run (each gets about requests ÷ BENCH_ADDRESS_POOL), so that
 * nothing is held and the figure is the limits' cost. The run checks that nothing was held.
 */
const LIMITS_ON = {
  SIGN_LIMITS: 'on',
  SIGN_LIMIT_IP_BURST: '100',
  SIGN_LIMIT_IP_HOUR: '1000',
  SIGN_LIMIT_DOMAIN_HOUR: '1000',
  SIGN_LIMIT_EMAIL_HOUR: '20',
};
const MAIL_CONCURRENCY = 5; // Nida's default: letters one worker sends at once, and its SMTP pool size

const say = (msg) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}`);

async function main() {
  const config = {
    duration: intEnv('BENCH_DURATION', 8, 1, 600),
    connections: intEnv('BENCH_CONNECTIONS', 10, 1, 1000),
    warmup: intEnv('BENCH_WARMUP', 2, 0, 60),
    big: intEnv('BENCH_BIG', 1000000, SMALL, 50000000),
    bigTimeout: intEnv('BENCH_BIG_TIMEOUT', 300, 10, 3600),
    drainTimeout: intEnv('BENCH_DRAIN_TIMEOUT', 300, 0, 3600),
    letters: intEnv('BENCH_LETTERS', 2000, 2, 200000),
    lettersTimeout: intEnv('BENCH_LETTERS_TIMEOUT', 120, 5, 3600),
    updateRecipients: intEnv('BENCH_UPDATE_RECIPIENTS', 100000, 0, 1000000),
    updateTimeout: intEnv('BENCH_UPDATE_TIMEOUT', 900, 5, 7200),
    addressPool: intEnv('BENCH_ADDRESS_POOL', 100000, 1000, 131072),
    poolRounds: intEnv('BENCH_POOL_ROUNDS', 9, 2, 99),
    poolWindow: intEnv('BENCH_POOL_WINDOW', 3, 1, 60),
    poolLead: intEnv('BENCH_POOL_LEAD', 1, 0, 60),
    maxSeconds: intEnv('BENCH_MAX_SECONDS', 1500, 30, 7200),
    strict: process.env.BENCH_STRICT === '1',
    profile: process.env.BENCH_PROFILE === '1',
    diagnostic: process.env.BENCH_DIAGNOSTIC !== '0',
    scale: process.env.BENCH_SCALE !== '0',
    scaleRounds: intEnv('BENCH_SCALE_ROUNDS', 1, 1, 5),
    scaleApis: intEnv('BENCH_SCALE_APIS', 2, 1, 8),
    scaleConnections: intEnv('BENCH_SCALE_CONNECTIONS', 64, 2, 1000),
    crowd: process.env.BENCH_CROWD !== '0',
    crowdReadRate: intEnv('BENCH_CROWD_READ_RATE', 2, 1, 1000),
  };
  const startedAt = new Date();
  const t0 = Date.now();
  const children = new Children(LOG_DIR);
  const state = { children, pg: null, pgPid: null, redis: null, cleaned: false };
  const out = {
    startedAt: startedAt.toISOString(),
    config,
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version },
    phases: {},
    scenarios: {},
  };

  // Last resort if we die without cleaning: no child outlives us.
  process.on('exit', () => children.killAllSync());

  // An abort (signal or the overall time limit) rejects this, which unwinds main into cleanup.
  let abort;
  const aborted = new Promise((_, reject) => (abort = reject));
  aborted.catch(() => undefined);
  let signals = 0;
  const onSignal = (signal) => {
    if (++signals === 1) {
      abort(new Error(`Interrupted by ${signal}`));
      return;
    }
    console.error(`[bench] ${signal} again: killing the children now`);
    children.killAllSync();
    process.exit(130);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const watchdog = setTimeout(() => abort(new Error(`Over BENCH_MAX_SECONDS (${config.maxSeconds} s)`)), config.maxSeconds * 1000);

  const phase = async (name, fn) => {
    const start = Date.now();
    say(`${name}…`);
    const value = await Promise.race([fn(), aborted]);
    out.phases[name] = Math.round((Date.now() - start) / 100) / 10;
    return value;
  };

  let exitCode = 0;
  try {
    await run(config, state, out, phase);
    const verdict = printReport(out);
    out.totalSeconds = Math.round((Date.now() - t0) / 100) / 10;
    if (config.strict && !verdict.allMet) exitCode = 2;
  } catch (error) {
    exitCode = 1;
    out.failure = error.stack || String(error);
    console.error(`\n[bench] FAILED: ${error.stack || error}`);
  } finally {
    clearTimeout(watchdog);
    stopLoad();
    try {
      let timer;
      out.shutdown = await Promise.race([
        cleanup(state),
        new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('cleanup took over 60 s')), 60000))),
      ]).finally(() => clearTimeout(timer));
    } catch (error) {
      exitCode = exitCode || 1;
      console.error(`[bench] cleanup problem: ${error.stack || error}`);
    }
    out.totalSeconds = Math.round((Date.now() - t0) / 100) / 10;
    try {
      fs.mkdirSync(RESULTS_DIR, { recursive: true });
      fs.writeFileSync(path.join(RESULTS_DIR, 'latest.json'), `${JSON.stringify(out, null, 2)}\n`);
      say(`results written to ${path.relative(ROOT, path.join(RESULTS_DIR, 'latest.json'))}; child logs in ${path.relative(ROOT, LOG_DIR)}/`);
    } catch (error) {
      console.error(`[bench] could not write results: ${error.message}`);
    }
    say(`total ${out.totalSeconds} s, exit ${exitCode}`);
  }
  process.exit(exitCode);
}

async function run(config, state, out, phase) {
  const { children } = state;
  fs.mkdirSync(LOG_DIR, { recursive: true });
  for (const f of fs.readdirSync(LOG_DIR)) if (f.endsWith('.log')) fs.rmSync(path.join(LOG_DIR, f)); // logs of this run only
  const distMain = path.join(ROOT, 'dist/src/main.js');
  const distCli = path.join(ROOT, 'dist/src/cli.js');
  for (const f of [distMain, distCli]) if (!fs.existsSync(f)) throw new Error(`${path.relative(ROOT, f)} is missing: build first (npm run bench does)`);

  // ── infrastructure ────────────────────────────────────────────────────────
  out.machine.busyBeforeStartPercent = await machineBusy(1000);
  if (out.machine.busyBeforeStartPercent > 20) {
    say(`  note: the machine is already ${out.machine.busyBeforeStartPercent} % busy before the benchmark starts; figures will be noisy`);
  }
  await phase('prepare database and Redis', async () => {
    out.machine.postgres = await db.recreateDatabase(DATABASE_URL);
    state.pg = new Client({ connectionString: DATABASE_URL, application_name: 'nida-bench' });
    await state.pg.connect();
    state.pgPid = (await state.pg.query('SELECT pg_backend_pid() AS pid')).rows[0].pid;
    await db.createBaselineSchema(state.pg);
    state.redis = new Redis({ host: REDIS_HOST, port: REDIS_PORT, maxRetriesPerRequest: 1, lazyConnect: true });
    state.redis.on('error', () => undefined);
    await state.redis.connect();
    out.machine.redis = (/redis_version:(\S+)/.exec(await state.redis.info('server')) || [])[1];
    out.redisKeysDeletedAtStart = await deletePrefixes(state.redis, [REDIS_PREFIX, BASELINE_PREFIX, scale.REDIS_PREFIX]);
  });

  const sink = await phase('start SMTP sink', async () => {
    const entry = children.start('smtp-sink', [path.join(__dirname, 'smtp-sink.js')], { cwd: ROOT, env: baseEnv(), ipc: true });
    const { port } = await waitForMessage(entry, 'ready');
    entry.port = port;
    return entry;
  });

  const [apiPort, workerPort] = await freePorts(2);
  const appEnv = (role, port) => ({
    ...baseEnv(),
    NODE_ENV: 'development',
    APP_ROLE: role,
    PORT: String(port),
    HOST: '127.0.0.1',
    DATABASE_URL,
    REDIS_URL: `redis://${REDIS_HOST}:${REDIS_PORT}`,
    REDIS_PREFIX,
    SMTP_URL: `smtp://127.0.0.1:${sink.port}`,
    LOG_LEVEL: 'warn',
    DEMO_DATA: 'false',
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    // Scenario L: no pacing in the way (100,000 an hour per target is the most the setting allows).
    LETTER_PACE_PER_HOUR: '100000',
    // Load from one address: the signing limits would hold it (scenario AL turns them on).
    SIGN_LIMITS: 'off',
    // Scenario U: the rate limiter out of the way (its most), so the send measures the worker.
    BROADCAST_RATE_PER_SECOND: '10000',
  });
  const api = `http://127.0.0.1:${apiPort}`;
  const nodeArgs = (role) =>
    config.profile ? [...NIDA_NODE_FLAGS, '--cpu-prof', '--cpu-prof-dir', path.join(RESULTS_DIR, 'profiles'), '--cpu-prof-name', `nida-${role}.cpuprofile`, distMain] : [...NIDA_NODE_FLAGS, distMain];

  /** A Nida worker process, once it takes mail jobs. */
  const startWorker = async (name) => {
    const w = children.start(name, nodeArgs(name.replace(/^nida-/, '')), { cwd: ROOT, env: appEnv('worker', workerPort) });
    await waitForQueueWorkers(children, { queue: 'mail', prefix: nidaQueuePrefix(REDIS_PREFIX, 'mail'), ready: () => w.readyLine });
    return w;
  };
  const [apiProc, workerProc] = await phase('start Nida (api + worker)', async () => {
    const a = children.start('nida-api', nodeArgs('api'), { cwd: ROOT, env: appEnv('api', apiPort) });
    // Both run migrations at start under an advisory lock; starting the worker once the api is up keeps the log clear.
    await waitUntil('GET /health = 200 on the api', async () => {
      children.assertAlive();
      return (await request('GET', `${api}/health`, { timeoutMs: 2000 })).status === 200;
    }, { timeoutMs: 90000, everyMs: 200 });
    return [a, await startWorker('nida-worker')];
  });

  // ── the campaign ──────────────────────────────────────────────────────────
  const campaign = await phase('create and publish the campaign', async () => {
    // /health answers 200 as soon as the api listens; the first admin is created just after
    // (SetupService.run follows listen in main.ts), so a 401 right at start means "not yet".
    let login;
    await waitUntil('the first admin to be able to log in', async () => {
      login = await request('POST', `${api}/api/v1/auth/login`, { body: ADMIN });
      if (login.status === 200) return true;
      if (login.status !== 401) throw Object.assign(new Error(`login: ${login.status} ${JSON.stringify(login.body)}`), { fatal: true });
      return false;
    }, { timeoutMs: 30000, everyMs: 300 });
    if (!login.body.accessToken) throw new Error(`login: no accessToken in ${JSON.stringify(login.body)}`);
    const token = login.body.accessToken;
    const created = await request('POST', `${api}/api/v1/campaigns`, {
      token,
      body: { kind: 'petition', title: 'Bench campaign', summary: 's', body: 'b', locale: 'en', goal: 1000000 },
    });
    if (created.status !== 201) throw new Error(`create campaign: ${created.status} ${JSON.stringify(created.body)}`);
    const { id, slug } = created.body;
    const published = await request('POST', `${api}/api/v1/campaigns/${id}/publish`, { token });
    if (published.status !== 200 || published.body.status !== 'live') {
      throw new Error(`publish: ${published.status} ${JSON.stringify(published.body)}`);
    }
    return { id, slug, token };
  });
  out.campaign = { id: campaign.id, slug: campaign.slug };
  const slug = encodeURIComponent(campaign.slug);
  const signPath = `/api/v1/campaigns/${slug}/signatures`;
  const countPath = `/api/v1/campaigns/${slug}/count`;

  const baseline = await phase('start the baseline server', async () => {
    await db.addBaselineCampaign(state.pg, campaign.id);
    const entry = children.start('baseline', [path.join(__dirname, 'baseline-server.js')], {
      cwd: ROOT,
      ipc: true,
      env: {
        ...baseEnv(),
        DATABASE_URL,
        REDIS_HOST,
        REDIS_PORT: String(REDIS_PORT),
        QUEUE_PREFIX: BASELINE_PREFIX,
        CAMPAIGN_ID: campaign.id,
        POOL_SIZE: '10', // Nida's DATABASE_POOL_SIZE default
        // It sends each confirmation email too, as Nida does (a BullMQ worker in its process):
        // A against A' is then the same work.
        SMTP_URL: `smtp://127.0.0.1:${sink.port}`,
        MAIL_CONCURRENCY: String(MAIL_CONCURRENCY),
      },
    });
    const { port } = await waitForMessage(entry, 'ready');
    entry.url = `http://127.0.0.1:${port}`;
    return entry;
  });

  // One request each before loading: a wrong setup fails here, clearly, not as 8 s of 4xx.
  await phase('smoke requests', async () => {
    const checks = [
      ['Nida sign', 'POST', `${api}${signPath}`, { name: 'Bench Signer', email: 'smoke@example.org', country: 'IQ' }, 202],
      ['baseline sign', 'POST', `${baseline.url}/signatures`, { name: 'Bench Signer', email: 'smoke@example.org', country: 'IQ' }, 202],
      ['Nida count', 'GET', `${api}${countPath}`, undefined, 200],
      ['baseline count', 'GET', `${baseline.url}/count`, undefined, 200],
    ];
    for (const [what, method, url, body, status] of checks) {
      const res = await request(method, url, { body });
      if (res.status !== status) throw new Error(`${what}: expected ${status}, got ${res.status} ${JSON.stringify(res.body)}`);
    }
  });

  const pids = { nidaApi: apiProc.pid, nidaWorker: workerProc.pid, baseline: baseline.pid, smtpSink: sink.pid };
  const scenario = (id, label, url, req, expect) =>
    phase(`scenario ${id}: ${label}`, async () => {
      children.assertAlive();
      const settings = { url, request: req, connections: config.connections, expect };
      if (config.warmup > 0) await load({ ...settings, duration: config.warmup });
      const backends = (await state.pg.query("SELECT pid FROM pg_stat_activity WHERE datname = 'nida_bench' AND pid <> pg_backend_pid()")).rows.map((r) => r.pid);
      const meter = cpuMeter(pids, { pgBackends: backends });
      const result = await load({ ...settings, duration: config.duration });
      result.cpu = meter.end();
      const c = result.cpu.percentOfOneCore;
      const perReq = (pct) => (result.rps > 0 && pct !== undefined ? Math.round(((pct / 100) * 1e6) / result.rps) : null);
      // CPU time per request (µs): less sensitive than req/s to other work on the machine.
      result.cpuMicrosPerRequest = { app: perReq(id.endsWith("'") ? c.baseline : c.nidaApi), pg: perReq(c.pgBackends) };
      if (id.startsWith('A') && !id.endsWith("'")) result.cpuMicrosPerRequest.worker = perReq(c.nidaWorker);
      children.assertAlive();
      out.scenarios[id] = { label, ...result };
      say(
        `  ${id}: ${result.rps} req/s, p50 ${result.latencyMs.p50} ms, p99 ${result.latencyMs.p99} ms, ` +
          `${result.unexpectedResponses} not ${expect} (non-2xx ${result.non2xx}, errors ${result.errors})`,
      );
      return result;
    });

  // ── A / A': signing ───────────────────────────────────────────────────────
  // After each Nida signing run, wait until the worker has sent all its mail, so that sending
  // does not compete with the next scenario for the CPU.
  const drainMail = async (label) => {
    const loadEnd = Date.now();
    return phase(`wait for the worker to send the mail of ${label}`, async () => {
      let last = await db.outboxCounts(state.pg);
      if (config.drainTimeout > 0) {
        const deadline = Date.now() + config.drainTimeout * 1000;
        while (last.pending > 0 && Date.now() < deadline) {
          children.assertAlive();
          await sleep(250);
          last = await db.outboxCounts(state.pg);
        }
      }
      const sinkNow = await askStats(sink);
      const result = {
        outbox: last,
        drained: last.pending === 0,
        drainSecondsAfterLoad: Math.round((Date.now() - loadEnd) / 100) / 10,
        sinkMessagesTotal: sinkNow.messages,
        sinkConnectionsTotal: sinkNow.connections,
      };
      if (!result.drained) say(`  warning: ${last.pending} emails still pending after ${config.drainTimeout} s`);
      else say(`  outbox: ${last.sent} sent in all (${sinkNow.messages} reached the sink), drained ${result.drainSecondsAfterLoad} s after the load ended`);
      return result;
    });
  };

  out.mail = {};
  await scenario('A', 'sign, Nida', api, signRequest(signPath), 202);
  out.mail.A = await drainMail('A');

  // Diagnostic: the same load with the worker stopped (SIGSTOP), so that sending mail does not
  // compete for the CPU; the mail waits in Redis and is sent after SIGCONT. Only for short runs,
  // well inside BullMQ's 30 s job lock. BENCH_DIAGNOSTIC=0 skips it.
  if (config.diagnostic && config.warmup + config.duration <= 25) {
    children.pause(workerProc);
    try {
      await scenario('A0', 'sign, Nida, worker paused (diagnostic)', api, signRequest(signPath), 202);
    } finally {
      children.resume(workerProc);
    }
    out.mail.A0 = await drainMail('A0');
  }

  await scenario("A'", 'sign, baseline (+ its mail)', baseline.url, signRequest('/signatures'), 202);
  // The baseline's mail of A' sent before anything else is measured.
  out.baselineMail = await phase("wait for the baseline to send the mail of A'", async () => {
    const t0 = Date.now();
    const pending = async () => (await state.pg.query(`SELECT count(*)::int AS n FROM baseline.outbox WHERE status = 'pending'`)).rows[0].n;
    await waitUntil("the baseline's mail of A'", async () => {
      children.assertAlive();
      return (await pending()) === 0;
    }, { timeoutMs: config.drainTimeout * 1000, everyMs: 200 });
    return { drainSecondsAfterLoad: Math.round((Date.now() - t0) / 100) / 10 };
  });

  // ── S1 / S2: one APP_ROLE=all process against 2 api + 1 worker ────────────
  if (config.scale) {
    out.scale = await scale.scaleScenarios({
      root: ROOT,
      children,
      sink,
      askStats,
      appEnv,
      nodeArgs,
      connections: config.scaleConnections,
      duration: config.duration,
      warmup: config.warmup,
      drainTimeout: config.drainTimeout,
      rounds: config.scaleRounds,
      apis: config.scaleApis,
      baseline: path.join(__dirname, 'baseline-server.js'),
      crowd: config.crowd,
      crowdReadRate: config.crowdReadRate,
      phase,
      say,
    });
  }

  // ── AN / AP / AL: signing from a pool of addresses: encryption off, on; limits off, on ──
  // Each on an api process of its own, started alike (so all are as cold, and as warmed up), behind
  // a trusted proxy on this machine; they differ only in DATA_ENCRYPTION and SIGN_LIMITS. The three
  // run interleaved: all started and warmed up, then BENCH_POOL_ROUNDS rounds of a window of
  // BENCH_POOL_WINDOW s each, in rotation: AN AP AL, AP AL AN, AL AN AP, and so on (so each takes
  // each place equally, and none runs twice in a row: in a first try, AN AP AL then AL AP AN, the
  // second of two windows in a row ran up to 1.5× as fast as the first). Run one after the
  // other for 8 s each, with a mail drain between, these moved ±20 % from run to run on a shared
  // 2-core machine (1 December 2026: AN 298, AP 292, AL 265, AL 278, AP 281, AN 372 a second, while
  // sealing a signature cost 2.8 % of AP's api CPU): a difference of a few per cent between them
  // was lost in how the machine drifted from one minute to the next. Windows of a few seconds, side
  // by side in time, see the same machine. Each ratio is the geometric mean of its rounds' ratios
  // (pairedRatio), each scenario's req/s its requests over its windows' seconds.
  const POOL_SCENARIOS = [
    ['AN', 'sign, Nida, address pool, limits off, encryption off', { SIGN_LIMITS: 'off', DATA_ENCRYPTION: 'off' }],
    ['AP', 'sign, Nida, address pool, limits off', { SIGN_LIMITS: 'off' }],
    ['AL', 'sign, Nida, address pool, limits on', LIMITS_ON],
  ];
  await phase(`scenarios AN, AP, AL interleaved: ${config.poolRounds} rounds of ${config.poolWindow} s each`, async () => {
    const heldBefore = (await db.signatureCounts(state.pg, campaign.id)).held;
    const since = (await state.pg.query('SELECT now() AS t')).rows[0].t;
    const ports = await freePorts(POOL_SCENARIOS.length);
    const pool = POOL_SCENARIOS.map(([id, label, settings], i) => ({
      id,
      label,
      url: `http://127.0.0.1:${ports[i]}`,
      // One request generator a scenario, for all its windows: each request from the next address.
      request: signRequestFromPool(signPath, config.addressPool),
      proc: children.start(`nida-api-${id}`, nodeArgs(`api-${id}`), {
        cwd: ROOT,
        env: { ...appEnv('api', ports[i]), TRUST_PROXY: '127.0.0.1', ...settings },
      }),
      windows: [],
    }));
    try {
      for (const p of pool) {
        await waitUntil(`GET /health = 200 on the api of ${p.id}`, async () => {
          children.assertAlive();
          return (await request('GET', `${p.url}/health`, { timeoutMs: 2000 })).status === 200;
        }, { timeoutMs: 90000, everyMs: 200 });
      }
      const settings = (p, duration) => ({ url: p.url, request: p.request, connections: config.connections, expect: 202, duration });
      if (config.warmup > 0) for (const p of pool) await load(settings(p, config.warmup));
      for (let round = 0; round < config.poolRounds; round++) {
        // Round r starts at the r-th scenario (mod 3): AN AP AL, AP AL AN, AL AN AP, …
        for (const p of [...pool.slice(round % pool.length), ...pool.slice(0, round % pool.length)]) {
          children.assertAlive();
          // Its process has been idle through the others' windows: a second of load first, not measured.
          if (config.poolLead > 0) await load(settings(p, config.poolLead));
          const backends = (await state.pg.query("SELECT pid FROM pg_stat_activity WHERE datname = 'nida_bench' AND pid <> pg_backend_pid()")).rows.map((r) => r.pid);
          const meter = cpuMeter({ ...pids, nidaApi: p.proc.pid }, { pgBackends: backends });
          const result = await load(settings(p, config.poolWindow));
          result.cpu = meter.end();
          p.windows.push(result);
        }
      }
    } finally {
      for (const p of pool) await children.stop(p.proc);
    }
    for (const p of pool) {
      out.scenarios[p.id] = { label: `${p.label} (${config.poolRounds} windows)`, ...combineWindows(p.windows) };
      const r = out.scenarios[p.id];
      say(`  ${p.id}: ${r.rps} req/s (windows ${r.runsRps.map(fmtInt).join('/')}), p50 ${r.latencyMs.p50} ms, p99 ${r.latencyMs.p99} ms, ` +
        `api ${r.cpuMicrosPerRequest.app} µs/request, ${r.unexpectedResponses} not 202`);
    }
    // Only AL has the limits on: a held signature is its.
    out.scenarios.AL.held = (await db.signatureCounts(state.pg, campaign.id)).held - heldBefore;
    for (const id of ['AN', 'AP']) out.scenarios[id].held = 0;
    // The forwarded addresses were the ones Nida saw (one keyed hash per address of the pool used).
    const requests = pool.reduce((n, p) => n + out.scenarios[p.id].requests, 0);
    const seen = await state.pg.query('SELECT count(DISTINCT ip_hash)::int AS n FROM signatures WHERE campaign_id = $1 AND created_at >= $2', [campaign.id, since]);
    out.poolDistinctAddresses = seen.rows[0].n;
    if (seen.rows[0].n < Math.min(1000, requests)) {
      throw new Error(`AN/AP/AL: only ${seen.rows[0].n} client addresses seen for ${requests} requests: X-Forwarded-For not trusted?`);
    }
    if (out.scenarios.AL.held > 0) say(`  warning: ${out.scenarios.AL.held} signatures held in AL: raise LIMITS_ON or BENCH_ADDRESS_POOL; AL/AP is not the limits' cost`);
  });
  out.mail.pool = await drainMail('AN, AP and AL');
  out.sealMicrosPerSignature = sealCostMicros(ROOT, appEnv('api', apiPort));
  say(`  sealing one signature (4 × AES-256-GCM + blind index): ${out.sealMicrosPerSignature} µs of CPU`);

  // ── B / B': count reads ───────────────────────────────────────────────────
  out.rowsAtB = await db.signatureCounts(state.pg, campaign.id);
  await scenario('B', `count, Nida (${fmtInt(out.rowsAtB.pending)} pending, 0 verified)`, api, getRequest(countPath), 200);
  // Diagnostic: the same reads on an api process with the count cache off (COUNT_CACHE_MS=0), so
  // every request reads PostgreSQL as the baseline does: the framework's own cost per request.
  if (config.diagnostic) {
    const [noCachePort] = await freePorts(1);
    const noCache = `http://127.0.0.1:${noCachePort}`;
    const proc = children.start('nida-api-nocache', [...NIDA_NODE_FLAGS, distMain], {
      cwd: ROOT,
      env: { ...appEnv('api', noCachePort), COUNT_CACHE_MS: '0' },
    });
    try {
      await waitUntil('GET /health = 200 on the uncached api', async () => {
        children.assertAlive();
        return (await request('GET', `${noCache}/health`, { timeoutMs: 2000 })).status === 200;
      }, { timeoutMs: 90000, everyMs: 200 });
      await scenario('B0', 'count, Nida, count cache off (diagnostic)', noCache, getRequest(countPath), 200);
    } finally {
      await children.stop(proc);
    }
  }
  await scenario("B'", 'count, baseline', baseline.url, getRequest('/count'), 200);
  const pagePath = `/ar/c/${encodeURIComponent(campaign.slug)}`;
  await scenario('P', 'campaign page, Nida (Arabic, gzip)', api, getRequest(pagePath, { 'accept-encoding': 'gzip' }), 200);

  // ── C: count reads with 1k and BIG verified signatures ────────────────────
  const reconcile = (label) => phase(`tally:reconcile (${label})`, () => runReconcile(children, label));
  // The api reuses a count for COUNT_CACHE_MS (500 ms by default): wait for the repaired one.
  const checkCount = async (expected) => {
    let last;
    await waitUntil(`count = ${expected}`, async () => {
      last = await request('GET', `${api}${countPath}`);
      return last.status === 200 && last.body.verified === expected;
    }, { timeoutMs: 10000, everyMs: 100 }).catch(() => {
      throw new Error(`count after reconcile: expected verified=${expected}, got ${last && last.status} ${JSON.stringify(last && last.body)}`);
    });
  };

  // The verified rows hold supporters' data sealed by the app's Keyring, as real ones do (scenario E decrypts them).
  const pools = sealedPools(ROOT, appEnv('api', apiPort));
  await phase(`insert ${fmtInt(SMALL)} verified signatures`, () => db.insertVerified(state.pg, campaign.id, 1, SMALL, 60, pools));
  out.reconcileSmall = await reconcile('1k');
  await checkCount(SMALL);
  await state.pg.query('UPDATE baseline.counters SET verified = $1, updated_at = now()', [SMALL]);
  await scenario('C1k', `count, Nida, ${fmtInt(SMALL)} verified`, api, getRequest(countPath), 200);

  // ── E: the CSV export of the verified signatures, at 10k and (below) at BIG rows ──
  // Through an api process of their own, started for them (the main one has served every load so
  // far, and V8 keeps the heap it grew: over 200 MB of RSS before any export), its RSS sampled
  // every 100 ms; the same process for both sizes.
  const exportSmall = Math.min(EXPORT_SMALL, config.big);
  out.exports = {};
  // Diagnostic (E…h96): a second such process started with --max-old-space-size=96, to tell V8's
  // heap growth between major collections (the export's live heap stays flat) from memory held.
  const startExportApi = (name, flags = []) =>
    phase(`start an api process for the exports (${name})`, async () => {
      const [port] = await freePorts(1);
      const url = `http://127.0.0.1:${port}`;
      const proc = children.start(name, [...flags, ...nodeArgs(name.replace(/^nida-/, ''))], { cwd: ROOT, env: appEnv('api', port) });
      await waitUntil(`GET /health = 200 on ${name}`, async () => {
        children.assertAlive();
        return (await request('GET', `${url}/health`, { timeoutMs: 2000 })).status === 200;
      }, { timeoutMs: 90000, everyMs: 200 });
      proc.url = url;
      return proc;
    });
  const exportApis = [{ suffix: '', proc: await startExportApi('nida-api-export') }];
  if (config.diagnostic) exportApis.push({ suffix: 'h96', proc: await startExportApi('nida-api-export-h96', ['--max-old-space-size=96']) });
  const exportScenario = (id, rows, proc) =>
    phase(`scenario ${id}: CSV export of ${fmtInt(rows)} verified signatures`, async () => {
      children.assertAlive();
      const result = await exportCsv(`${proc.url}/api/v1/campaigns/${campaign.id}/signatures.csv?status=verified`, campaign.token, proc.pid);
      if (result.rows !== rows) throw new Error(`${id}: the CSV has ${result.rows} rows, expected ${rows}`);
      children.assertAlive();
      out.exports[id] = result;
      say(`  ${id}: ${fmtInt(result.rows)} rows in ${result.seconds} s = ${fmtInt(result.rowsPerSecond)} rows/s, ` +
        `${Math.round(result.bytes / 1048576)} MB; api RSS ${result.rssMb.before} MB before, peak ${result.rssMb.peak} MB`);
      return result;
    });
  await phase(`insert ${fmtInt(exportSmall - SMALL)} more verified signatures`, async () => {
    await db.insertVerified(state.pg, campaign.id, SMALL + 1, exportSmall, 120, pools);
    await state.pg.query('ANALYZE signatures');
  });
  for (const { suffix, proc } of exportApis) await exportScenario(`E10k${suffix}`, exportSmall, proc);

  const bigStart = Date.now();
  const inserted = await phase(`insert ${fmtInt(config.big - exportSmall)} more verified signatures (one INSERT … generate_series)`, async () => {
    try {
      return await db.insertVerified(state.pg, campaign.id, exportSmall + 1, config.big, config.bigTimeout, pools);
    } catch (error) {
      if (error.code === '57014') {
        throw new Error(`The bulk INSERT took over BENCH_BIG_TIMEOUT=${config.bigTimeout} s; try BENCH_BIG=200000`);
      }
      throw error;
    }
  });
  out.bigInsert = { rows: inserted, seconds: Math.round((Date.now() - bigStart) / 100) / 10 };
  // What autovacuum would do on its own, done now, so it does not run during the measurement.
  await phase('VACUUM (ANALYZE) signatures; CHECKPOINT', async () => {
    await state.pg.query('VACUUM (ANALYZE) signatures');
    await state.pg.query('CHECKPOINT');
  });
  out.sizes = await db.relationSizes(state.pg);
  out.reconcileBig = await reconcile(config.big >= 1e6 ? `${config.big / 1e6}M` : `${config.big / 1e3}k`);
  await checkCount(config.big);
  await state.pg.query('UPDATE baseline.counters SET verified = $1, updated_at = now()', [config.big]);
  await scenario('CBig', `count, Nida, ${fmtInt(config.big)} verified`, api, getRequest(countPath), 200);
  for (const { suffix, proc } of exportApis) {
    await exportScenario(`EBig${suffix}`, config.big, proc);
    await children.stop(proc);
  }

  // ── L / L': letters through the queue, against raw pooled nodemailer ─────
  out.letters = await letters.lettersScenarios(
    { total: config.letters, timeoutSeconds: config.lettersTimeout, concurrency: MAIL_CONCURRENCY, database: 'nida_bench' },
    { pg: state.pg, children: state.children, phase, say, api, token: campaign.token, sink, pids },
  );

  // ── U / U': a case update emailed through the queue, against raw pooled nodemailer ─
  if (config.updateRecipients > 0) {
    // U's memory target is what a worker needs to send an update: measured on a worker started for
    // it, not on one whose heap the signing scenarios' tens of thousands of emails grew first.
    pids.nidaWorker = (
      await phase('restart the worker for U', async () => {
        await children.stop(workerProc);
        return startWorker('nida-worker-u');
      })
    ).pid;
    out.updates = await updates.updatesScenarios(config.updateRecipients, {
      root: ROOT,
      api,
      token: campaign.token,
      sink,
      pids,
      pg: state.pg,
      database: 'nida_bench',
      children: state.children,
      phase,
      say,
      timeoutSeconds: config.updateTimeout,
    });
  }

  out.rowsAtEnd = await db.signatureCounts(state.pg, campaign.id);
  out.baselineRows = await db.baselineCounts(state.pg);
  out.baselineStats = await askStats(baseline).catch(() => null);
  out.signersGenerated = signersSoFar();
}

/** Runs `node dist/src/cli.js tally:reconcile` against the benchmark database; returns its time and output. */
async function runReconcile(children, label) {
  const entry = children.start(`cli-reconcile-${label}`, [path.join(ROOT, 'dist/src/cli.js'), 'tally:reconcile'], {
    cwd: ROOT,
    env: { ...baseEnv(), NODE_ENV: 'development', DATABASE_URL, LOG_LEVEL: 'warn' },
  });
  entry.expectedExit = true;
  const start = Date.now();
  let timer;
  const timedOut = await Promise.race([
    entry.exit.then(() => false),
    new Promise((resolve) => (timer = setTimeout(() => resolve(true), 180000))),
  ]);
  clearTimeout(timer);
  if (timedOut) {
    await children.stop(entry, 2000);
    throw new Error('tally:reconcile took over 180 s');
  }
  // eslint-disable-next-line no-control-regex -- removing ANSI colours of Nest's console logger
  const output = entry.tail.join('\n').replace(/\x1b\[[0-9;]*m/g, '');
  if (entry.code !== 0) throw new Error(`tally:reconcile exited ${entry.code}:\n${output}`);
  const summary = output.slice(output.search(/Repaired|Counters match/)).split('\n').map((l) => l.trim()).join(' ');
  say(`  ${summary}`);
  return { seconds: Math.round((Date.now() - start) / 100) / 10, output };
}

async function cleanup(state) {
  if (state.cleaned) return state.shutdown;
  state.cleaned = true;
  const shutdown = {};
  // A long statement of ours (the bulk insert) must not outlive us.
  if (state.pgPid) {
    const killer = new Client({ connectionString: DATABASE_URL, application_name: 'nida-bench-cleanup' });
    try {
      await killer.connect();
      await killer.query('SELECT pg_cancel_backend($1) FROM pg_stat_activity WHERE pid = $1 AND state = $2', [state.pgPid, 'active']);
    } catch {
      /* the database may be gone or unreachable */
    } finally {
      await killer.end().catch(() => undefined);
    }
  }
  // Nida and the baseline first (the worker may be sending), then the sink.
  const sink = state.children.all.filter((e) => e.name === 'smtp-sink');
  const others = state.children.all.filter((e) => e.name !== 'smtp-sink');
  shutdown.children = [
    ...(await Promise.all(others.map((e) => state.children.stop(e, 15000)))),
    ...(await Promise.all(sink.map((e) => state.children.stop(e, 5000)))),
  ];
  shutdown.appLogProblems = state.children.all
    .filter((e) => !e.name.startsWith('cli-') && (e.warnings || e.errors || e.problems.length))
    .map((e) => ({ process: e.name, warnings: e.warnings, errors: e.errors, firstLines: e.problems.slice(0, 5) }));
  if (state.pg) await state.pg.end().catch(() => undefined);
  let redis = state.redis;
  try {
    if (!redis || redis.status !== 'ready') {
      redis?.disconnect();
      redis = new Redis({ host: REDIS_HOST, port: REDIS_PORT, maxRetriesPerRequest: 1 });
      redis.on('error', () => undefined);
    }
    shutdown.redisKeysDeleted = await deletePrefixes(redis, [REDIS_PREFIX, BASELINE_PREFIX, scale.REDIS_PREFIX]);
  } finally {
    await redis?.quit().catch(() => redis.disconnect());
  }
  for (const c of shutdown.children) {
    if (c.alreadyExited && !c.name.startsWith('cli-') && c.code !== 0) {
      say(`  note: ${c.name} had already exited (code ${c.code}, signal ${c.signal})`);
    } else if (!c.alreadyExited && (!c.graceful || c.code !== 0)) {
      say(`  note: ${c.name} did not stop cleanly on SIGTERM (code ${c.code}, signal ${c.signal}, graceful ${c.graceful})`);
    }
  }
  state.shutdown = shutdown;
  return shutdown;
}

// ── report ──────────────────────────────────────────────────────────────────

function printReport(out) {
  const s = out.scenarios;
  const ratio = (a, b) => (a && b ? Math.round((a / b) * 1000) / 1000 : null);
  const signRatio = ratio(s.A?.rps, s["A'"]?.rps);
  const countRatio = ratio(s.B?.rps, s["B'"]?.rps);
  const flatRatio = ratio(s.CBig?.rps, s.C1k?.rps);
  const limitsRatio = pairedRatio(s.AL?.runsRps, s.AP?.runsRps);
  const encryptionRatio = pairedRatio(s.AP?.runsRps, s.AN?.runsRps);
  const flatP99 = ratio(s.CBig?.latencyMs.p99, s.C1k?.latencyMs.p99);
  const e10k = out.exports?.E10k;
  const eBig = out.exports?.EBig;
  const exportsRss = e10k && eBig ? `${e10k.rssMb.peak} / ${eBig.rssMb.peak} MB` : null;
  const exportRssRatio = ratio(eBig?.rssMb.peak, e10k?.rssMb.peak);
  const p99Flat = s.CBig && s.C1k && s.CBig.latencyMs.p99 <= Math.max(s.C1k.latencyMs.p99 * 1.25, s.C1k.latencyMs.p99 + 2);
  const checks = [
    { what: "sign: Nida/baseline req/s (A/A')", value: signRatio, target: `≥ ${TARGETS.signRatio}`, met: signRatio >= TARGETS.signRatio },
    { what: 'sign: Nida p99 (A)', value: `${s.A?.latencyMs.p99} ms`, target: `< ${TARGETS.signP99Ms} ms`, met: s.A?.latencyMs.p99 < TARGETS.signP99Ms },
    { what: "sign: A responses not 202", value: s.A?.unexpectedResponses, target: '0', met: s.A?.unexpectedResponses === 0 },
    { what: 'sign: limits on/off req/s (AL/AP)', value: limitsRatio, target: `≥ ${TARGETS.limitsRatio}`, met: limitsRatio >= TARGETS.limitsRatio },
    { what: 'sign: encryption on/off req/s (AP/AN)', value: encryptionRatio, target: `≥ ${TARGETS.encryptionRatio}`, met: encryptionRatio >= TARGETS.encryptionRatio },
    { what: 'sign: AL responses not 202, held', value: s.AL ? `${s.AL.unexpectedResponses}, ${s.AL.held}` : null, target: '0, 0', met: s.AL?.unexpectedResponses === 0 && s.AL?.held === 0 },
    { what: "count: Nida/baseline req/s (B/B')", value: countRatio, target: `≥ ${TARGETS.countRatio}`, met: countRatio >= TARGETS.countRatio },
    { what: `count: req/s ${fmtInt(out.config.big)} / 1k`, value: flatRatio, target: `flat (≥ ${TARGETS.flatRatio})`, met: flatRatio >= TARGETS.flatRatio },
    { what: `count: p99 ${fmtInt(out.config.big)} / 1k`, value: flatP99, target: 'flat (≤ +25 % or +2 ms)', met: !!p99Flat },
    { what: 'export: api peak RSS at 10k / BIG', value: exportsRss, target: `< ${TARGETS.exportRssMb} MB each`, met: e10k?.rssMb.peak < TARGETS.exportRssMb && eBig?.rssMb.peak < TARGETS.exportRssMb },
    { what: 'export: api peak RSS BIG / 10k', value: exportRssRatio, target: `flat (≤ ${TARGETS.exportRssFlat})`, met: exportRssRatio !== null && exportRssRatio <= TARGETS.exportRssFlat },
    { what: "letters: Nida/raw nodemailer letters/s (L/L')", value: out.letters?.ratio, target: `≥ ${TARGETS.letterRatio}`, met: out.letters?.ratio >= TARGETS.letterRatio },
    ...(out.updates
      ? [
          { what: "updates: Nida/raw nodemailer emails/s (U/U')", value: out.updates.ratio, target: `≥ ${TARGETS.updateRatio}`, met: out.updates.ratio >= TARGETS.updateRatio },
          { what: 'updates: worker peak RSS (U)', value: `${out.updates.U.workerRssMb.peakMb} MB`, target: `< ${TARGETS.updateWorkerRssMb} MB`, met: out.updates.U.workerRssMb.peakMb < TARGETS.updateWorkerRssMb },
        ]
      : []),
    ...(out.scale
      ? [
          {
            what: 'scale: PostgreSQL lock waits sampled (S1, S2)',
            // Relation extension apart (bench/lib/scale.js, waitSampler): shown, not a serialisation.
            value: `${out.scale.S1.pgWaits.lockWaits}, ${out.scale.S2.pgWaits.lockWaits} (extension ${out.scale.S1.pgWaits.extendWaits}, ${out.scale.S2.pgWaits.extendWaits})`,
            target: '0, 0',
            met: out.scale.S1.pgWaits.lockWaits === 0 && out.scale.S2.pgWaits.lockWaits === 0,
          },
          ...(out.scale.singleRatios
            ? [
                {
                  what: `sign, 1 process, ${out.config.scaleConnections} conn.: S1/S0 req/s`,
                  value: out.scale.singleRatios.rps,
                  target: `≥ ${TARGETS.singleRatio}`,
                  met: out.scale.singleRatios.rps >= TARGETS.singleRatio,
                },
                { what: 'sign, 1 process: Nida p99 (S1)', value: `${out.scale.S1p99Ms} ms`, target: `< ${TARGETS.signP99Ms} ms`, met: out.scale.S1p99Ms < TARGETS.signP99Ms },
              ]
            : []),
          ...(out.scale.crowd
            ? [
                {
                  what: 'crowd: signing p99 (SC)',
                  value: `${out.scale.crowd.signing.latencyMs.p99} ms`,
                  target: `< ${TARGETS.signP99Ms} ms`,
                  met: out.scale.crowd.signing.latencyMs.p99 < TARGETS.signP99Ms,
                },
                {
                  what: 'crowd: 5xx answers (SC)',
                  value: out.scale.crowd.signing.status5xx + out.scale.crowd.reading.status5xx,
                  target: '0',
                  met: out.scale.crowd.signing.status5xx + out.scale.crowd.reading.status5xx === 0 && out.scale.crowd.signing.errors + out.scale.crowd.reading.errors === 0,
                },
                {
                  what: 'crowd: count lag behind a confirmation (SC)',
                  value: `${out.scale.crowd.countLagMs.max} ms`,
                  target: `< ${TARGETS.crowdLagMs} ms`,
                  met: out.scale.crowd.countLagMs.samples > 0 && out.scale.crowd.countLagMs.max < TARGETS.crowdLagMs,
                },
              ]
            : []),
        ]
      : []),
  ];
  const allMet = checks.every((c) => c.met);
  const cpuFlat = ratio(s.CBig?.cpuMicrosPerRequest.app, s.C1k?.cpuMicrosPerRequest.app);
  out.ratiosInfo = { countBigOverSmallApiCpuPerRequest: cpuFlat };
  out.ratios = {
    signNidaOverBaseline: signRatio,
    signLimitsOnOverOff: limitsRatio,
    countNidaOverBaseline: countRatio,
    countBigOverSmallRps: flatRatio,
    countBigOverSmallP99: flatP99,
    lettersNidaOverRawNodemailer: out.letters?.ratio ?? null,
    updatesNidaOverRawNodemailer: out.updates?.ratio ?? null,
    exportPeakRssBigOverSmall: exportRssRatio,
    scaleS2OverS1Rps: out.scale?.ratios?.rps ?? null,
    scaleS2OverS1CpuPerSignatureWithMail: out.scale?.ratios?.cpuPerSignatureWithMailTotal ?? null,
    signOneProcessNidaOverBaseline: out.scale?.singleRatios?.rps ?? null,
  };
  out.targets = checks;
  out.allTargetsMet = allMet;

  const pad = (v, n, right = true) => {
    const t = v === null || v === undefined ? '-' : String(v);
    return right ? t.padStart(n) : t.padEnd(n);
  };
  const lines = [];
  lines.push('');
  lines.push(`Nida benchmark: ${out.config.connections} connections, ${out.config.duration} s per scenario (+${out.config.warmup} s warm-up), ` +
    `${out.machine.cpus} CPU(s), Node ${out.machine.node}, PostgreSQL ${out.machine.postgres}, Redis ${out.machine.redis}; ` +
    `machine ${out.machine.busyBeforeStartPercent} % busy before the start`);
  lines.push('');
  const head =
    `${pad('id', 4, false)} ${pad('scenario', 42, false)} ${pad('req/s', 7)} ${pad('p50 ms', 7)} ${pad('p99 ms', 7)} ${pad('max ms', 7)} ` +
    `${pad('requests', 8)} ${pad('non-2xx', 7)} ${pad('errors', 6)} | ${pad('app', 5)} ${pad('worker', 6)} ${pad('pg', 5)} ${pad('other', 5)} | ${pad('app', 5)} ${pad('pg', 5)}`;
  lines.push(`${' '.repeat(head.length - 43)}CPU, % of one core        CPU µs/request`);
  lines.push(head);
  lines.push('-'.repeat(head.length));
  for (const [id, r] of Object.entries(s)) {
    const c = r.cpu.percentOfOneCore;
    const app = id.endsWith("'") ? c.baseline : c.nidaApi;
    const worker = id.endsWith("'") ? '' : c.nidaWorker;
    lines.push(
      `${pad(id, 4, false)} ${pad(r.label, 42, false)} ${pad(fmtInt(r.rps), 7)} ${pad(r.latencyMs.p50, 7)} ${pad(r.latencyMs.p99, 7)} ${pad(r.latencyMs.max, 7)} ` +
        `${pad(fmtInt(r.requests), 8)} ${pad(r.non2xx, 7)} ${pad(r.errors, 6)} | ${pad(app, 5)} ${pad(worker, 6)} ${pad(c.pgBackends, 5)} ${pad(r.cpu.otherPercentOfOneCore, 5)} ` +
        `| ${pad(r.cpuMicrosPerRequest.app, 5)} ${pad(r.cpuMicrosPerRequest.pg, 5)}`,
    );
  }
  lines.push("  app: the Nida api process (the baseline server on ' rows); worker: Nida's worker; pg: PostgreSQL backends of nida_bench;");
  lines.push("  other: busy CPU not explained by these, the bench, the SMTP sink, Redis or PostgreSQL's own processes (other users, kernel).");
  if (Object.values(s).some((r) => r.cpu.otherPercentOfOneCore > 25)) {
    lines.push('  NOTE: other work used over 25 % of a core during some scenarios: req/s figures are noisy (the µs/request columns less so).');
  }
  if (out.letters) {
    const L = out.letters.L;
    const R = out.letters["L'"];
    lines.push('');
    lines.push(`Letters: ${fmtInt(out.letters.total)} (${fmtInt(out.letters.supporters)} supporters × ${out.letters.targets} targets), ${out.letters.concurrency} in flight, to the SMTP sink`);
    const lhead = `${pad('id', 4, false)} ${pad('sender', 52, false)} ${pad('letters/s', 9)} ${pad('seconds', 8)} ${pad('letters', 8)} | ${pad('CPU µs/letter', 30, false)}`;
    lines.push(lhead);
    lines.push('-'.repeat(lhead.length));
    lines.push(`${pad('L', 4, false)} ${pad('Nida: rows → dispatcher → BullMQ → worker → SMTP', 52, false)} ${pad(L.lettersPerSecond, 9)} ${pad(L.seconds, 8)} ${pad(fmtInt(L.letters), 8)} | ` +
      `worker ${L.cpuMicrosPerLetter.worker}, pg ${L.cpuMicrosPerLetter.pg}, sink ${L.cpuMicrosPerLetter.sink}`);
    lines.push(`${pad("L'", 4, false)} ${pad('raw pooled nodemailer (same pool options)', 52, false)} ${pad(R.lettersPerSecond, 9)} ${pad(R.seconds, 8)} ${pad(fmtInt(R.letters), 8)} | ` +
      `sender ${R.cpuMicrosPerLetter.sender}, sink ${R.cpuMicrosPerLetter.sink}`);
    lines.push(`  L is timed by PostgreSQL from the letters' creation to the last recorded sent (so it includes the wait for the dispatcher's ` +
      `first pass: first sent after ${L.firstSentAfterSeconds} s); first to last sent: ${L.lettersPerSecondFirstToLast} letters/s; ` +
      `latency created→sent p50 ${L.latencySeconds.p50} s, p99 ${L.latencySeconds.p99} s; ${L.counts.retried} retried.`);
  }
  if (out.updates) lines.push('', ...updates.reportLines(out.updates));
  if (out.scale) lines.push('', ...scale.reportLines(out.scale));
  lines.push('');
  lines.push('Targets');
  for (const c of checks) lines.push(`  ${pad(c.what, 46, false)} ${pad(c.value, 10)}   target ${pad(c.target, 24, false)} ${c.met ? 'MET' : 'MISSED'}`);
  lines.push(`  ${pad(`(info) count: api CPU/request ${fmtInt(out.config.big)} / 1k`, 46, false)} ${pad(cpuFlat, 10)}   (flat ≈ 1; less sensitive to other load)`);
  if (s.B0) {
    lines.push(`  ${pad("(info) count, cache off: req/s B0/B'", 46, false)} ${pad(ratio(s.B0.rps, s["B'"]?.rps), 10)}   (p99 ${s.B0.latencyMs.p99} ms; every read goes to PostgreSQL, as the baseline's do)`);
  }
  if (out.letters) {
    const cpuRatio = ratio(out.letters["L'"].cpuMicrosPerLetter.sender, out.letters.L.cpuMicrosPerLetter.worker);
    out.ratiosInfo.lettersRawSenderCpuOverNidaWorkerCpuPerLetter = cpuRatio;
    lines.push(`  ${pad("(info) letters: CPU/letter, raw / Nida worker", 46, false)} ${pad(cpuRatio, 10)}   (less sensitive to other load; Nida's PostgreSQL and Redis work not counted)`);
  }
  if (out.updates) {
    out.ratiosInfo.updatesRawSenderCpuOverNidaWorkerCpuPerEmail = out.updates.cpuRatio;
    lines.push(`  ${pad("(info) updates: CPU/email, raw / Nida worker", 46, false)} ${pad(out.updates.cpuRatio, 10)}   (less sensitive to other load; Nida's PostgreSQL and Redis work not counted)`);
  }
  if (out.scale?.ratios) {
    const r = out.scale.ratios;
    lines.push(`  ${pad('(info) scale: req/s S2/S1', 46, false)} ${pad(r.rps, 10)}   (2 api + 1 worker against one APP_ROLE=all process; bounded by the cores free)`);
    lines.push(`  ${pad('(info) scale: CPU/signature + email S2/S1', 46, false)} ${pad(r.cpuPerSignatureWithMailTotal, 10)}   ` +
      `(Nida ${r.cpuPerSignatureWithMailNida}, PostgreSQL ${r.cpuPerSignatureWithMailPg}; ≈ 1: a process more costs nothing a signature)`);
  }
  if (s.P) {
    lines.push(`  ${pad("(info) campaign page: req/s P/B'", 46, false)} ${pad(ratio(s.P.rps, s["B'"]?.rps), 10)}   (p99 ${s.P.latencyMs.p99} ms; a whole page, gzipped; its data and HTML reused for COUNT_CACHE_MS)`);
  }
  if (s.AL && s.AP) {
    const cpuRatio = pairedRatio(s.AL.runsApiCpu, s.AP.runsApiCpu);
    out.ratiosInfo.signLimitsOnOverOffApiCpuPerRequest = cpuRatio;
    lines.push(`  ${pad('(info) sign, limits on/off: api CPU/request', 46, false)} ${pad(cpuRatio, 10)}   ` +
      `(windows AP ${s.AP.runsRps.map(fmtInt).join('/')}, AL ${s.AL.runsRps.map(fmtInt).join('/')} signs/s; median window p99 AL ${s.AL.latencyMs.p99}, AP ${s.AP.latencyMs.p99} ms)`);
  }
  if (s.AP && s.AN) {
    const cpuRatio = pairedRatio(s.AP.runsApiCpu, s.AN.runsApiCpu);
    out.ratiosInfo.signEncryptionOnOverOffApiCpuPerRequest = cpuRatio;
    lines.push(`  ${pad('(info) sign, encryption on/off: api CPU/request', 46, false)} ${pad(cpuRatio, 10)}   ` +
      `(windows AN ${s.AN.runsRps.map(fmtInt).join('/')}, AP ${s.AP.runsRps.map(fmtInt).join('/')} signs/s; api µs AN ${s.AN.runsApiCpu.join('/')}, AP ${s.AP.runsApiCpu.join('/')})`);
  }
  if (out.sealMicrosPerSignature !== undefined && s.AP?.cpuMicrosPerRequest.app) {
    const share = Math.round((out.sealMicrosPerSignature / s.AP.cpuMicrosPerRequest.app) * 1000) / 10;
    out.ratiosInfo.sealShareOfApiCpuPerSignature = share / 100;
    lines.push(`  ${pad('(info) sign, sealing: µs / api CPU a signature', 46, false)} ${pad(`${share} %`, 10)}   ` +
      `(${out.sealMicrosPerSignature} µs to seal 4 fields and index the email, of AP's ${s.AP.cpuMicrosPerRequest.app} µs; measured in the bench process, steady under load)`);
  }
  if (s.A0) {
    lines.push(`  ${pad("(info) sign, worker paused: req/s A0/A'", 46, false)} ${pad(ratio(s.A0.rps, s["A'"]?.rps), 10)}   (p99 ${s.A0.latencyMs.p99} ms; the worker's mail sending competes for the 2 cores in A)`);
  }
  lines.push('');
  lines.push(`Count reads: ${fmtInt(SMALL)} verified → ${fmtInt(s.C1k?.rps)} req/s (p99 ${s.C1k?.latencyMs.p99} ms); ` +
    `${fmtInt(out.config.big)} verified → ${fmtInt(s.CBig?.rps)} req/s (p99 ${s.CBig?.latencyMs.p99} ms); ratio ${flatRatio}`);
  for (const [id, e] of Object.entries(out.exports || {})) {
    lines.push(`CSV export ${id}: ${fmtInt(e.rows)} rows (${Math.round(e.bytes / 1048576)} MB) in ${e.seconds} s = ${fmtInt(e.rowsPerSecond)} rows/s; ` +
      `api RSS ${e.rssMb.before} MB before, peak ${e.rssMb.peak} MB, ${e.rssMb.after} MB after (${e.rssMb.samples} samples, 100 ms apart)`);
  }
  if (out.baselineMail) lines.push(`Baseline's mail after A': all sent ${out.baselineMail.drainSecondsAfterLoad} s after the load ended`);
  for (const [id, m] of Object.entries(out.mail || {})) {
    lines.push(`Mail after ${id}: outbox ${fmtInt(m.outbox.sent)} sent, ${m.outbox.failed} failed, ${m.outbox.pending} pending, ` +
      `${m.outbox.retried} retried; sink received ${fmtInt(m.sinkMessagesTotal)} in all; drained ${m.drainSecondsAfterLoad} s after the load ended`);
  }
  if (out.bigInsert) lines.push(`Bulk insert: ${fmtInt(out.bigInsert.rows)} rows in ${out.bigInsert.seconds} s (signatures now ${out.sizes?.signatures}, database ${out.sizes?.database})`);
  if (out.reconcileSmall) lines.push(`tally:reconcile: ${out.reconcileSmall.seconds} s at 1k, ${out.reconcileBig?.seconds} s at ${fmtInt(out.config.big)} (CLI process, start-up included)`);
  lines.push(`Phases (s): ${Object.entries(out.phases).map(([k, v]) => `${k} ${v}`).join('; ')}`);
  lines.push('');
  console.log(lines.join('\n'));
  return { allMet };
}

main().catch((error) => {
  console.error(`[bench] ${error.stack || error}`);
  process.exit(1);
});
