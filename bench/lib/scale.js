'use strict';
/**
 * Scenarios S1 and S2 of the benchmark (also alone: `npm run build && node bench/scale-only.js`):
 * does a second process add capacity, or does something serialise?
 *
 *   S0  sign  on the bare baseline (bench/baseline-server.js) in ONE process that also sends every
 *             confirmation email: node http + pg + BullMQ, and a BullMQ worker with pooled nodemailer
 *             marking each outbox row sent: the same work as S1 with nothing of Nida's
 *   S1  sign  on ONE process with APP_ROLE=all (HTTP and the queue workers in one event loop)
 *   S2  sign  on TWO APP_ROLE=api processes and ONE APP_ROLE=worker, the load's connections given to
 *             the two api ports in turn (autocannon's own round robin: connection i → api i % 2)
 *
 * Same connections, warm-up and duration for both; each on its own database (nida_bench_scale,
 * dropped and recreated once) and Redis prefix (nida-bench-scale), so no other Nida process of the
 * bench takes their jobs. Each run: warm-up, wait until its mail is sent, then the measured load,
 * then wait until every confirmation email of the run has reached the SMTP sink. Measured:
 *   - req/s and latency over the load;
 *   - CPU of each Nida process and of the PostgreSQL backends of the database (/proc/<pid>/stat),
 *     per request over the load, and per signature from the load's start until its mail was all
 *     sent (what a signature costs with its confirmation email: the figure to size with);
 *   - requests answered by each api process (S2);
 *   - PostgreSQL waits, sampled every 50 ms from pg_stat_activity (the database's Nida backends):
 *     a heavyweight lock wait ('Lock': row, tuple, transaction, relation, advisory) would be
 *     serialisation; and pg_locks rows not granted;
 *   - rows inserted and updated per table (pg_stat_user_tables): which rows signing writes, and
 *     that no row is shared by every signature (no counter, no campaign row updated).
 *
 *   SC  a crowd on ONE APP_ROLE=all process: the same signing load, while CROWD_READERS more
 *       connections read the campaign page (gzip) and its count in turn, each at most
 *       ctx.crowdReadRate requests a second (people reading, not a flood); meanwhile a prober signs
 *       with a probe address every second, reads its confirmation mail at the SMTP sink, follows the
 *       link (POST …/signatures/confirm) and reads the count until it shows the confirmation: the
 *       count's lag behind a confirmation. Targets: signing p99 < 50 ms, no 5xx, lag < 2 s.
 */
const crypto = require('node:crypto');
const { Client } = require('pg');
const { sleep, freePorts, request, waitUntil, procTicks, clkTck, cpuMeter, fmtInt, geometricMean } = require('./util');
const { load, signRequest, getRequest } = require('./load');
const db = require('./db');
const { deletePrefixes } = require('./redis-keys');
const { waitForMessage, askProbes } = require('./children');
const { waitForQueueWorkers, nidaQueuePrefix } = require('./queue-workers');

const DATABASE = 'nida_bench_scale';
const REDIS_PREFIX = 'nida-bench-scale';
const ADMIN = { email: 'bench@example.org', password: 'bench-password-123' };
// application_name of Nida's pools (nida-<APP_ROLE>) and of the baseline's
const NIDA_APPS = ['nida-api', 'nida-worker', 'nida-all', 'nida-bench-baseline'];
const BASELINE_PREFIX = `${'nida-bench-scale'}-baseline`;

const IDLE_SECONDS = 2;
const CROWD_READERS = 256;
const round1 = (n) => Math.round(n * 10) / 10;
const ratio = (a, b) => (a && b ? Math.round((a / b) * 1000) / 1000 : null);

/** CPU ticks of the database's Nida backends; those that connect meanwhile count whole (all their time is inside). */
async function pgBackendMeter(pg) {
  const list = async () =>
    (await pg.query('SELECT pid FROM pg_stat_activity WHERE datname = $1 AND application_name = ANY($2)', [DATABASE, NIDA_APPS])).rows.map((r) => r.pid);
  const t0 = Date.now();
  const start = new Map((await list()).map((pid) => [pid, procTicks(pid)]));
  return {
    async end() {
      let ticks = 0;
      for (const pid of await list()) {
        const t = procTicks(pid);
        if (t === null) continue;
        const t0p = start.get(pid);
        ticks += t0p === undefined || t0p === null ? t : t - t0p;
      }
      // Backends gone meanwhile are missed; Nida's pools keep theirs (idle timeout well above a run).
      return { seconds: (Date.now() - t0) / 1000, cpuSeconds: ticks / clkTck() };
    },
  };
}

/** CPU seconds of each named pid since now. */
function procMeter(pids) {
  const t0 = Date.now();
  const start = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, procTicks(pid)]));
  return {
    end() {
      const seconds = (Date.now() - t0) / 1000;
      const cpuSeconds = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, (procTicks(pid) - start[k]) / clkTck()]));
      return { seconds, cpuSeconds };
    },
  };
}

