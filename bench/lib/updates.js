'use strict';
// Scenario U / U': a case update emailed to many supporters through Nida's queue (fan-out, batch
// claims under leases, the shared rate limiter) to the SMTP sink, against raw pooled nodemailer
// rendering and sending the same messages. Used by run.js and by updates-only.js.
const { createHmac, randomUUID } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const Handlebars = require('handlebars');
const { rssKb } = require('./export');
const { sendPooled } = require('./raw-mail');
const { askStats } = require('./children');
const { request, waitUntil, cpuMeter, fmtInt } = require('./util');

/** The update both sides send, in English with an Arabic translation (a third of the supporters read Arabic). */
const UPDATE = {
  title: 'UNESCO replied',
  body:
    'The World Heritage Centre wrote back to the coalition this week. It asks the ministry for the water ' +
    'allocations of the Ahwar and will raise the marshes at its next session.\n\n' +
    'Thank you: your signature made this happen. Read the reply on the campaign page.',
  translations: {
    ar: {
      title: 'ردّت اليونسكو',
      body:
        'كتب مركز التراث العالمي إلى التحالف هذا الأسبوع. يطلب من الوزارة حصص المياه المخصّصة للأهوار، ' +
        'وسيطرح قضيتها في دورته المقبلة.\n\n' +
        'شكراً لك: توقيعك صنع هذا. اقرأ الرد على صفحة الحملة.',
    },
  },
};
const CAMPAIGN_TITLE = 'Updates bench campaign';
/** The worker's SMTP pool (MAIL_CONCURRENCY's default) and the update emails it has in flight (BROADCAST_CONCURRENCY's default). */
const POOL = 5;
const IN_FLIGHT = 10;

/** Supporter g's language: a third Arabic. */
const localeOf = (g) => (g % 3 === 0 ? 'ar' : 'en');

/** `n` verified signatures with contact consent (their blind index unique), as signing would leave them. */
async function insertRecipients(db, campaignId, n) {
  const res = await db.query(
    `INSERT INTO signatures (campaign_id, email, email_hash, name, country, locale, status, contact_consent, contact_organisation_ids, verified_at, emails_queued)
     SELECT $1, 'plain:u' || g || '@bench.invalid', 'u' || g || '@bench.invalid', 'plain:Bench Supporter ' || g, 'IQ',
            CASE WHEN g % 3 = 0 THEN 'ar' ELSE 'en' END, 'verified', true, ARRAY[(SELECT organisation_id FROM campaigns WHERE id = $1)], now(), 1
       FROM generate_series(1, $2::int) AS g`,
    [campaignId, n],
  );
  return res.rowCount;
}

async function updateCounts(db, updateId) {
  const { rows } = await db.query(
    `SELECT count(*)::int AS recipients,
            count(*) FILTER (WHERE status = 'sent')::int AS sent,
            count(*) FILTER (WHERE status = 'failed')::int AS failed,
            count(*) FILTER (WHERE status = 'pending')::int AS pending,
            count(*) FILTER (WHERE attempts > 1)::int AS retried
       FROM update_deliveries WHERE update_id = $1`,
    [updateId],
  );
  return rows[0];
}

/** PostgreSQL's clock: the update's creation, its fan-out's end, its first and last email recorded sent. */
async function updateTimes(db, updateId) {
  const { rows } = await db.query(
    `SELECT extract(epoch FROM u.fanned_out_at - u.created_at)::float8 AS "fanOut",
            extract(epoch FROM max(d.sent_at) - u.created_at)::float8 AS "createdToLastSent",
            extract(epoch FROM max(d.sent_at) - min(d.sent_at))::float8 AS "firstToLastSent",
            extract(epoch FROM min(d.sent_at) - u.created_at)::float8 AS "createdToFirstSent"
       FROM case_updates u JOIN update_deliveries d ON d.update_id = u.id
      WHERE u.id = $1 AND d.status = 'sent'
      GROUP BY u.id`,
    [updateId],
  );
  return rows[0];
}

/** Samples a process's RSS every 100 ms until stopped: { beforeMb, peakMb, afterMb, samples }. */
function rssSampler(pid) {
  const before = rssKb(pid);
  let peak = before ?? 0;
  let samples = 0;
  const timer = setInterval(() => {
    const kb = rssKb(pid);
    if (kb !== null) {
      samples++;
      peak = Math.max(peak, kb);
    }
  }, 100);
  const mb = (kb) => (kb === null ? null : Math.round(kb / 102.4) / 10);
  return {
    stop: () => {
      clearInterval(timer);
      return { beforeMb: mb(before), peakMb: mb(peak), afterMb: mb(rssKb(pid)), samples };
    },
  };
}

