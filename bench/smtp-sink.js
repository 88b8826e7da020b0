'use strict';
// A fast SMTP sink for the benchmark: accepts every message, counts it, keeps nothing but the
// confirmation token of a message to a probe address (probe…@…: the crowd scenario's prober reads
// its mail and follows the link, as a supporter does).
// Run as a child with an IPC channel: sends {type:'ready', port}, answers {type:'stats', id} and
// {type:'probes', id} (the tokens received since the last ask, by address).
const { SMTPServer } = require('smtp-server');

let messages = 0;
let recipients = 0;
let bytes = 0;
let connections = 0;
let probes = {};
const PROBE = /^probe/i;

const server = new SMTPServer({
  logger: false,
  secure: false,
  authOptional: true,
  disabledCommands: ['AUTH', 'STARTTLS'],
  hideSTARTTLS: true,
  disableReverseLookup: true, // the default does a reverse DNS lookup per connection: slow
  banner: 'nida-bench sink',
  size: 10 * 1024 * 1024,
  maxClients: 1000,
  closeTimeout: 1000,
  onConnect(_session, callback) {
    connections++;
    callback();
  },
  onData(stream, session, callback) {
    const probe = session.envelope.rcptTo.find((r) => PROBE.test(r.address));
    const chunks = probe ? [] : null;
    stream.on('data', (chunk) => {
      bytes += chunk.length;
      if (chunks) chunks.push(chunk);
    });
    stream.on('end', () => {
      if (chunks) {
        // Quoted-printable soft line breaks undone; the token is base64url, which QP leaves alone.
        const text = Buffer.concat(chunks).toString('utf8').replace(/=\r?\n/g, '');
        const found = /\/confirm\/([A-Za-z0-9_-]{20,})/.exec(text);
        if (found) probes[probe.address.toLowerCase()] = found[1];
      }
      messages++;
      recipients += session.envelope.rcptTo.length;
      callback(null, 'Accepted');
    });
  },
});
server.on('error', (error) => console.error(`smtp-sink: ${error.message}`));

const stats = () => ({ messages, recipients, bytes, connections });

process.on('message', (msg) => {
  if (msg && msg.type === 'stats') process.send({ type: 'stats', id: msg.id, stats: stats() });
  if (msg && msg.type === 'probes') {
    process.send({ type: 'probes', id: msg.id, probes });
    probes = {};
  }
});

let closing = false;
function shutdown() {
  if (closing) return;
  closing = true;
  setTimeout(() => process.exit(0), 2000).unref();
  server.close(() => process.exit(0));
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
process.on('disconnect', shutdown); // the parent went away

server.listen(0, '127.0.0.1', () => {
  process.send({ type: 'ready', port: server.server.address().port });
});
