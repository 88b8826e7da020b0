import { simpleParser, type ParsedMail } from 'mailparser';
import { AddressInfo } from 'node:net';
import { SMTPServer, SMTPServerSession } from 'smtp-server';

/** One message as received: envelope and raw source; parsed only when asked (parsing thousands costs seconds). */
export interface RawMail {
  envelope: { from: string; to: string[] };
  raw: string;
}

/** What the sink answers to the next message: accept, or an SMTP error reply. */
export type FastVerdict = { accept: true } | { accept: false; code: number; message: string };

/**
 * A real SMTP server for volume tests: it keeps each message's envelope and raw source without
 * parsing it (test/support/smtp-sink.ts parses every message, which holds a batch of thousands
 * to ~100 a second in one process). `header` reads a header of the raw source; `parse` parses one.
 */
export class FastSmtpSink {
  readonly received: RawMail[] = [];
  private verdicts: FastVerdict[] = [];
  /** Messages received and not yet answered. */
  inFlight = 0;
  /** Delay before answering each message, in milliseconds (a slow relay: messages in flight at a crash). */
  replyDelayMs = 0;
  private readonly server: SMTPServer;

  constructor() {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      disableReverseLookup: true,
      logger: false,
      onData: (stream, session: SMTPServerSession, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const verdict = this.verdicts.shift() ?? { accept: true };
          if (!verdict.accept) {
            const error = new Error(verdict.message) as Error & { responseCode: number };
            error.responseCode = verdict.code;
            callback(error);
            return;
          }
          this.inFlight++;
          const accept = () => {
            this.inFlight--;
            this.received.push({
              envelope: { from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address) },
              raw: Buffer.concat(chunks).toString('utf8'),
            });
            callback();
          };
          if (this.replyDelayMs) setTimeout(accept, Math.random() * this.replyDelayMs);
          else accept();
        });
      },
    });
    // A client killed mid-transaction resets its connection: that is the test, not an error of the sink.
    this.server.on('error', () => undefined);
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `smtp://127.0.0.1:${(this.server.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  answerNext(...verdicts: FastVerdict[]): void {
    this.verdicts.push(...verdicts);
  }

  clear(): void {
    this.received.length = 0;
    this.verdicts = [];
  }
}

/** A header of a raw message as sent, unfolded; null when absent. */
export function rawHeader(mail: RawMail, name: string): string | null {
  const head = mail.raw.split(/\r?\n\r?\n/)[0].replace(/\r?\n[ \t]+/g, ' ');
  const line = head.split(/\r?\n/).find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line ? line.slice(name.length + 1).trim() : null;
}

export function parse(mail: RawMail): Promise<ParsedMail> {
  return simpleParser(mail.raw);
}