/**
 * The bare sender of U': Nida's own email templates (src/templates/email/case-update.*), compiled
 * once with Handlebars as Nida compiles them, and rendered for every message with its recipient's
 * name and unsubscribe link (an HMAC token, as Nida's); the same headers, envelope and parts.
 */
function rawUpdateSender({ root, organisation, createdAt, publicUrl = 'http://localhost:3000', domain = 'nida.localhost', slug }) {
  const hbs = Handlebars.create();
  const compile = (locale, part) =>
    hbs.compile(fs.readFileSync(path.join(root, 'src/templates/email', `case-update.${locale}.${part}.hbs`), 'utf8'), {
      noEscape: part !== 'html',
      strict: true,
    });
  const key = createHmac('sha256', 'bench-secret').update('nida/unsubscribe').digest();
  const shared = {};
  for (const locale of ['en', 'ar']) {
    const text = locale === 'en' ? UPDATE : UPDATE.translations[locale];
    const date = new Intl.DateTimeFormat(locale === 'ar' ? 'ar-u-nu-arab' : 'en-GB', { dateStyle: 'long', timeZone: 'UTC' }).format(createdAt);
    shared[locale] = {
      templates: { subject: compile(locale, 'subject'), text: compile(locale, 'txt'), html: compile(locale, 'html') },
      campaign: { title: CAMPAIGN_TITLE, organisation },
      update: { title: text.title, paragraphs: text.body.split(/\n\s*\n/).map((p) => p.trim()), date, status: null },
      campaignUrl: `${publicUrl}/${locale}/c/${encodeURIComponent(slug)}`,
    };
  }
  return (i) => {
    const g = i + 1;
    const locale = localeOf(g);
    const s = shared[locale];
    const id = randomUUID();
    const signature = Buffer.from(randomUUID().replace(/-/g, ''), 'hex');
    const token = Buffer.concat([signature, createHmac('sha256', key).update(signature).digest().subarray(0, 16)]).toString('base64url');
    const unsubscribeUrl = `${publicUrl}/u/${token}`;
    const data = { supporter: { name: `Bench Supporter ${g}` }, campaign: s.campaign, update: s.update, campaignUrl: s.campaignUrl, unsubscribeUrl, locale };
    const to = `u${g}@bench.invalid`;
    return {
      from: 'Nida <no-reply@nida.localhost>',
      to,
      envelope: { from: `bounce+u-${id}@${domain}`, to },
      subject: s.templates.subject(data).replace(/\s+/g, ' ').trim(),
      text: s.templates.text(data),
      html: s.templates.html(data),
      messageId: `<update-${id}@${domain}>`,
      headers: {
        'List-Unsubscribe': `<${unsubscribeUrl}>, <mailto:unsubscribe+${token}@${domain}?subject=unsubscribe>`,
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
        'Auto-Submitted': 'auto-generated',
        'X-Nida-Update': id,
      },
    };
  };
}

