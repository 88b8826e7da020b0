import { Queue } from 'bullmq';
import { simpleParser } from 'mailparser';
import { AddressInfo } from 'node:net';
import { SMTPServer, SMTPServerSession } from 'smtp-server';
import { redisConnectionOptions } from '../../src/infra/redis/redis-options';
import { createLiveCampaign, createOrganiserWithOrganisation } from '../support/factories';
import { freePort, NidaProcess, spawnNida } from '../support/processes';
import { confirmLink, ReceivedMail } from '../support/smtp-sink';
import { createTestApp, flushPrefix, TestApp } from '../support/test-app';
import { waitUntil } from '../support/wait';
import { queuePrefix } from '../../src/infra/queue/queue-keys';

/**
 * A real SMTP server that is slow with each message, as a busy relay over a slow link is: it takes
 * up to `checkMs` (at random) before it commits the message (a client that dies meanwhile delivers
 * nothing: its connection closes and the transaction is dropped), then up to `replyMs` before its
 * 250 reaches the client. A worker killed in that second window has delivered a letter it has not
 * recorded as sent: the one window SMTP leaves open, where the letter is sent again, with the same
 * Message-ID. Random delays keep the pooled connections out of step, so a kill finds messages in
 * both windows.
 */
class SlowSmtpSink {
  readonly received: ReceivedMail[] = [];
  /** Transactions whose client went away before the commit: not delivered. */
  aborted = 0;
  /** Messages received, not yet answered. */
  inFlight = 0;
  private readonly closed = new Set<string>();
  private readonly server: SMTPServer;