/** Samples the database's Nida backends every `everyMs`: what the active ones wait on, and ungranted locks. */
function waitSampler(pg, everyMs = 50) {
  const out = { samples: 0, activeBackendSamples: 0, lockWaits: 0, extendWaits: 0, lwlockWaits: 0, ioWaits: 0, byEvent: {}, ungrantedLocksMax: 0, ungrantedLocksSum: 0 };
  let running = true;
  const loop = (async () => {
    while (running) {
      const t = Date.now();
      const { rows } = await pg.query(
        `SELECT (SELECT count(*)::int FROM pg_locks l
                  WHERE NOT l.granted AND l.pid IN (SELECT pid FROM pg_stat_activity WHERE datname = $1)) AS ungranted,
                coalesce((SELECT json_agg(json_build_object('type', wait_event_type, 'event', wait_event))
                            FROM pg_stat_activity WHERE datname = $1 AND application_name = ANY($2) AND state = 'active'), '[]') AS active`,
        [DATABASE, NIDA_APPS],
      );
      const { ungranted, active } = rows[0];
      out.samples++;
      out.ungrantedLocksMax = Math.max(out.ungrantedLocksMax, ungranted);
      out.ungrantedLocksSum += ungranted;
      out.activeBackendSamples += active.length;
      for (const a of active) {
        if (a.type === null) continue; // on the CPU
        const key = `${a.type}:${a.event}`;
        out.byEvent[key] = (out.byEvent[key] || 0) + 1;
        // Relation extension ('Lock:extend': a backend adding a page to a table or index while
        // another does) is counted apart: every concurrent INSERT takes it for a moment, on any
        // schema; the others (row, tuple, transaction, relation, advisory) are one request
        // waiting for another's row or lock, which is serialisation.
        if (a.type === 'Lock' && a.event === 'extend') out.extendWaits++;
        else if (a.type === 'Lock') out.lockWaits++;
        else if (a.type === 'LWLock') out.lwlockWaits++;
        else if (a.type === 'IO') out.ioWaits++;
      }
      await sleep(Math.max(0, everyMs - (Date.now() - t)));
    }
  })();
  return {
    async end() {
      running = false;
      await loop;
      return out;
    },
  };
}

async function signatureRows(pg, baseline = false) {
  return (await pg.query(`SELECT count(*)::int AS n FROM ${baseline ? 'baseline.' : ''}signatures`)).rows[0].n;
}

/** Emails of Nida's outbox, or of the baseline's, by status. */
async function outboxCounts(pg, baseline = false) {
  if (!baseline) return db.outboxCounts(pg);
  const { rows } = await pg.query(
    `SELECT count(*) FILTER (WHERE status = 'pending')::int AS pending, count(*) FILTER (WHERE status = 'sent')::int AS sent,
            0 AS failed, 0 AS retried
       FROM baseline.outbox`,
  );
  return rows[0];
}

/** Rows written per table since the server started; the baseline's tables as baseline.<name>. */
async function tableStats(pg) {
  const { rows } = await pg.query(
    `SELECT CASE WHEN schemaname = 'public' THEN relname ELSE schemaname || '.' || relname END AS relname,
            n_tup_ins::int AS ins, n_tup_upd::int AS upd, n_tup_del::int AS del
       FROM pg_stat_user_tables`,
  );
  return Object.fromEntries(rows.map((r) => [r.relname, r]));
}

/** Per table, rows inserted/updated/deleted between two snapshots (tables untouched left out). */
function tableDelta(before, after) {
  const out = {};
  for (const [name, a] of Object.entries(after)) {
    const b = before[name] || { ins: 0, upd: 0, del: 0 };
    const d = { ins: a.ins - b.ins, upd: a.upd - b.upd, del: a.del - b.del };
    if (d.ins || d.upd || d.del) out[name] = d;
  }
  return out;
}

/** S1 against the baseline doing the same work (S0), in the same round. */
function singleRatio(s0, s1) {
  return {
    rps: ratio(s1.rps, s0.rps),
    // Work per signature: the baseline's CPU ÷ Nida's (1 = as cheap as the baseline).
    cpuPerRequestTotal: ratio(s0.cpuMicrosPerRequest.total, s1.cpuMicrosPerRequest.total),
    cpuPerSignatureWithMailTotal: ratio(s0.cpuMicrosPerSignatureWithMail.total, s1.cpuMicrosPerSignatureWithMail.total),
    cpuPerSignatureWithMailApp: ratio(s0.cpuMicrosPerSignatureWithMail.nida, s1.cpuMicrosPerSignatureWithMail.nida),
    cpuPerSignatureWithMailPg: ratio(s0.cpuMicrosPerSignatureWithMail.pg, s1.cpuMicrosPerSignatureWithMail.pg),
  };
}

