import { simpleParser, ParsedMail } from 'mailparser';
import { AddressInfo } from 'node:net';
import { SMTPServer, SMTPServerSession } from 'smtp-server';

export interface ReceivedMail {
  envelope: { from: string; to: string[] };
  raw: string;
  parsed: ParsedMail;
}

/** What the sink answers to the next message: accept (after `delayMs`, to hold a sender mid-send), or an SMTP error reply. */
export type Verdict = { accept: true; delayMs?: number } | { accept: false; code: number; message: string };

/**
 * A real SMTP server in the test process (the `smtp-server` package). It keeps every accepted
 * message, parsed with mailparser, and can be told to refuse the next ones with a given reply.
 */
export class SmtpSink {
  readonly received: ReceivedMail[] = [];
  private verdicts: Verdict[] = [];
  private waiters: (() => void)[] = [];
  /** Messages refused so far (each attempt counted). */
  refused = 0;
  private server: SMTPServer;
  port = 0;

  constructor() {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData: (stream, session: SMTPServerSession, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const verdict: Verdict = this.verdicts.shift() ?? { accept: true };
          if (!verdict.accept) {
            this.refused++;
            const error = new Error(verdict.message) as Error & { responseCode: number };
            error.responseCode = verdict.code;
            callback(error);
            return;
          }
          const raw = Buffer.concat(chunks).toString('utf8');
          const held = new Promise((resolve) => setTimeout(resolve, verdict.delayMs ?? 0));
          void Promise.all([simpleParser(raw), held]).then(([parsed]) => {
            this.received.push({
              envelope: {
                from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
                to: session.envelope.rcptTo.map((r) => r.address),
              },
              raw,
              parsed,
            });
            this.waiters.splice(0).forEach((w) => w());
            callback();
          });
        });
      },
    });
    // A client killed mid-transaction (SIGKILL in the crash tests) resets its connection: expected, not a test failure.
    this.server.on('error', () => undefined);
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.server.address() as AddressInfo).port;
    return `smtp://127.0.0.1:${this.port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** The next messages get these answers, in order; after them, messages are accepted again. */
  answerNext(...verdicts: Verdict[]): void {
    this.verdicts.push(...verdicts);
  }

  clear(): void {
    this.received.length = 0;
    this.verdicts = [];
    this.refused = 0;
  }

  /** Mail received for this address so far. */
  to(address: string): ReceivedMail[] {
    return this.received.filter((m) => m.envelope.to.includes(address));
  }

  /** Waits until `count` messages have reached `address` (fails after timeoutMs). */
  async waitFor(address: string, count = 1, timeoutMs = 10000): Promise<ReceivedMail[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.to(address).length < count) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`expected ${count} mail(s) to ${address}, got ${this.to(address).length}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 200));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.to(address);
  }
}

/** The confirmation link in a mail's text part. */
export function confirmLink(mail: ReceivedMail): string {
  const match = /https?:\/\/\S+\/confirm\/([A-Za-z0-9_-]+)/.exec(mail.parsed.text ?? '');
  if (!match) throw new Error(`no confirmation link in: ${mail.parsed.text}`);
  return match[0];
}