  constructor(private readonly delays: { checkMs: number; replyMs: number }) {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      disableReverseLookup: true,
      logger: false,
      onClose: (session) => void this.closed.add(session.id),
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

  letters(): ReceivedMail[] {
    return this.received.filter((m) => m.parsed.headers.get('x-nida-letter'));
  }

  to(address: string): ReceivedMail[] {
    return this.received.filter((m) => m.envelope.to.includes(address));
  }
}

const SUPPORTERS = 20;
const TARGETS = [
  { name: 'World Heritage Centre', email: 'whc@unesco.example.org' },
  { name: 'Ministry of Water Resources', email: 'minister@water.example.org' },
];
const LETTERS = SUPPORTERS * TARGETS.length;
/** The worker is killed once this many letters reached the SMTP server (of LETTERS). */
const KILL_AFTER = 10;
const MAIL_CONCURRENCY = 5;

/**
 * A worker process killed with SIGKILL in the middle of a batch of letters, then a new one started:
 * every letter is delivered. A letter is delivered twice only when the worker died after the SMTP
 * server accepted it and before it was recorded as sent; such a repeat carries the same Message-ID.
 */
describe('letters when a worker process is killed mid-batch', () => {
  let t: TestApp;
  let queue: Queue;
  let workerEnv: Record<string, string>;
  const smtp = new SlowSmtpSink({ checkMs: 200, replyMs: 100 });
  const workers: NidaProcess[] = [];

  const startWorker = async (): Promise<NidaProcess> => {
    const worker = spawnNida({ ...workerEnv, PORT: String(await freePort()) });
    workers.push(worker);
    await worker.waitFor('Nida ready (role worker)', 30000);
    return worker;
  };

  beforeAll(async () => {
    const settings = {
      SMTP_URL: await smtp.start(),
      MAIL_FROM: 'Nida <letters@nida.test>',
      MAIL_BACKOFF_MS: '50',
      MAIL_CONCURRENCY: String(MAIL_CONCURRENCY),
      LETTER_DISPATCH_INTERVAL_MS: '100',
      MAIL_REQUEUE_AFTER_SECONDS: '2',
      MAIL_RELAY_INTERVAL_MS: '200',
      LETTER_PACE_PER_HOUR: '100000',
      // A killed worker's letters are taken over when its leases run out.
      SEND_LEASE_SECONDS: '4',
    };
    // This process serves HTTP only: the queue workers run in the child processes.
    t = await createTestApp({ APP_ROLE: 'api', ...settings });
    workerEnv = {
      ...settings,
      APP_ROLE: 'worker',
      DATABASE_URL: t.env.DATABASE_URL,
      REDIS_URL: t.env.REDIS_URL,
      REDIS_PREFIX: t.env.REDIS_PREFIX,
      HOST: '127.0.0.1',
      DEMO_DATA: 'false',
      APP_SECRET: t.env.APP_SECRET!,
      ADMIN_EMAIL: t.env.ADMIN_EMAIL!,
      ADMIN_PASSWORD: t.env.ADMIN_PASSWORD!,
    };
    queue = new Queue('letters', { connection: redisConnectionOptions(t.env.REDIS_URL), prefix: queuePrefix(t.env.REDIS_PREFIX, 'letters') });
    queue.on('error', () => undefined);
  });

  afterAll(async () => {
    // Every worker this file started is stopped: SIGTERM, SIGKILL if it is still there after 10 s.
    for (const worker of workers) {
      if (worker.child.exitCode !== null || worker.child.signalCode !== null) continue;
      worker.child.kill('SIGTERM');
      const timer = setTimeout(() => worker.child.kill('SIGKILL'), 10000);
      await worker.exited;
      clearTimeout(timer);
    }
    await queue?.close();
    if (t) {
      await flushPrefix(t.redis, t.env.REDIS_PREFIX);
      await t.close();
    }
    await smtp.stop();
  });

  it('delivers every letter after a SIGKILL and a restart; a repeat only for a letter in flight, with the same Message-ID', async () => {
    const started = Date.now();
    expect(await queue.getWorkersCount()).toBe(0); // none in this process (role api)
    const first = await startWorker();
    await waitUntil(async () => (await queue.getWorkersCount()) === 1);

    const org = await createOrganiserWithOrganisation(t);
    const auth = { Authorization: `Bearer ${org.token}` };
    const campaign = await createLiveCampaign(t, org.token, {
      letter: { mode: 'per_signature', subject: 'From {{supporter.name}}', body: 'Dear {{target.name}},\n\n{{supporter.name}} asks you to act.' },
    });
    for (const target of TARGETS) {
      await t.http().post(`/api/v1/campaigns/${campaign.id}/targets`).set(auth).send(target).expect(201);
    }

    // All sign, then all confirm at once: the 40 letters are written within a few milliseconds.
    const emails = Array.from({ length: SUPPORTERS }, (_, i) => `supporter${i + 1}@example.org`);
    await Promise.all(
      emails.map((email, i) =>
        t.http().post(`/api/v1/campaigns/${campaign.slug}/signatures`).send({ name: `Supporter ${i + 1}`, email, country: 'IQ' }).expect(202),
      ),
    );
    await waitUntil(async () => emails.every((email) => smtp.to(email).length > 0), 20000);
    const tokens = emails.map((email) => new URL(confirmLink(smtp.to(email)[0])).pathname.split('/').pop());
    await Promise.all(tokens.map((token) => t.http().post('/api/v1/signatures/confirm').send({ token }).expect(200)));
    const rows: { id: string; signature_id: string; email: string }[] = await t.db.query(
      `SELECT l.id, l.signature_id, t.email FROM letters l JOIN targets t ON t.id = l.target_id WHERE l.campaign_id = $1`,
      [campaign.id],
    );
    expect(rows).toHaveLength(LETTERS);
    const batchStarted = Date.now();

    // Some letters have reached the SMTP server, some are in its hands, the others wait: kill -9.
    await waitUntil(async () => smtp.letters().length >= KILL_AFTER && smtp.inFlight >= 3, 20000, 5);
    first.child.kill('SIGKILL');
    const inFlightAtKill = smtp.inFlight;
    expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });
    const killedAt = Date.now();
    const receivedAtKill = smtp.letters().length;
    // Nothing changes these until another worker runs: what the dead worker left behind.
    const [{ sending: sendingAtKill, sent: sentAtKill }] = await t.db.query(
      `SELECT count(*) FILTER (WHERE status = 'sending')::int AS sending, count(*) FILTER (WHERE status = 'sent')::int AS sent
         FROM letters WHERE campaign_id = $1`,
      [campaign.id],
    );
    const activeAtKill = new Set((await queue.getJobs(['active'])).map((job) => job.id!));
    const waitingAtKill = await queue.getJobCountByTypes('wait', 'delayed', 'prioritized');
    expect(receivedAtKill).toBeLessThan(LETTERS); // killed mid-batch, not after it
    expect(sentAtKill).toBeLessThan(LETTERS);
    expect(activeAtKill.size).toBeLessThanOrEqual(MAIL_CONCURRENCY);

    const second = await startWorker();
    const restartedAt = Date.now();
    // The waiting letters go at once. The jobs the dead worker held stay active in Redis (so the
    // relay's re-adding them is a no-op) until BullMQ finds them stalled: their lock must have expired
    // (lockDuration, 30 s) and two stalled checks (stalledInterval, 30 s) must have seen them, the
    // first of which the new worker skips while the dead one's check marker lives. About 62 s here.
    await waitUntil(async () => {
      const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM letters WHERE campaign_id = $1 AND status = 'sent'`, [campaign.id]);
      return n === LETTERS;
    }, 100000, 200).catch((error: Error) => {
      throw new Error(`${error.message}\nworker output (tail):\n${second.output().slice(-3000)}`);
    });
    const allSentAt = Date.now();
    await waitUntil(async () => (await queue.getJobCountByTypes('active', 'wait', 'delayed', 'prioritized')) === 0, 10000);

    // Every (signature, target) pair reached its target, with its own Message-ID and bounce address.
    const letters = smtp.letters();
    const copies = new Map<string, typeof letters>();
    for (const mail of letters) {
      const id = String(mail.parsed.headers.get('x-nida-letter'));
      copies.set(id, [...(copies.get(id) ?? []), mail]);
    }
    const missing = rows.filter((row) => !copies.get(row.id)?.some((m) => m.envelope.to.includes(row.email)));
    expect(missing).toEqual([]);
    expect([...copies.keys()].sort()).toEqual(rows.map((r) => r.id).sort());
    for (const [id, mails] of copies) {
      for (const mail of mails) {
        expect(mail.parsed.messageId).toBe(`<letter-${id}@nida.test>`);
        expect(mail.envelope.from).toBe(`bounce+${id}@nida.test`);
      }
    }

    // Repeats: only of letters the dead worker was sending, each with its first copy's Message-ID.
    const repeated = [...copies].filter(([, mails]) => mails.length > 1);
    const duplicates = repeated.reduce((sum, [, mails]) => sum + mails.length - 1, 0);
    for (const [id, mails] of repeated) {
      expect(activeAtKill.has(id)).toBe(true);
      expect(new Set(mails.map((m) => m.parsed.messageId))).toEqual(new Set([mails[0].parsed.messageId]));
    }
    expect(duplicates).toBeLessThanOrEqual(sendingAtKill);
    expect(duplicates).toBeLessThanOrEqual(activeAtKill.size);
    // One attempt each, two for a letter the dead worker had claimed.
    const attempts: { id: string; attempts: number }[] = await t.db.query(`SELECT id, attempts FROM letters WHERE campaign_id = $1`, [campaign.id]);
    expect(attempts.filter((r) => r.attempts < 1 || r.attempts > (activeAtKill.has(r.id) ? 2 : 1))).toEqual([]);

    const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    console.log(
      [
        `letter-crash: ${LETTERS} letters; killed after ${receivedAtKill} had reached the SMTP server (${s(killedAt - batchStarted)} into the batch)`,
        `  at the kill: ${sentAtKill} recorded sent, ${sendingAtKill} sending, ${activeAtKill.size} jobs active in the dead worker, ${waitingAtKill} waiting`,
        `  ${inFlightAtKill} messages in the SMTP server's hands at the kill; ${smtp.aborted} of them cut off before the commit (not delivered)`,
        `  second worker ready ${s(restartedAt - killedAt)} after the kill; all sent ${s(allSentAt - killedAt)} after the kill`,
        `  duplicates: ${duplicates} (same Message-ID as the first copy)${repeated.length ? `: ${repeated.map(([id]) => id).join(', ')}` : ''}`,
        `  test body ${s(Date.now() - started)}`,
      ].join('\n'),
    );
  }, 150000);
});
