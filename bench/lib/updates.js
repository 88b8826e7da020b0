'use strict';
// Scenario U / U': a case update emailed to many supporters through Nida's queue (fan-out, rate
// limiter, leases) to the SMTP sink, against raw pooled nodemailer sending the same messages.
const { randomUUID } = require('node:crypto');
const nodemailer = require('nodemailer');
const { rssKb } = require('./export');

const UPDATE = {
  title: 'UNESCO replied',
  body:
    'The World Heritage Centre wrote back to the coalition this week. It asks the ministry for the water ' +
    'allocations of the Ahwar and will raise the marshes at its next session.\n\n' +
    'Thank you: your signature made this happen. Read the reply on the campaign page.',
};

/** `n` verified signatures with contact consent (their blind index unique), as signing would leave them. */
async function insertRecipients(db, campaignId, n) {
  const res = await db.query(
    `INSERT INTO signatures (campaign_id, email, email_hash, name, country, locale, status, contact_consent, verified_at, emails_queued)
     SELECT $1, 'plain:u' || g || '@bench.invalid', 'u' || g || '@bench.invalid', 'plain:Bench Supporter ' || g, 'IQ',
            CASE WHEN g % 3 = 0 THEN 'ar' ELSE 'en' END, 'verified', true, now(), 1
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

/** Samples a process's RSS every 100 ms until stopped: { peakMb, beforeMb, samples }. */
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

const escapeHtml = (s) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

/** One update email as Nida's worker hands it to nodemailer (same headers, envelope and parts, about the same size). */
function rawUpdate(i) {
  const id = randomUUID();
  const token = Buffer.from(randomUUID().replace(/-/g, '') + randomUUID().replace(/-/g, ''), 'hex').toString('base64url');
  const paragraphs = UPDATE.body.split('\n\n');
  const unsubscribe = `http://nida.localhost/u/${token}`;
  return {
    from: 'Nida <no-reply@nida.localhost>',
    to: `u${i}@bench.invalid`,
    envelope: { from: `bounce+u-${id}@nida.localhost`, to: `u${i}@bench.invalid` },
    subject: `Updates bench campaign: ${UPDATE.title}`,
    text: `Hello Bench Supporter ${i},\n\n${UPDATE.title}\n\n${paragraphs.join('\n\n')}\n\nStop these emails: ${unsubscribe}\n`,
    html:
      `<!doctype html>\n<html lang="en" dir="ltr"><head><meta charset="utf-8"></head><body>\n<p>Hello Bench Supporter ${i},</p>\n<h1>${escapeHtml(UPDATE.title)}</h1>\n` +
      `${paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n')}\n<p><a href="${unsubscribe}">Stop these emails</a></p>\n</body></html>\n`,
    messageId: `<update-${id}@nida.localhost>`,
    headers: {
      'List-Unsubscribe': `<${unsubscribe}>, <mailto:unsubscribe+${token}@nida.localhost?subject=unsubscribe>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'Auto-Submitted': 'auto-generated',
      'X-Nida-Update': id,
    },
  };
}

/** U': `total` update emails through one pooled nodemailer transport (`pool` connections), `inFlight` sendMail calls at once. */
async function rawNodemailer({ port, total, pool, inFlight }) {
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port,
    secure: false,
    pool: true,
    maxConnections: pool,
    maxMessages: 1000,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
    ignoreTLS: true,
  });
  let next = 0;
  let sent = 0;
  const start = process.hrtime.bigint();
  try {
    await Promise.all(
      Array.from({ length: inFlight }, async () => {
        while (next < total) {
          const i = ++next;
          await transport.sendMail(rawUpdate(i));
          sent++;
        }
      }),
    );
  } finally {
    transport.close();
  }
  return { sent, seconds: Number(process.hrtime.bigint() - start) / 1e9 };
}

module.exports = { UPDATE, insertRecipients, updateCounts, updateTimes, rssSampler, rawNodemailer };
