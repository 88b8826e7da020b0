'use strict';
// Scenario L / L': letters through Nida's queue to the SMTP sink, against raw pooled nodemailer.
const { randomUUID } = require('node:crypto');
const { sendPooled, escapeHtml } = require('./raw-mail');

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

module.exports = { LETTER, TARGETS, insertLetters, letterCounts, letterTimes, rawNodemailer };