function roundRatio(s1, s2) {
  const apiReqs = Object.values(s2.processes).filter((p) => p.role === 'api').map((p) => p.requests);
  if (apiReqs.length < 2) apiReqs.push(apiReqs[0]);
  return {
    rps: ratio(s2.rps, s1.rps),
    cpuPerRequestTotal: ratio(s2.cpuMicrosPerRequest.total, s1.cpuMicrosPerRequest.total),
    cpuPerSignatureWithMailTotal: ratio(s2.cpuMicrosPerSignatureWithMail.total, s1.cpuMicrosPerSignatureWithMail.total),
    cpuPerSignatureWithMailNida: ratio(s2.cpuMicrosPerSignatureWithMail.nida, s1.cpuMicrosPerSignatureWithMail.nida),
    cpuPerSignatureWithMailPg: ratio(s2.cpuMicrosPerSignatureWithMail.pg, s1.cpuMicrosPerSignatureWithMail.pg),
    s2ApiRequestsMinOverMax: ratio(Math.min(...apiReqs), Math.max(...apiReqs)),
  };
}

/**
 * Runs S1 then S2 (`rounds` times, alternating), returns their figures: every run, S1 and S2 of the
 * last round, the S2/S1 ratios of each round and their geometric mean.
 * ctx: { root, children, sink, askStats, appEnv(role, port) → env, nodeArgs(name) → node args,
 *        connections, duration, warmup, drainTimeout, rounds, phase, say }
 */