const pgBackends = async (pg, database) =>
  (await pg.query('SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [database])).rows.map((r) => r.pid);

/**
 * U: `total` recipients written straight into signatures, then one update with notify (English,
 * with an Arabic translation) posted through the API; the worker already running fans it out and
 * sends it. Timed with PostgreSQL's clock from the update's creation to the last email recorded
 * sent; the worker's RSS sampled throughout, its CPU (and PostgreSQL's) per email measured.
 * U': the same number of the same messages rendered and sent by raw pooled nodemailer from the
 * bench process (the worker's pool size and in-flight count), to the same sink, right after.
 * `ctx`: { root, api, token, sink, pids: {nidaWorker, smtpSink}, pg, database, children, phase, say, timeoutSeconds }.
 */
async function updatesScenarios(total, ctx) {
  const { root, api, token, sink, pids, pg, database, children, phase, say } = ctx;
  const result = { total, pool: POOL, inFlight: IN_FLIGHT, languages: 'en 2/3, ar 1/3' };
  const campaign = await phase('create the updates campaign', async () => {
    const created = await request('POST', `${api}/api/v1/campaigns`, {
      token,
      body: { kind: 'petition', title: CAMPAIGN_TITLE, summary: 's', body: 'b', locale: 'en', goal: 1000000 },
    });
    if (created.status !== 201) throw new Error(`create updates campaign: ${created.status} ${JSON.stringify(created.body)}`);
    const published = await request('POST', `${api}/api/v1/campaigns/${created.body.id}/publish`, { token });
    if (published.status !== 200) throw new Error(`publish updates campaign: ${published.status} ${JSON.stringify(published.body)}`);
    return created.body;
  });
  await phase(`insert ${fmtInt(total)} consenting verified supporters`, async () => {
    const inserted = await insertRecipients(pg, campaign.id, total);
    if (inserted !== total) throw new Error(`inserted ${inserted} supporters, expected ${total}`);
    await pg.query('VACUUM (ANALYZE) signatures');
  });

  let posted;
  result.U = await phase(`scenario U: an update to ${fmtInt(total)} supporters, Nida queue → SMTP sink`, async () => {
    children.assertAlive();
    const before = await askStats(sink);
    const rss = rssSampler(pids.nidaWorker);
    const meter = cpuMeter({ nidaWorker: pids.nidaWorker, smtpSink: pids.smtpSink }, { pgBackends: await pgBackends(pg, database) });
    posted = await request('POST', `${api}/api/v1/campaigns/${campaign.id}/updates`, {
      token,
      body: { title: UPDATE.title, body: UPDATE.body, translations: UPDATE.translations, notify: true },
    });
    if (posted.status !== 201) throw new Error(`post the update: ${posted.status} ${JSON.stringify(posted.body)}`);
    let counts;
    try {
      await waitUntil(`all ${total} update emails sent`, async () => {
        children.assertAlive();
        counts = await updateCounts(pg, posted.body.id);
        if (counts.failed > 0) throw Object.assign(new Error(`${counts.failed} update emails failed`), { fatal: true });
        return counts.sent === total;
      }, { timeoutMs: ctx.timeoutSeconds * 1000, everyMs: 250 });
    } catch (error) {
      throw new Error(`${error.message}; update: ${JSON.stringify(counts)} (BENCH_UPDATE_TIMEOUT=${ctx.timeoutSeconds})`);
    }
    const cpu = meter.end();
    const memory = rss.stop();
    const times = await updateTimes(pg, posted.body.id);
    const after = await askStats(sink);
    const r3 = (v) => Math.round(v * 1000) / 1000;
    const perEmail = (pct) => (pct === undefined ? null : Math.round(((pct / 100) * cpu.seconds * 1e6) / total));
    const c = cpu.percentOfOneCore;
    const u = {
      emails: total,
      fanOutSeconds: r3(times.fanOut),
      seconds: r3(times.createdToLastSent),
      emailsPerSecond: Math.round((total / times.createdToLastSent) * 10) / 10,
      emailsPerSecondFirstToLast: total > 1 ? Math.round(((total - 1) / times.firstToLastSent) * 10) / 10 : null,
      firstSentAfterSeconds: r3(times.createdToFirstSent),
      cpuMicrosPerEmail: { worker: perEmail(c.nidaWorker), pg: perEmail(c.pgBackends), sink: perEmail(c.smtpSink) },
      workerRssMb: memory,
      counts,
      sinkMessages: after.messages - before.messages,
      cpu,
    };
    if (u.sinkMessages < total) throw new Error(`the sink received ${u.sinkMessages} messages for ${total} recorded sent`);
    say(`  U: ${u.emailsPerSecond} emails/s (${total} in ${u.seconds} s; fan-out ${u.fanOutSeconds} s; ${u.emailsPerSecondFirstToLast}/s first to last sent); ` +
      `worker ${u.cpuMicrosPerEmail.worker} µs CPU/email, PostgreSQL ${u.cpuMicrosPerEmail.pg}; worker RSS peak ${memory.peakMb} MB`);
    return u;
  });

  result["U'"] = await phase(`scenario U': ${fmtInt(total)} messages, Handlebars + raw pooled nodemailer → SMTP sink`, async () => {
    const [{ organisation, created_at: createdAt }] = (
      await pg.query('SELECT o.name AS organisation, u.created_at FROM case_updates u JOIN campaigns c ON c.id = u.campaign_id JOIN organisations o ON o.id = c.organisation_id WHERE u.id = $1', [posted.body.id])
    ).rows;
    const message = rawUpdateSender({ root, organisation, createdAt, slug: campaign.slug });
    const before = await askStats(sink);
    const meter = cpuMeter({ smtpSink: pids.smtpSink });
    const raw = await sendPooled({ port: sink.port, total, pool: POOL, inFlight: IN_FLIGHT, message });
    const cpu = meter.end();
    const after = await askStats(sink);
    const perEmail = (pct) => (pct === undefined ? null : Math.round(((pct / 100) * cpu.seconds * 1e6) / total));
    const u = {
      emails: raw.sent,
      seconds: Math.round(raw.seconds * 1000) / 1000,
      emailsPerSecond: Math.round((raw.sent / raw.seconds) * 10) / 10,
      cpuMicrosPerEmail: { sender: raw.cpuMicrosPerMessage, sink: perEmail(cpu.percentOfOneCore.smtpSink) },
      sinkMessages: after.messages - before.messages,
      cpu,
    };
    if (u.sinkMessages !== total) throw new Error(`the sink received ${u.sinkMessages} of ${total} raw messages`);
    say(`  U': ${u.emailsPerSecond} emails/s (${total} in ${u.seconds} s); sender ${u.cpuMicrosPerEmail.sender} µs CPU/email`);
    return u;
  });
  const ratio = (a, b) => (a && b ? Math.round((a / b) * 1000) / 1000 : null);
  result.ratio = ratio(result.U.emailsPerSecond, result["U'"].emailsPerSecond);
  result.ratioFirstToLast = ratio(result.U.emailsPerSecondFirstToLast, result["U'"].emailsPerSecond);
  result.cpuRatio = ratio(result["U'"].cpuMicrosPerEmail.sender, result.U.cpuMicrosPerEmail.worker);
  say(`  U/U' ${result.ratio} (first to last sent ${result.ratioFirstToLast}); CPU/email raw / Nida worker ${result.cpuRatio}`);
  return result;
}

/** The report's lines for U / U'. */
function reportLines(r) {
  const U = r.U;
  const R = r["U'"];
  const pad = (v, n, right = true) => {
    const t = v === null || v === undefined ? '-' : String(v);
    return right ? t.padStart(n) : t.padEnd(n);
  };
  const head = `${pad('id', 4, false)} ${pad('sender', 56, false)} ${pad('emails/s', 9)} ${pad('seconds', 8)} ${pad('emails', 8)} | CPU µs/email`;
  return [
    `Update emails: ${fmtInt(r.total)} recipients (${r.languages}), pool of ${r.pool} SMTP connections, ${r.inFlight} in flight, to the SMTP sink`,
    head,
    '-'.repeat(head.length),
    `${pad('U', 4, false)} ${pad('Nida: post → fan-out → batch jobs → worker → SMTP', 56, false)} ${pad(U.emailsPerSecond, 9)} ${pad(U.seconds, 8)} ${pad(fmtInt(U.emails), 8)} | ` +
      `worker ${U.cpuMicrosPerEmail.worker}, pg ${U.cpuMicrosPerEmail.pg}, sink ${U.cpuMicrosPerEmail.sink}`,
    `${pad("U'", 4, false)} ${pad('Handlebars + raw pooled nodemailer (same pool, in flight)', 56, false)} ${pad(R.emailsPerSecond, 9)} ${pad(R.seconds, 8)} ${pad(fmtInt(R.emails), 8)} | ` +
      `sender ${R.cpuMicrosPerEmail.sender}, sink ${R.cpuMicrosPerEmail.sink}`,
    `  U is timed by PostgreSQL from the update's creation to the last email recorded sent: fan-out ${U.fanOutSeconds} s, first sent after ` +
      `${U.firstSentAfterSeconds} s, ${U.emailsPerSecondFirstToLast} emails/s first to last; ${U.counts.retried} retried. ` +
      `Worker RSS ${U.workerRssMb.beforeMb} MB before, peak ${U.workerRssMb.peakMb} MB, ${U.workerRssMb.afterMb} MB after.`,
    `  U/U' ${r.ratio} (first to last sent ${r.ratioFirstToLast}); CPU per email, raw / Nida worker ${r.cpuRatio}.`,
  ];
}

module.exports = { UPDATE, POOL, IN_FLIGHT, insertRecipients, updateCounts, updateTimes, rssSampler, rawUpdateSender, updatesScenarios, reportLines };
