'use strict';
// The bare baseline of the mail scenarios (L', U'): messages built in the bench process and sent
// through one pooled nodemailer transport with the options Nida's own transport uses, a fixed
// number of sendMail calls in flight. Shared by letters.js and updates.js.
const nodemailer = require('nodemailer');

/** A pooled transport to the sink on 127.0.0.1:`port`, `pool` connections, as src/infra/mail/mail-transport.ts makes it. */
function pooledTransport(port, pool) {
  return nodemailer.createTransport({
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
}

/**
 * Sends `total` messages, `message(i)` building the i-th (0-based: rendering included, so it is
 * timed and counted with the sending), `inFlight` sendMail calls at once through a pool of `pool`
 * connections. Returns how many were sent, the wall time and the CPU this process spent (µs in
 * all and per message: the bench process does nothing else meanwhile).
 */
async function sendPooled({ port, total, pool, inFlight = pool, message }) {
  const transport = pooledTransport(port, pool);
  let next = 0;
  let sent = 0;
  const cpu0 = process.cpuUsage();
  const start = process.hrtime.bigint();
  try {
    await Promise.all(
      Array.from({ length: inFlight }, async () => {
        while (next < total) {
          const i = next++;
          await transport.sendMail(message(i));
          sent++;
        }
      }),
    );
  } finally {
    transport.close();
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  const cpuMicros = cpu.user + cpu.system;
  return { sent, seconds, cpuMicros, cpuMicrosPerMessage: sent ? Math.round(cpuMicros / sent) : null };
}

const escapeHtml = (s) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

module.exports = { pooledTransport, sendPooled, escapeHtml };