async function scaleScenarios(ctx) {
  const { children, say, phase } = ctx;
  const databaseUrl = `postgres://postgres@127.0.0.1:5432/${DATABASE}`;
  const env = (role, port) => ({ ...ctx.appEnv(role, port), DATABASE_URL: databaseUrl, REDIS_PREFIX, ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password });
  const Redis = require('ioredis');
  const redis = new Redis({ host: '127.0.0.1', port: 6379, maxRetriesPerRequest: 1 });
  redis.on('error', () => undefined);
  let pg = null;
  let sampler = null;
  const result = { database: DATABASE, redisPrefix: REDIS_PREFIX, connections: ctx.connections, duration: ctx.duration, warmup: ctx.warmup, runs: [] };
  try {
    const baselineCampaignId = crypto.randomUUID();
    await phase('scale: prepare its database and Redis prefix', async () => {
      await db.recreateDatabase(databaseUrl);
      await deletePrefixes(redis, [REDIS_PREFIX, BASELINE_PREFIX]);
      pg = new Client({ connectionString: databaseUrl, application_name: 'nida-bench-scale' });
      await pg.connect();
      await db.createBaselineSchema(pg);
      await db.addBaselineCampaign(pg, baselineCampaignId);
    });
    let campaign = null;

    const startProc = async (name, role) => {
      const [port] = await freePorts(1);
      const proc = children.start(`scale-${name}`, ctx.nodeArgs(`scale-${name}`), { cwd: ctx.root, env: env(role, port) });
      proc.url = `http://127.0.0.1:${port}`;
      proc.port = port;
      proc.role = role;
      return proc;
    };
    const waitHealthy = (proc) =>
      waitUntil(`GET /health = 200 on ${proc.name}`, async () => {
        children.assertAlive();
        return (await request('GET', `${proc.url}/health`, { timeoutMs: 2000 })).status === 200;
      }, { timeoutMs: 90000, everyMs: 200 });
    const startBaseline = async () => {
      const proc = children.start('scale-baseline', [ctx.baseline], {
        cwd: ctx.root,
        ipc: true,
        env: {
          ...ctx.appEnv('all', 0),
          DATABASE_URL: databaseUrl,
          REDIS_HOST: '127.0.0.1',
          REDIS_PORT: '6379',
          QUEUE_PREFIX: BASELINE_PREFIX,
          CAMPAIGN_ID: baselineCampaignId,
          POOL_SIZE: '10', // Nida's DATABASE_POOL_SIZE default
          MAIL_CONCURRENCY: '5', // Nida's default
        },
      });
      proc.port = (await waitForMessage(proc, 'ready')).port;
      proc.url = `http://127.0.0.1:${proc.port}`;
      proc.role = 'baseline';
      return proc;
    };
    const waitMailWorkers = (n, baseline = false) =>
      waitForQueueWorkers(children, { queue: 'mail', prefix: baseline ? BASELINE_PREFIX : nidaQueuePrefix(REDIS_PREFIX, 'mail'), min: n });
    const ensureCampaign = async (api) => {
      if (campaign) return;
      let login;
      await waitUntil('the first admin to log in', async () => {
        login = await request('POST', `${api}/api/v1/auth/login`, { body: ADMIN });
        return login.status === 200;
      }, { timeoutMs: 30000, everyMs: 300 });
      const token = login.body.accessToken;
      const created = await request('POST', `${api}/api/v1/campaigns`, {
        token,
        body: { kind: 'petition', title: 'Scale campaign', summary: 's', body: 'b', locale: 'en', goal: 1000000 },
      });
      if (created.status !== 201) throw new Error(`create campaign: ${created.status} ${JSON.stringify(created.body)}`);
      const published = await request('POST', `${api}/api/v1/campaigns/${created.body.id}/publish`, { token });
      if (published.status !== 200) throw new Error(`publish: ${published.status} ${JSON.stringify(published.body)}`);
      campaign = { id: created.body.id, slug: created.body.slug };
      // Publishing queues the campaign's share card, printed by a worker with Chromium (a child
      // process, seconds of CPU): let it be done before anything is measured.
      const card = await waitUntil('the campaign\'s share card', async () => {
        children.assertAlive();
        const { rows } = await pg.query('SELECT card_key FROM campaign_media WHERE campaign_id = $1', [campaign.id]);
        return rows[0]?.card_key ? 'printed' : false;
      }, { timeoutMs: 60000, everyMs: 250 }).catch(() => 'not printed within 60 s');
      result.shareCard = card;
      if (card !== 'printed') say(`  note: the share card was ${card}; it may be printed during S1`);
    };
    const drain = async (what, baseline = false) => {
      const deadline = Date.now() + ctx.drainTimeout * 1000;
      let last = await outboxCounts(pg, baseline);
      while (last.pending > 0 && Date.now() < deadline) {
        children.assertAlive();
        await sleep(100);
        last = await outboxCounts(pg, baseline);
      }
      if (last.pending > 0) throw new Error(`scale ${what}: ${last.pending} emails still pending after ${ctx.drainTimeout} s`);
      return last;
    };

    const runOne = async (id, round) => {
      const apiCount = ctx.apis ?? 2;
      const isBaseline = id === 'S0';
      const label = isBaseline
        ? 'sign, baseline + its mail worker, 1 process'
        : id === 'S1'
          ? 'sign, 1 process APP_ROLE=all'
          : `sign, ${apiCount} × APP_ROLE=api + 1 × APP_ROLE=worker`;
      return phase(`scenario ${id}: ${label} (run ${round} of ${ctx.rounds})`, async () => {
        let procs;
        if (isBaseline) {
          procs = [await startBaseline()];
          await waitMailWorkers(1, true);
        } else if (id === 'S1') {
          procs = [await startProc('all', 'all')];
          await waitHealthy(procs[0]);
          await waitMailWorkers(1);
        } else {
          const first = await startProc('api-1', 'api');
          await waitHealthy(first); // migrations done once, before the others start
          procs = [first];
          for (let i = 2; i <= apiCount; i++) procs.push(await startProc(`api-${i}`, 'api'));
          procs.push(await startProc('worker', 'worker'));
          for (const p of procs.slice(1, -1)) await waitHealthy(p);
          await waitMailWorkers(1);
        }
        try {
          const apis = procs.filter((p) => p.role !== 'worker');
          let signPath = '/signatures';
          if (!isBaseline) {
            await ensureCampaign(apis[0].url);
            signPath = `/api/v1/campaigns/${encodeURIComponent(campaign.slug)}/signatures`;
          }
          const urls = apis.map((p) => p.url);
          const settings = { url: urls.length === 1 ? urls[0] : urls, request: signRequest(signPath), connections: ctx.connections, expect: 202 };
          if (ctx.warmup > 0) await load({ ...settings, duration: ctx.warmup });
          await drain(`${id} warm-up`, isBaseline);
          // At rest: what the processes and their backends use with no request (timers, sweeps,
          // queue polling), over IDLE_SECONDS: a fixed cost, per request only through the rate.
          const pids = Object.fromEntries(procs.map((p) => [p.name.replace(/^scale-/, ''), p.pid]));
          const idleMeter = procMeter(pids);
          const idlePg = await pgBackendMeter(pg);
          await sleep(IDLE_SECONDS * 1000);
          const idle = idleMeter.end();
          const idlePgEnd = await idlePg.end();
          const idlePercent = Object.fromEntries(Object.entries(idle.cpuSeconds).map(([k, v]) => [k, round1((v / idle.seconds) * 100)]));
          idlePercent.pg = round1((idlePgEnd.cpuSeconds / idlePgEnd.seconds) * 100);
          const sink0 = await ctx.askStats(ctx.sink);
          const outbox0 = await outboxCounts(pg, isBaseline);
          const rows0 = await signatureRows(pg, isBaseline);
          const tables0 = await tableStats(pg);
          const machine = cpuMeter(pids, {}, []);
          const loadMeter = procMeter(pids);
          const fullMeter = procMeter(pids);
          const pgLoad = await pgBackendMeter(pg);
          const pgFull = await pgBackendMeter(pg);
          sampler = waitSampler(pg);
          const r = await load({ ...settings, duration: ctx.duration });
          const waits = await sampler.end();
          sampler = null;
          const cpuLoad = loadMeter.end();
          const machineLoad = machine.end();
          const pgLoadEnd = await pgLoad.end();
          const loadEnd = Date.now();
          const outbox1 = await drain(id, isBaseline);
          const drainSeconds = round1((Date.now() - loadEnd) / 1000);
          const cpuFull = fullMeter.end();
          const pgFullEnd = await pgFull.end();
          const sink1 = await ctx.askStats(ctx.sink);
          // The signatures written: the 202s counted, and the requests in flight when the load stopped
          // (the process still signs them; their answer finds the connection closed).
          const signed = (await signatureRows(pg, isBaseline)) - rows0;
          if (signed < (r.statuses['202'] || 0)) throw new Error(`${id}: ${r.statuses['202']} answered 202 but ${signed} signatures written`);
          // pg_stat_user_tables is written by each backend at most once a second, and by an idle one
          // up to 10 s later: wait until the signatures' inserts are all in.
          let tables1 = await tableStats(pg);
          const statsDeadline = Date.now() + 12000;
          const sigTable = isBaseline ? 'baseline.signatures' : 'signatures';
          while ((tables1[sigTable]?.ins ?? 0) - (tables0[sigTable]?.ins ?? 0) < signed && Date.now() < statsDeadline) {
            await sleep(500);
            tables1 = await tableStats(pg);
          }
          const sentMeasured = outbox1.sent - outbox0.sent;
          const mailed = sink1.messages - sink0.messages;
          if (outbox1.failed > 0) throw new Error(`${id}: ${outbox1.failed} emails failed`);
          if (sentMeasured !== signed || mailed !== signed) {
            throw new Error(`${id}: ${signed} signatures, but ${sentMeasured} emails recorded sent and ${mailed} reached the SMTP sink`);
          }
          // Over the load: CPU time ÷ requests answered in it (as the other scenarios); with the mail:
          // CPU time from the load's start until its last email was sent ÷ the signatures of the load.
          const perLoad = (cpuSeconds) => (r.requests > 0 ? Math.round((cpuSeconds * 1e6) / r.requests) : null);
          const perSig = (cpuSeconds) => (signed > 0 ? Math.round((cpuSeconds * 1e6) / signed) : null);
          const proc = {};
          for (const p of procs) {
            const name = p.name.replace(/^scale-/, '');
            proc[name] = {
              role: p.role,
              percentOfOneCore: round1((cpuLoad.cpuSeconds[name] / cpuLoad.seconds) * 100),
              cpuMicrosPerRequest: perLoad(cpuLoad.cpuSeconds[name]),
              cpuMicrosPerSignatureWithMail: perSig(cpuFull.cpuSeconds[name]),
              requests: p.role === 'worker' ? undefined : r.byPort[p.port] || 0,
            };
          }
          const pgLoadPct = (pgLoadEnd.cpuSeconds / pgLoadEnd.seconds) * 100;
          const nidaPerReq = Object.values(proc).reduce((a, p) => a + p.cpuMicrosPerRequest, 0);
          const nidaPerSig = Object.values(proc).reduce((a, p) => a + p.cpuMicrosPerSignatureWithMail, 0);
          const pgPerReq = perLoad(pgLoadEnd.cpuSeconds);
          const pgPerSig = perSig(pgFullEnd.cpuSeconds);
          const out = {
            id,
            label,
            round,
            rps: r.rps,
            latencyMs: r.latencyMs,
            requests: r.requests,
            signed,
            unexpectedResponses: r.unexpectedResponses,
            errors: r.errors,
            processes: proc,
            pg: { percentOfOneCore: round1(pgLoadPct), cpuMicrosPerRequest: pgPerReq, cpuMicrosPerSignatureWithMail: pgPerSig },
            cpuMicrosPerRequest: { nida: nidaPerReq, pg: pgPerReq, total: nidaPerReq + pgPerReq },
            cpuMicrosPerSignatureWithMail: { nida: nidaPerSig, pg: pgPerSig, total: nidaPerSig + pgPerSig },
            idlePercentOfOneCore: idlePercent,
            machineBusyPercent: machineLoad.machineBusyPercent,
            otherPercentOfOneCore: round1(Math.max(0, machineLoad.otherPercentOfOneCore - pgLoadPct)),
            mail: { sent: sentMeasured, reachedSink: mailed, drainSecondsAfterLoad: drainSeconds, retried: outbox1.retried - outbox0.retried },
            pgWaits: waits,
            rowsWritten: tableDelta(tables0, tables1),
          };
          say(
            `  ${id}: ${r.rps} req/s, p50 ${r.latencyMs.p50} ms, p99 ${r.latencyMs.p99} ms, ${r.unexpectedResponses} not 202; ` +
              `CPU µs/signature with its mail: Nida ${nidaPerSig}, PostgreSQL ${pgPerSig}; ` +
              `${mailed} emails reached the sink (drained ${drainSeconds} s after the load); ` +
              `PostgreSQL lock waits ${waits.lockWaits} (relation extension ${waits.extendWaits}) in ${waits.samples} samples` +
              (apis.length > 1 ? `; requests per api ${apis.map((p) => r.byPort[p.port] || 0).join(' / ')}` : ''),
          );
          return out;
        } finally {
          for (const p of procs) await children.stop(p);
        }
      });
    };

    /**
     * SC's probes, before the load: `n` signers with a probe address, and the token of each read
     * from its confirmation mail at the sink (so that the load's mail backlog does not pace the prober).
     */
    const probeTokens = async (api, slug, n) => {
      const emails = [];
      for (let i = 0; i < n; i++) {
        const email = `probe${i + 1}@example.org`;
        const signed = await request('POST', `${api}/api/v1/campaigns/${encodeURIComponent(slug)}/signatures`, { body: { name: 'Probe', email, country: 'IQ' } });
        if (signed.status !== 202) throw new Error(`crowd prober: signing answered ${signed.status}`);
        emails.push(email);
      }
      const tokens = {};
      await waitUntil('the probes\' confirmation emails at the sink', async () => {
        Object.assign(tokens, await askProbes(ctx.sink));
        return emails.every((e) => tokens[e]);
      }, { timeoutMs: 60000, everyMs: 100 });
      return emails.map((e) => tokens[e]);
    };
    /** The prober of SC: one confirmation a second, each timed from its answer until the count shows it. */
    const probe = async (api, slug, tokens, until, samples) => {
      const countUrl = `${api}/api/v1/campaigns/${encodeURIComponent(slug)}/count`;
      for (const token of tokens) {
        if (Date.now() >= until) break;
        const tick = Date.now();
        const before = (await request('GET', countUrl)).body.verified;
        const confirmed = await request('POST', `${api}/api/v1/signatures/confirm`, { body: { token } });
        if (confirmed.status !== 200) throw new Error(`crowd prober: confirming answered ${confirmed.status}`);
        const t0 = Date.now();
        await waitUntil('the count to show the confirmation', async () => (await request('GET', countUrl)).body.verified > before, { timeoutMs: 30000, everyMs: 25 });
        samples.push(Date.now() - t0);
        await sleep(Math.max(0, 1000 - (Date.now() - tick)));
      }
    };

    const crowdRun = () =>
      phase(`scenario SC: a crowd on 1 process APP_ROLE=all (${ctx.connections} signing, ${CROWD_READERS} reading at most ${ctx.crowdReadRate}/s each)`, async () => {
        const proc = await startProc('crowd', 'all');
        await waitHealthy(proc);
        await waitMailWorkers(1);
        try {
          await ensureCampaign(proc.url);
          const slug = encodeURIComponent(campaign.slug);
          const signing = { url: proc.url, request: signRequest(`/api/v1/campaigns/${slug}/signatures`), connections: ctx.connections, expect: 202 };
          const reading = {
            url: proc.url,
            requests: [getRequest(`/en/c/${slug}`, { 'accept-encoding': 'gzip' }), getRequest(`/api/v1/campaigns/${slug}/count`)],
            connections: CROWD_READERS,
            connectionRate: ctx.crowdReadRate,
            expect: 200,
          };
          if (ctx.warmup > 0) await Promise.all([load({ ...signing, duration: ctx.warmup }), load({ ...reading, duration: ctx.warmup })]);
          const tokens = await probeTokens(proc.url, campaign.slug, ctx.duration);
          await drain('SC warm-up');
          const meter = procMeter({ all: proc.pid });
          const pgMeter = await pgBackendMeter(pg);
          const lags = [];
          const [signed, read] = await Promise.all([
            load({ ...signing, duration: ctx.duration }),
            load({ ...reading, duration: ctx.duration }),
            probe(proc.url, campaign.slug, tokens, Date.now() + ctx.duration * 1000 - 1000, lags),
          ]);
          const cpu = meter.end();
          const pgCpu = await pgMeter.end();
          await drain('SC');
          const fiveXx = (r) => Object.entries(r.statuses).filter(([code]) => code.startsWith('5')).reduce((a, [, n]) => a + n, 0);
          const sorted = [...lags].sort((a, b) => a - b);
          const requests = signed.requests + read.requests;
          const out = {
            id: 'SC',
            readers: CROWD_READERS,
            readRatePerConnection: ctx.crowdReadRate,
            signing: { rps: signed.rps, latencyMs: signed.latencyMs, requests: signed.requests, unexpected: signed.unexpectedResponses, errors: signed.errors, status5xx: fiveXx(signed) },
            reading: { rps: read.rps, latencyMs: read.latencyMs, requests: read.requests, unexpected: read.unexpectedResponses, errors: read.errors, status5xx: fiveXx(read) },
            countLagMs: { samples: sorted.length, p50: sorted[Math.floor(sorted.length / 2)] ?? null, max: sorted[sorted.length - 1] ?? null },
            cpuMicrosPerRequest: { all: Math.round((cpu.cpuSeconds.all * 1e6) / requests), pg: Math.round((pgCpu.cpuSeconds * 1e6) / requests) },
            percentOfOneCore: { all: round1((cpu.cpuSeconds.all / cpu.seconds) * 100), pg: round1((pgCpu.cpuSeconds / pgCpu.seconds) * 100) },
          };
          say(
            `  SC: signing ${signed.rps} req/s, p99 ${signed.latencyMs.p99} ms; reading ${read.rps} req/s, p99 ${read.latencyMs.p99} ms; ` +
              `5xx ${out.signing.status5xx + out.reading.status5xx}; count lag behind a confirmation: max ${out.countLagMs.max} ms of ${sorted.length}`,
          );
          return out;
        } finally {
          await children.stop(proc);
        }
      });

    const runs = { S0: [], S1: [], S2: [] };
    const ids = (ctx.baseline ? ['S0', 'S1', 'S2'] : ['S1', 'S2']).filter((id) => !ctx.only || ctx.only.includes(id));
    for (let round = 1; round <= ctx.rounds; round++) {
      for (const id of ids) {
        const r = await runOne(id, round);
        runs[id].push(r);
        result.runs.push(r);
      }
    }
    if (ctx.crowd && (!ctx.only || ctx.only.includes('SC'))) result.crowd = await crowdRun();
    // The ratios of each round (S2 right after its S1, on a machine as busy), then their geometric
    // mean: the two kinds of run compared at the same moment, not the luckier run of each.
    const roundRatios = runs.S2.length ? runs.S1.map((s1, i) => roundRatio(s1, runs.S2[i])) : [];
    const geo = (key) => geometricMean(roundRatios.map((r) => r[key]));
    result.roundRatios = roundRatios;
    result.ratios = roundRatios.length ? Object.fromEntries(Object.keys(roundRatios[0]).map((k) => [k, geo(k)])) : null;
    result.S1 = runs.S1[runs.S1.length - 1];
    result.S2 = runs.S2[runs.S2.length - 1];
    if (runs.S0.length && runs.S1.length) {
      // S1 against the baseline of its round; the best round of each kept as the figure (a noisy
      // machine only ever slows a run down), and the geometric mean of the rounds' ratios beside it.
      const single = runs.S0.map((s0, i) => singleRatio(s0, runs.S1[i]));
      result.S0 = runs.S0[runs.S0.length - 1];
      result.singleRoundRatios = single;
      result.singleRatios = Object.fromEntries(
        Object.keys(single[0]).map((k) => [k, geometricMean(single.map((r) => r[k]))]),
      );
      result.S1p99Ms = Math.min(...runs.S1.map((r) => r.latencyMs.p99));
    }
    return result;
  } finally {
    if (sampler) await sampler.end().catch(() => undefined);
    if (pg) await pg.end().catch(() => undefined);
    await deletePrefixes(redis, [REDIS_PREFIX, BASELINE_PREFIX]).catch(() => undefined);
    await redis.quit().catch(() => redis.disconnect());
  }
}

