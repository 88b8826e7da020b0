'use strict';
// Scenario L / L': letters through Nida's queue to the SMTP sink, against raw pooled nodemailer.
const { randomUUID } = require('node:crypto');
const { sendPooled, escapeHtml } = require('./raw-mail');
const { askStats } = require('./children');
const { request, waitUntil, cpuMeter, fmtInt } = require('./util');

/** The letter both sides send: Nida renders it from the campaign; the raw side fills it in itself. */
const LETTER = {
  subject: 'From {{supporter.name}}: protect the marshes',
  body:
    'Dear {{target.name}},\n\n' +
    'I am writing to you as one of {{count}} people who signed "{{campaign.title}}". The Mesopotamian ' +
    'marshes are drying: the water that reaches them has fallen by half in ten years, and the people ' +
    'who live from them are leaving.\n\n' +
    'We ask you to hold the authorities to their commitments under the World Heritage Convention, to ' +
    'publish the water allocations for the Ahwar, and to meet the communities who live there.\n\n' +
    'Yours sincerely,\n{{supporter.name}}',
};

const TARGETS = [
  { name: 'World Heritage Centre', email: 'whc@unesco.bench.invalid' },
  { name: 'Ministry of Water Resources', email: 'minister@water.bench.invalid' },
];

/** `n` verified signatures of the letters campaign, then one letter per (signature, target), queued. */
async function insertLetters(db, campaignId, n) {
  await db.query(
    `INSERT INTO signatures (campaign_id, email, email_hash, name, country, locale, status, verified_at, emails_queued)
     SELECT $1, 'plain:l' || g || '@bench.invalid', 'l' || g || '@bench.invalid', 'plain:Bench Supporter ' || g, 'IQ', 'en', 'verified', now(), 1
       FROM generate_series(1, $2::int) AS g`,
    [campaignId, n],
  );
  const res = await db.query(
    `INSERT INTO letters (campaign_id, target_id, signature_id)
     SELECT $1, t.id, s.id FROM signatures s CROSS JOIN targets t
      WHERE s.campaign_id = $1 AND t.campaign_id = $1`,
    [campaignId],
  );
  return res.rowCount;
}

async function letterCounts(db, campaignId) {
  const { rows } = await db.query(
    `SELECT count(*) FILTER (WHERE status = 'queued')::int AS queued,
            count(*) FILTER (WHERE status = 'sending')::int AS sending,
            count(*) FILTER (WHERE status = 'sent')::int AS sent,
            count(*) FILTER (WHERE status = 'failed')::int AS failed,
            count(*) FILTER (WHERE attempts > 1)::int AS retried
       FROM letters WHERE campaign_id = $1`,
    [campaignId],
  );
  return rows[0];
}

/** PostgreSQL's own clock: from the letters' creation to the last one sent, and the first-to-last span. */
async function letterTimes(db, campaignId) {
  const { rows } = await db.query(
    `SELECT extract(epoch FROM max(sent_at) - min(created_at))::float8 AS "createdToLastSent",
            extract(epoch FROM max(sent_at) - min(sent_at))::float8 AS "firstToLastSent",
            extract(epoch FROM min(sent_at) - min(created_at))::float8 AS "createdToFirstSent",
            extract(epoch FROM percentile_cont(0.5) WITHIN GROUP (ORDER BY sent_at - created_at))::float8 AS "latencyP50",
            extract(epoch FROM percentile_cont(0.99) WITHIN GROUP (ORDER BY sent_at - created_at))::float8 AS "latencyP99"
       FROM letters WHERE campaign_id = $1 AND status = 'sent'`,
    [campaignId],
  );
  return rows[0];
}

