'use strict';
// Baseline for the benchmark: a bare Node `http` server doing the same work as Nida's signing
// endpoint (parse JSON, validate trivially, one transaction inserting a signature, a token and an
// outbox row, then a BullMQ job with jobId = outbox id) and its count endpoint (one counter row).
// With SMTP_URL set, the same process also sends the confirmation mail, as Nida's APP_ROLE=all does:
// a BullMQ worker (MAIL_CONCURRENCY jobs at once) reads the outbox row and its signature, writes the
// message, sends it through pooled nodemailer (MAIL_CONCURRENCY connections) and marks the row sent.
// Run as a child with an IPC channel; config in the environment:
//   DATABASE_URL, REDIS_HOST, REDIS_PORT, CAMPAIGN_ID, POOL_SIZE, QUEUE_PREFIX, SMTP_URL, MAIL_CONCURRENCY
// Tables: schema `baseline` (created by bench/lib/db.js).
const http = require('node:http');
const crypto = require('node:crypto');
const { Pool } = require('pg');
const { Queue, Worker } = require('bullmq');
const nodemailer = require('nodemailer');

const CAMPAIGN_ID = process.env.CAMPAIGN_ID;
const GOAL = 1000000;
const BODY_LIMIT = 100 * 1024;
const SECRET = 'nida-bench-baseline-secret-not-for-production';

const pool = new Pool({
  connectionString: process.env.DATABASE_URL,
  max: Number(process.env.POOL_SIZE || 10),
  application_name: 'nida-bench-baseline',
});
pool.on('error', () => undefined);

const redisConnection = {
  host: process.env.REDIS_HOST || '127.0.0.1',
  port: Number(process.env.REDIS_PORT || 6379),
  enableOfflineQueue: false,
  maxRetriesPerRequest: 1,
};
const queuePrefix = process.env.QUEUE_PREFIX || 'nida-bench-baseline';
const queue = new Queue('mail', { connection: redisConnection, prefix: queuePrefix });
queue.on('error', () => undefined);

const stats = { signed: 0, duplicates: 0, enqueueFailures: 0, counts: 0, serverErrors: 0, lastError: null, mailed: 0, mailFailures: 0 };

// The mail worker (only with SMTP_URL).
const mailConcurrency = Number(process.env.MAIL_CONCURRENCY || 5);
const transport = process.env.SMTP_URL
  ? nodemailer.createTransport({ url: process.env.SMTP_URL, pool: true, maxConnections: mailConcurrency, maxMessages: Infinity })
  : null;
const worker = transport
  ? new Worker(
      'mail',
      async (job) => {
        const { rows } = await pool.query(
          `SELECT o.id, o.token_seed, s.email, s.name, s.locale
             FROM baseline.outbox o JOIN baseline.signatures s ON s.id = o.signature_id
            WHERE o.id = $1 AND o.status = 'pending'`,
          [job.data.outboxId],
        );
        if (!rows.length) return;
        const row = rows[0];
        const token = Buffer.from(row.token_seed).toString('base64url');
        const link = `http://127.0.0.1/en/confirm/${token}`;
        try {
          await transport.sendMail({
            from: 'Nida <no-reply@example.org>',
            to: { name: row.name, address: row.email },
            subject: 'Please confirm your signature',
            messageId: `<${row.id}@example.org>`,
            text: `Dear ${row.name},\n\nThank you for signing. Please confirm your signature:\n${link}\n\nIf you did not sign, ignore this email.\n`,
            html: `<p>Dear ${escapeHtml(row.name)},</p><p>Thank you for signing. Please confirm your signature:</p><p><a href="${link}">Confirm</a></p><p>If you did not sign, ignore this email.</p>`,
          });
        } catch (error) {
          stats.mailFailures++;
          throw error;
        }
        await pool.query(`UPDATE baseline.outbox SET status = 'sent', sent_at = now() WHERE id = $1`, [row.id]);
        stats.mailed++;
      },
      { connection: { ...redisConnection, enableOfflineQueue: true, maxRetriesPerRequest: null }, prefix: queuePrefix, concurrency: mailConcurrency },
    )
  : null;
worker?.on('error', () => undefined);