/** The report's lines for S1/S2. */
function reportLines(s) {
  const pad = (v, n, right = true) => {
    const t = v === null || v === undefined ? '-' : String(v);
    return right ? t.padStart(n) : t.padEnd(n);
  };
  const lines = [];
  lines.push(`Scale: signing on one APP_ROLE=all process (S1) against 2 api + 1 worker processes (S2)${s.S0 ? ' and the baseline doing the same work in one process (S0)' : ''}, ${s.connections} connections, ` +
    `${s.duration} s (+${s.warmup} s warm-up); every confirmation email sent to the SMTP sink`);
  const head = `${pad('id', 3, false)} ${pad('processes', 22, false)} ${pad('req/s', 6)} ${pad('p50', 5)} ${pad('p99', 6)} | ` +
    `${pad('CPU µs/request over the load', 40, false)} | ${pad('CPU µs/signature incl. its email', 40, false)} | waits`;
  lines.push(head);
  lines.push('-'.repeat(head.length + 20));
  for (const r of s.runs) {
    const procs = Object.entries(r.processes);
    const fmt = (key) => `${procs.map(([n, p]) => `${n} ${p[key]}`).join(', ')}, pg ${r.pg[key]} = ${r[key].total}`;
    lines.push(
      `${pad(r.id, 3, false)} ${pad(r.id === 'S0' ? '1 × baseline + mail' : r.id === 'S1' ? '1 × all' : `${Object.values(r.processes).filter((p) => p.role === 'api').length} × api + 1 × worker`, 22, false)} ${pad(fmtInt(r.rps), 6)} ${pad(r.latencyMs.p50, 5)} ${pad(r.latencyMs.p99, 6)} | ` +
        `${pad(fmt('cpuMicrosPerRequest'), 40, false)} | ${pad(fmt('cpuMicrosPerSignatureWithMail'), 40, false)} | ` +
        `lock ${r.pgWaits.lockWaits}, extend ${r.pgWaits.extendWaits}, LWLock ${r.pgWaits.lwlockWaits} of ${r.pgWaits.activeBackendSamples} active in ${r.pgWaits.samples} samples`,
    );
  }
  if (s.crowd) {
    const c = s.crowd;
    lines.push(`  SC (a crowd on 1 × all): ${s.connections} connections signing ${fmtInt(c.signing.rps)} req/s, p50 ${c.signing.latencyMs.p50} ms, p99 ${c.signing.latencyMs.p99} ms; ` +
      `${c.readers} reading the page and the count (at most ${c.readRatePerConnection}/s each) ${fmtInt(c.reading.rps)} req/s, p99 ${c.reading.latencyMs.p99} ms; ` +
      `5xx: ${c.signing.status5xx + c.reading.status5xx}; count lag behind a confirmation: p50 ${c.countLagMs.p50} ms, max ${c.countLagMs.max} ms (${c.countLagMs.samples} probes); ` +
      `CPU µs/request all ${c.cpuMicrosPerRequest.all}, pg ${c.cpuMicrosPerRequest.pg}`);
  }
  if (s.singleRatios) {
    const q = s.singleRatios;
    lines.push(`  S1/S0 (one process, Nida against the baseline${s.singleRoundRatios.length > 1 ? '; geometric mean of the rounds' : ''}): req/s ${q.rps}; ` +
      `baseline CPU ÷ Nida's per request ${q.cpuPerRequestTotal}, per signature with its email ${q.cpuPerSignatureWithMailTotal} (process ${q.cpuPerSignatureWithMailApp}, PostgreSQL ${q.cpuPerSignatureWithMailPg}); S1 p99 ${s.S1p99Ms} ms`);
  }
  const apis = s.S2 ? Object.entries(s.S2.processes).filter(([, p]) => p.role === 'api') : [];
  if (s.roundRatios.length > 1) {
    s.roundRatios.forEach((q, i) => lines.push(`  round ${i + 1} S2/S1: req/s ${q.rps}, CPU/signature with its email ${q.cpuPerSignatureWithMailTotal}`));
  }
  if (s.ratios) lines.push(`  S2/S1${s.roundRatios.length > 1 ? ' (geometric mean of the rounds)' : ''}: req/s ${s.ratios.rps}, CPU/request ${s.ratios.cpuPerRequestTotal}, CPU/signature with its email ${s.ratios.cpuPerSignatureWithMailTotal} ` +
    `(Nida ${s.ratios.cpuPerSignatureWithMailNida}, PostgreSQL ${s.ratios.cpuPerSignatureWithMailPg}); S2 requests per api: ` +
    `${apis.map(([n, p]) => `${n} ${fmtInt(p.requests)}`).join(', ')} (min/max ${s.ratios.s2ApiRequestsMinOverMax})`);
  for (const r of s.runs) {
    const written = Object.entries(r.rowsWritten).map(([t, d]) => `${t} +${d.ins}${d.upd ? ` ~${d.upd}` : ''}${d.del ? ` -${d.del}` : ''}`).join(', ');
    const events = Object.entries(r.pgWaits.byEvent).sort((a, b) => b[1] - a[1]).slice(0, 5).map(([k, v]) => `${k} ${v}`).join(', ');
    lines.push(`  ${r.id}${s.roundRatios.length > 1 ? ` (round ${r.round})` : ''}: ${fmtInt(r.signed)} signatures, ${fmtInt(r.mail.reachedSink)} emails reached the sink, drained ${r.mail.drainSecondsAfterLoad} s after the load; ` +
      `machine ${r.machineBusyPercent} % busy, other work ${r.otherPercentOfOneCore} % of a core; ` +
      `at rest (% of a core): ${Object.entries(r.idlePercentOfOneCore).map(([k, v]) => `${k} ${v}`).join(', ')}; rows (+inserted ~updated -deleted): ${written}; ` +
      `waits sampled: ${events || 'none'}; ungranted locks max ${r.pgWaits.ungrantedLocksMax}`);
  }
  return lines;
}

module.exports = { scaleScenarios, reportLines, waitSampler, DATABASE, REDIS_PREFIX };