/** One letter as Nida's worker would hand it to nodemailer (same headers, envelope and parts). */
function rawLetter(i, target, count) {
  const name = `Bench Supporter ${i}`;
  const fill = (s) =>
    s
      .replaceAll('{{supporter.name}}', name)
      .replaceAll('{{target.name}}', target.name)
      .replaceAll('{{count}}', String(count))
      .replaceAll('{{campaign.title}}', 'Letters bench campaign');
  const text = fill(LETTER.body);
  const paragraphs = text.split('\n\n').map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`).join('\n');
  const id = randomUUID(); // Nida's letter ids are UUIDs too
  return {
    from: { name: `${name} via Nida`, address: 'no-reply@nida.localhost' },
    to: { name: target.name, address: target.email },
    envelope: { from: `bounce+${id}@nida.localhost`, to: target.email },
    subject: fill(LETTER.subject),
    text,
    html: `<!doctype html>\n<html lang="en" dir="ltr"><head><meta charset="utf-8"></head><body dir="ltr">\n${paragraphs}\n</body></html>\n`,
    messageId: `<letter-${id}@nida.localhost>`,
    headers: { 'X-Nida-Letter': id },
  };
}

/**
 * L': `total` letters through one pooled nodemailer transport (the options Nida uses: pool, up to
 * `concurrency` connections, 1,000 messages each), `concurrency` sendMail calls in flight.
 */
async function rawNodemailer({ port, total, concurrency }) {
  return sendPooled({
    port,
    total,
    pool: concurrency,
    inFlight: concurrency,
    message: (i) => rawLetter(Math.floor(i / TARGETS.length) + 1, TARGETS[i % TARGETS.length], total / TARGETS.length),
  });
}

/**
 * L: letter rows written straight into the table (as confirmations would write them), then the
 * dispatcher and the worker already running do the rest; timed with PostgreSQL's clock from the
 * rows' creation to the last one recorded sent. L': raw pooled nodemailer, same count, same sink.
 */
/** config: { total, timeoutSeconds, concurrency (Nida's MAIL_CONCURRENCY: raw nodemailer's pool and in-flight), database (for its PostgreSQL backends' CPU) }. */
async function lettersScenarios(config, { pg, children, phase, say, api, token, sink, pids }) {
  const n = Math.ceil(config.total / TARGETS.length);
  const total = n * TARGETS.length;
  const result = { total, supporters: n, targets: TARGETS.length, concurrency: config.concurrency };

  const campaignId = await phase('create the letters campaign (per_signature, 2 targets)', async () => {
    const created = await request('POST', `${api}/api/v1/campaigns`, {
      token,
      body: {
        kind: 'petition',
        title: 'Letters bench campaign',
        summary: 's',
        body: 'b',
        locale: 'en',
        goal: 1000000,
        letter: { mode: 'per_signature', subject: LETTER.subject, body: LETTER.body },
      },
    });
    if (created.status !== 201) throw new Error(`create letters campaign: ${created.status} ${JSON.stringify(created.body)}`);
    const published = await request('POST', `${api}/api/v1/campaigns/${created.body.id}/publish`, { token });
    if (published.status !== 200) throw new Error(`publish letters campaign: ${published.status} ${JSON.stringify(published.body)}`);
    for (const target of TARGETS) {
      const res = await request('POST', `${api}/api/v1/campaigns/${created.body.id}/targets`, { token, body: { ...target, locale: 'en' } });
      if (res.status !== 201) throw new Error(`add target: ${res.status} ${JSON.stringify(res.body)}`);
    }
    return created.body.id;
  });
  result.campaignId = campaignId;

  const sinkBefore = await askStats(sink);
  result.L = await phase(`scenario L: ${fmtInt(total)} letters, Nida queue → SMTP sink`, async () => {
    children.assertAlive();
    const backends = (await pg.query('SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [config.database])).rows.map((r) => r.pid);
    const meter = cpuMeter({ nidaWorker: pids.nidaWorker, nidaApi: pids.nidaApi, smtpSink: pids.smtpSink }, { pgBackends: backends });
    const inserted = await insertLetters(pg, campaignId, n);
    if (inserted !== total) throw new Error(`inserted ${inserted} letters, expected ${total}`);
    let counts;
    try {
      await waitUntil(`all ${total} letters sent`, async () => {
        children.assertAlive();
        counts = await letterCounts(pg, campaignId);
        if (counts.failed > 0) throw Object.assign(new Error(`${counts.failed} letters failed`), { fatal: true });
        return counts.sent === total;
      }, { timeoutMs: config.timeoutSeconds * 1000, everyMs: 100 });
    } catch (error) {
      throw new Error(`${error.message}; letters: ${JSON.stringify(counts)} (BENCH_LETTERS_TIMEOUT=${config.timeoutSeconds})`);
    }
    const cpu = meter.end();
    const times = await letterTimes(pg, campaignId);
    const sinkAfter = await askStats(sink);
    const r3 = (v) => Math.round(v * 1000) / 1000;
    const l = {
      letters: total,
      seconds: r3(times.createdToLastSent),
      lettersPerSecond: Math.round((total / times.createdToLastSent) * 10) / 10,
      // Steady rate, without the wait for the dispatcher's first pass (LETTER_DISPATCH_INTERVAL_MS).
      lettersPerSecondFirstToLast: total > 1 ? Math.round(((total - 1) / times.firstToLastSent) * 10) / 10 : null,
      firstSentAfterSeconds: r3(times.createdToFirstSent),
      latencySeconds: { p50: r3(times.latencyP50), p99: r3(times.latencyP99) },
      counts,
      sinkMessages: sinkAfter.messages - sinkBefore.messages,
      cpu,
    };
    const c = cpu.percentOfOneCore;
    const perLetter = (pct) => (pct === undefined ? null : Math.round(((pct / 100) * cpu.seconds * 1e6) / total));
    l.cpuMicrosPerLetter = { worker: perLetter(c.nidaWorker), pg: perLetter(c.pgBackends), sink: perLetter(c.smtpSink) };
    if (l.sinkMessages < total) throw new Error(`the sink received ${l.sinkMessages} messages for ${total} letters recorded sent`);
    say(`  L: ${l.lettersPerSecond} letters/s (${total} in ${l.seconds} s; ${l.lettersPerSecondFirstToLast}/s first to last sent; ` +
      `${counts.retried} retried; sink got ${l.sinkMessages})`);
    return l;
  });

  result["L'"] = await phase(`scenario L': ${fmtInt(total)} messages, raw pooled nodemailer → SMTP sink`, async () => {
    children.assertAlive();
    const before = await askStats(sink);
    const meter = cpuMeter({ smtpSink: pids.smtpSink });
    const raw = await rawNodemailer({ port: sink.port, total, concurrency: config.concurrency });
    const cpu = meter.end();
    const after = await askStats(sink);
    const l = {
      letters: raw.sent,
      seconds: Math.round(raw.seconds * 1000) / 1000,
      lettersPerSecond: Math.round((raw.sent / raw.seconds) * 10) / 10,
      sinkMessages: after.messages - before.messages,
      cpu,
    };
    const perLetter = (pct) => (pct === undefined ? null : Math.round(((pct / 100) * cpu.seconds * 1e6) / total));
    l.cpuMicrosPerLetter = { sender: perLetter(cpu.percentOfOneCore.bench), sink: perLetter(cpu.percentOfOneCore.smtpSink) };
    if (l.sinkMessages !== total) throw new Error(`the sink received ${l.sinkMessages} of ${total} raw messages`);
    say(`  L': ${l.lettersPerSecond} letters/s (${total} in ${l.seconds} s)`);
    return l;
  });
  result.ratio = result.L.lettersPerSecond && result["L'"].lettersPerSecond ? Math.round((result.L.lettersPerSecond / result["L'"].lettersPerSecond) * 1000) / 1000 : null;
  return result;
}