function escapeHtml(text) {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const ACCEPTED = Buffer.from('{"status":"pending"}');
const EMAIL = /^[^\s@]{1,64}@[^\s@]+\.[^\s@]{2,}$/;
const COUNTRY = /^[A-Z]{2}$/;

function send(res, status, body) {
  const buf = Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': buf.length,
    'cache-control': 'no-store',
  });
  res.end(buf);
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > BODY_LIMIT) {
        reject(Object.assign(new Error('body too large'), { status: 413 }));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function validate(dto) {
  if (!dto || typeof dto !== 'object') return 'body';
  if (typeof dto.name !== 'string' || !dto.name.trim() || dto.name.length > 100) return 'name';
  if (typeof dto.email !== 'string' || dto.email.length > 254 || !EMAIL.test(dto.email.trim())) return 'email';
  if (typeof dto.country !== 'string' || !COUNTRY.test(dto.country.trim().toUpperCase())) return 'country';
  return null;
}

async function sign(req, res) {
  if (!/^application\/json/i.test(req.headers['content-type'] || '')) return send(res, 415, { error: 'json only' });
  let dto;
  try {
    dto = JSON.parse(await readBody(req));
  } catch (error) {
    return send(res, error.status || 400, { error: 'bad json' });
  }
  const bad = validate(dto);
  if (bad) return send(res, 400, { error: `invalid ${bad}` });

  const email = dto.email.trim();
  const emailKey = email.toLowerCase();
  const seed = crypto.randomBytes(32);
  const tokenHash = crypto.createHash('sha256').update(crypto.createHmac('sha256', SECRET).update(seed).digest()).digest();
  const expiresAt = new Date(Date.now() + 168 * 3600 * 1000);

  let outboxId = null;
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const sig = await client.query(
      `INSERT INTO baseline.signatures (campaign_id, email, email_key, name, country, locale, emails_queued)
       VALUES ($1, $2, $3, $4, $5, 'en', 1)
       ON CONFLICT (campaign_id, email_key) DO NOTHING
       RETURNING id`,
      [CAMPAIGN_ID, email, emailKey, dto.name.trim(), dto.country.trim().toUpperCase()],
    );
    if (sig.rows.length) {
      const signatureId = sig.rows[0].id;
      await client.query('INSERT INTO baseline.tokens (token_hash, signature_id, expires_at) VALUES ($1, $2, $3)', [
        tokenHash,
        signatureId,
        expiresAt,
      ]);
      const out = await client.query(
        `INSERT INTO baseline.outbox (kind, signature_id, token_seed, enqueued_at)
         VALUES ('signature.confirmation', $1, $2, now()) RETURNING id`,
        [signatureId, seed],
      );
      outboxId = out.rows[0].id;
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }

  if (outboxId) {
    stats.signed++;
    try {
      await queue.add(
        'mail.send',
        { outboxId },
        {
          jobId: outboxId,
          attempts: 8,
          backoff: { type: 'exponential', delay: 2000, jitter: 0.5 },
          removeOnComplete: true,
          removeOnFail: true,
        },
      );
    } catch {
      stats.enqueueFailures++; // like Nida: never fails the request; a relay would catch up
    }
  } else {
    stats.duplicates++;
  }
  send(res, 202, ACCEPTED);
}

async function count(_req, res) {
  const { rows } = await pool.query('SELECT verified, updated_at FROM baseline.counters WHERE campaign_id = $1', [
    CAMPAIGN_ID,
  ]);
  if (!rows.length) return send(res, 404, { error: 'not found' });
  stats.counts++;
  send(res, 200, { verified: Number(rows[0].verified), goal: GOAL, updatedAt: rows[0].updated_at.toISOString() });
}

const server = http.createServer((req, res) => {
  const path = (req.url || '/').split('?')[0];
  let handler = null;
  if (req.method === 'POST' && path === '/signatures') handler = sign;
  else if (req.method === 'GET' && path === '/count') handler = count;
  else if (req.method === 'GET' && path === '/health') handler = (_q, r) => send(r, 200, { status: 'ok' });
  if (!handler) {
    req.resume();
    return send(res, 404, { error: 'not found' });
  }
  Promise.resolve()
    .then(() => handler(req, res))
    .catch((error) => {
      stats.serverErrors++;
      stats.lastError = `${error.name}: ${error.message}`;
      if (!res.headersSent) send(res, 500, { error: 'internal' });
    });
});
server.keepAliveTimeout = 65_000;

process.on('message', (msg) => {
  if (msg && msg.type === 'stats') process.send({ type: 'stats', id: msg.id, stats });
});

let closing = false;
async function shutdown() {
  if (closing) return;
  closing = true;
  setTimeout(() => process.exit(1), 5000).unref();
  server.close();
  server.closeAllConnections?.();
  await Promise.allSettled([worker?.close(), queue.close()]);
  transport?.close();
  await pool.end().catch(() => undefined);
  process.exit(0);
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
process.on('disconnect', shutdown);

server.listen(0, '127.0.0.1', () => {
  process.send({ type: 'ready', port: server.address().port });
});
