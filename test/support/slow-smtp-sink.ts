import { simpleParser } from 'mailparser';
import { AddressInfo } from 'node:net';
import { SMTPServer, SMTPServerSession } from 'smtp-server';
import type { ReceivedMail } from './smtp-sink';

/**
 * A real SMTP server that is slow with each message, as a busy relay over a slow link is: it takes
 * up to `checkMs` (at random) before it commits the message (a client that dies meanwhile delivers
 * nothing: its connection closes and the transaction is dropped), then up to `replyMs` before its
 * 250 reaches the client. A worker killed in that second window has delivered a letter it has not
 * recorded as sent: the one window SMTP leaves open, where the letter is sent again, with the same
 * Message-ID. Random delays keep the pooled connections out of step, so a kill finds messages in
 * both windows.
 */
export class SlowSmtpSink {
  readonly received: ReceivedMail[] = [];
  /** Transactions whose client went away before the commit: not delivered. */
  aborted = 0;
  /** Messages received, not yet answered. */
  inFlight = 0;
  private readonly closed = new Set<string>();
  private readonly refusals = new Map<string, number[]>();
  private readonly server: SMTPServer;

  constructor(private readonly delays: { checkMs: number; replyMs: number }) {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      disableReverseLookup: true,
      logger: false,
      onClose: (session) => void this.closed.add(session.id),
      onRcptTo: (address, _session, callback) => {
        const code = this.refusals.get(address.address)?.shift();
        if (code) return callback(Object.assign(new Error(`refused (${code})`), { responseCode: code }));
        callback();
      },
      onData: (stream, session: SMTPServerSession, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          this.inFlight++;
          const envelope = {
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
          };
          const raw = Buffer.concat(chunks).toString('utf8');
          const reply = (error?: Error) => {
            this.inFlight--;
            callback(error);
          };
          setTimeout(() => {
            if (this.closed.has(session.id)) {
              this.aborted++;
              reply(new Error('connection closed during the transaction'));
              return;
            }
            simpleParser(raw).then((parsed) => {
              this.received.push({ envelope, raw, parsed });
              setTimeout(() => reply(), Math.random() * this.delays.replyMs);
            }, reply);
          }, 20 + Math.random() * this.delays.checkMs);
        });
      },
    });
    // A client killed mid-transaction (SIGKILL in the crash tests) resets its connection: expected, not a test failure.
    this.server.on('error', () => undefined);
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `smtp://127.0.0.1:${(this.server.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** The next messages to `address` are refused at RCPT TO, one for each code, in order. */
  refuseNext(address: string, ...codes: number[]): void {
    this.refusals.set(address, [...(this.refusals.get(address) ?? []), ...codes]);
  }

  letters(): ReceivedMail[] {
    return this.received.filter((m) => m.parsed.headers.get('x-nida-letter'));
  }

  to(address: string): ReceivedMail[] {
    return this.received.filter((m) => m.envelope.to.includes(address));
  }
}
