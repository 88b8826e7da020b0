'use strict';
// A fast SMTP sink for the benchmark: accepts every message, counts it, keeps nothing.
// Run as a child with an IPC channel: sends {type:'ready', port}, answers {type:'stats', id}.
const { SMTPServer } = require('smtp-server');

let messages = 0;
let recipients = 0;
let bytes = 0;
let connections = 0;

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
    stream.on('data', (chunk) => {
      bytes += chunk.length;
    });
    stream.on('end', () => {
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