/** The lines of the report: L and L', their rates, the worker's CPU per letter and the ratios. */
function reportLines(r) {
  const cpuRatio = r.L.cpuMicrosPerLetter.worker && r["L'"].cpuMicrosPerLetter.sender ? Math.round((r.L.cpuMicrosPerLetter.worker / r["L'"].cpuMicrosPerLetter.sender) * 100) / 100 : null;
  return [
    `L  (Nida: dispatcher → queue → worker → SMTP sink): ${r.L.lettersPerSecond} letters/s (${r.total} in ${r.L.seconds} s; ${r.L.lettersPerSecondFirstToLast}/s first to last sent), worker CPU ${r.L.cpuMicrosPerLetter.worker} µs/letter, PostgreSQL ${r.L.cpuMicrosPerLetter.pg} µs/letter`,
    `L' (raw pooled nodemailer, ${r.concurrency} connections): ${r["L'"].lettersPerSecond} letters/s, sender CPU ${r["L'"].cpuMicrosPerLetter.sender} µs/letter`,
    `ratio letters/s Nida/raw: ${r.ratio} (target ≥ 0.5); worker CPU per letter Nida/raw: ${cpuRatio} (target ≤ 2)`,
  ];
}

module.exports = { LETTER, TARGETS, insertLetters, letterCounts, letterTimes, rawNodemailer, lettersScenarios, reportLines };
