import { Queue } from 'bullmq';
import { AddressInfo, createServer, Server, Socket, connect } from 'node:net';
import { JobName, QueueName } from '../../src/infra/queue/queue-names';
import { redisConnectionOptions } from '../../src/infra/redis/redis-options';
import { MailRelay } from '../../src/modules/mail/jobs/mail-relay';
import { MailProcessor } from '../../src/modules/mail/jobs/mail.processor';
import { MailOutboxService } from '../../src/modules/mail/mail-outbox.service';
import { createLiveCampaign, createOrganiserWithOrganisation } from '../support/factories';
import { mailJobFor } from '../support/mail-jobs';
import { confirmLink, SmtpSink } from '../support/smtp-sink';
import { createTestApp, flushPrefix, TestApp } from '../support/test-app';
import { waitUntil } from '../support/wait';
import { emailHash } from '../support/supporter-data';
import { queuePrefix } from '../../src/infra/queue/queue-keys';

const ACCEPTED = '{"status":"pending"}';
/** The shared Redis itself (env.ts sets REDIS_URL), not the relay below. */
const REDIS = redisConnectionOptions(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');

interface OutboxRow {
  id: string;
  kind: string;
  status: 'pending' | 'sent' | 'failed';
  attempts: number;
  last_error: string | null;
  message_id: string | null;
  token_seed: Buffer | null;
  enqueued_at: Date | null;
  sent_at: Date | null;
}

/**
 * A TCP relay in front of the shared Redis, so one test can make Redis unreachable for this app
 * (connections dropped, new ones refused) without touching Redis itself or anyone else's keys.
 */
class RedisCut {
  private server: Server = createServer((client) => this.pipe(client));
  private readonly sockets = new Set<Socket>();
  port = 0;

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    // The same URL (credentials, database) with this relay's address.
    const url = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    url.hostname = '127.0.0.1';
    url.port = String(this.port);
    return url.toString();
  }

  private pipe(client: Socket): void {
    const upstream = connect(REDIS.port ?? 6379, REDIS.host ?? '127.0.0.1');
    for (const s of [client, upstream]) {
      this.sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => {
        this.sockets.delete(s);
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  }

  /** Drops every connection and refuses new ones. */
  async cut(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const s of this.sockets) s.destroy();
    await closed;
  }

  /** Accepts connections again, on the same port. */
  async restore(): Promise<void> {
    this.server = createServer((client) => this.pipe(client));
    await new Promise<void>((resolve) => this.server.listen(this.port, '127.0.0.1', resolve));
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    if (this.server.listening) await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

describe('mail delivery (e2e)', () => {
  let t: TestApp;
  let slug: string;
  let mailQueue: Queue;
  const smtp = new SmtpSink();
  const redis = new RedisCut();

  beforeAll(async () => {
    t = await createTestApp({
      SMTP_URL: await smtp.start(),
      REDIS_URL: await redis.start(),
      MAIL_BACKOFF_MS: '50',
      MAIL_RELAY_INTERVAL_MS: '100',
      MAIL_REQUEUE_AFTER_SECONDS: '1',
      TALLY_INTERVAL_MS: '100',
      CAMPAIGN_CLOSE_SWEEP_SECONDS: '3600',
    });
    const { token } = await createOrganiserWithOrganisation(t);
    slug = (await createLiveCampaign(t, token)).slug;
    // Straight to Redis, not through the relay that one test cuts.
    mailQueue = new Queue(QueueName.Mail, { connection: REDIS, prefix: queuePrefix(t.env.REDIS_PREFIX, QueueName.Mail) });
  });
  afterAll(async () => {
    await mailQueue.close();
    await t.close();
    await redis.stop();
    await smtp.stop();
  });

  // ── helpers ─────────────────────────────────────────────────────────────────

  let seq = 0;
  const address = (label: string) => `${label}-${++seq}@example.org`;

  async function signOk(email: string): Promise<void> {
    const res = await t.http().post(`/api/v1/campaigns/${slug}/signatures`).send({ name: 'Layla Hassan', email, country: 'IQ' });
    expect([res.status, res.text]).toEqual([202, ACCEPTED]);
  }

  async function outbox(email: string): Promise<OutboxRow[]> {
    return t.db.query(
      `SELECT m.* FROM mail_outbox m JOIN signatures s ON s.id = m.signature_id WHERE s.email_hash = $1 ORDER BY m.created_at`,
      [emailHash(email)],
    );
  }

  /** Waits until the one outbox row of this address has the status. */
  const rowIs = async (email: string, status: OutboxRow['status']) =>
    (await waitUntil(async () => {
      const rows = await outbox(email);
      return rows.length === 1 && rows[0].status === status ? rows[0] : null;
    })) as OutboxRow;

  /** One relay pass, then every mail job handed to the queue processed: nothing waiting, running or delayed. */
  async function drained(): Promise<void> {
    await t.app.get(MailRelay).loop.runOnce();
    await waitUntil(async () => {
      const c = await mailQueue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children');
      return Object.values(c).every((n) => n === 0);
    });
  }

  // ── temporary and permanent SMTP failures ──────────────────────────────────

  it('retries after 451 and delivers exactly once, with a link that works', async () => {
    const refused = smtp.refused;
    smtp.answerNext({ accept: false, code: 451, message: '4.3.0 Try again later' });
    const email = address('retry');
    await signOk(email);

    const [mail] = await smtp.waitFor(email);
    const row = await rowIs(email, 'sent');
    expect(row).toMatchObject({ kind: 'signature.confirmation', attempts: 2, last_error: null, token_seed: null });
    expect(row.message_id).toBe(`<${row.id}@nida.localhost>`);
    expect(mail.parsed.messageId).toBe(row.message_id);
    expect(smtp.refused).toBe(refused + 1);

    await drained();
    expect(smtp.to(email)).toHaveLength(1);
    const token = new URL(confirmLink(mail)).pathname.split('/').pop();
    await t.http().post('/api/v1/signatures/confirm').send({ token }).expect(200);
  });

  it('gives up at once after 550: the row is failed, nothing is delivered and nothing retried', async () => {
    const refused = smtp.refused;
    const email = address('unknown-user');
    smtp.answerNext({ accept: false, code: 550, message: `5.1.1 <${email}> No such user` });
    await signOk(email);

    const row = await rowIs(email, 'failed');
    expect(row.attempts).toBe(1);
    expect(row.last_error).toContain('550');
    // The server's text quotes the address; the stored error never does.
    expect(row.last_error).not.toContain('@');
    expect(row.token_seed).toBeNull();
    expect(row.sent_at).toBeNull();
    expect(smtp.refused).toBe(refused + 1);

    // Past the requeue delay, the relay runs again: a failed row is not its business.
    await waitUntil(async () => {
      const [r] = await t.db.query(`SELECT enqueued_at < now() - interval '1100 milliseconds' AS old FROM mail_outbox WHERE id = $1`, [
        row.id,
      ]);
      return r.old;
    }, 5000);
    await drained();
    await drained();
    expect(smtp.refused).toBe(refused + 1);
    expect(smtp.to(email)).toHaveLength(0);
    expect((await outbox(email)).map((r) => [r.status, r.attempts])).toEqual([['failed', 1]]);
  });

  // ── Redis trouble ───────────────────────────────────────────────────────────

  it('still delivers when Redis loses the job between signing and sending', async () => {
    const worker = t.app.get(MailProcessor).worker;
    await worker.pause();
    const email = address('lost-job');
    try {
      await signOk(email);
      const [row] = await outbox(email);
      expect(await mailJobFor(mailQueue, row.id)).toBeDefined();

      await flushPrefix(t.redis, t.env.REDIS_PREFIX);
      expect(await mailJobFor(mailQueue, row.id)).toBeUndefined();
      expect(smtp.to(email)).toHaveLength(0);
    } finally {
      worker.resume();
    }

    await smtp.waitFor(email);
    const sent = await rowIs(email, 'sent');
    expect(sent.attempts).toBe(1);
    await drained();
    expect(smtp.to(email)).toHaveLength(1);
  });

  it('answers 202 while Redis is unreachable, and the mail goes out once Redis is back', async () => {
    const email = address('redis-down');
    await redis.cut();
    try {
      const started = Date.now();
      await signOk(email);
      expect(Date.now() - started).toBeLessThan(2000);
      const rows = await outbox(email);
      expect(rows.map((r) => r.status)).toEqual(['pending']);
      // The row is safe in PostgreSQL; its job never reached Redis.
      expect(await mailJobFor(mailQueue, rows[0].id)).toBeUndefined();
      expect(smtp.to(email)).toHaveLength(0);
    } finally {
      await redis.restore();
    }

    await smtp.waitFor(email, 1, 15000);
    const sent = await rowIs(email, 'sent');
    expect(sent.attempts).toBe(1);
    await drained();
    expect(smtp.to(email)).toHaveLength(1);
  });

  // ── batches ─────────────────────────────────────────────────────────────────

  it('a crowd’s confirmations travel in batch jobs (fewer jobs than emails), and each is delivered once', async () => {
    const worker = t.app.get(MailProcessor).worker;
    await worker.pause();
    const emails = Array.from({ length: 40 }, () => address('crowd'));
    let jobs: { data: { outboxIds?: string[] } }[] = [];
    try {
      await Promise.all(emails.map((email) => signOk(email)));
      const ids = (await Promise.all(emails.map((email) => outbox(email)))).map(([row]) => row.id);
      jobs = (await waitUntil(async () => {
        const queued = await mailQueue.getJobs(['waiting']);
        const carried = new Set(queued.flatMap((j) => j.data.outboxIds ?? []));
        return ids.every((id) => carried.has(id)) ? queued : null;
      })) as typeof jobs;
    } finally {
      worker.resume();
    }
    expect(jobs.length).toBeLessThan(emails.length);
    expect(jobs.flatMap((j) => j.data.outboxIds ?? [])).toHaveLength(emails.length);
    for (const email of emails) await smtp.waitFor(email);
    await drained();
    for (const email of emails) expect(smtp.to(email)).toHaveLength(1);
    for (const email of emails) expect((await outbox(email)).map((r) => [r.status, r.attempts])).toEqual([['sent', 1]]);
  });

  it('leaves a backlog older than the requeue delay to its jobs, and enqueues it again once those jobs are lost', async () => {
    const worker = t.app.get(MailProcessor).worker;
    await worker.pause();
    const emails = Array.from({ length: 12 }, () => address('backlog'));
    try {
      for (const email of emails) await signOk(email);
      const ids = (await Promise.all(emails.map((email) => outbox(email)))).map(([row]) => row.id);
      /** How many waiting jobs carry each row. */
      const carriers = async () => {
        const queued = await mailQueue.getJobs(['waiting']);
        return ids.map((id) => queued.filter((j) => ((j.data as { outboxIds?: string[] }).outboxIds ?? []).includes(id)).length);
      };
      await waitUntil(async () => (await carriers()).every((n) => n === 1));
      // The worker is behind (paused): past MAIL_REQUEUE_AFTER_SECONDS (1 s here), with the relay
      // passing every 100 ms, the rows still wait behind their own jobs and are enqueued nowhere else.
      await new Promise((resolve) => setTimeout(resolve, 2500));
      expect(await carriers()).toEqual(ids.map(() => 1));
      const enqueuedAt = async (): Promise<number[]> => {
        const rows: { enqueued_at: Date }[] = await t.db.query(`SELECT enqueued_at FROM mail_outbox WHERE id = ANY($1::uuid[])`, [ids]);
        return rows.map((r) => r.enqueued_at.getTime());
      };
      const before = await enqueuedAt();
      // Their jobs lost (the waiting list emptied, as a flushed Redis would): the relay enqueues them again.
      await mailQueue.drain();
      await waitUntil(async () => (await carriers()).every((n) => n === 1), 10000);
      expect((await enqueuedAt()).every((at) => !before.includes(at))).toBe(true);
    } finally {
      worker.resume();
    }
    for (const email of emails) await smtp.waitFor(email);
    await drained();
    for (const email of emails) expect(smtp.to(email)).toHaveLength(1);
  });

  it('two batch sends of the same rows at once send each email once', async () => {
    const worker = t.app.get(MailProcessor).worker;
    await worker.pause();
    const emails = Array.from({ length: 12 }, () => address('twice'));
    try {
      for (const email of emails) await signOk(email);
      const ids = (await Promise.all(emails.map((email) => outbox(email)))).map(([row]) => row.id);
      const sender = t.app.get(MailOutboxService);
      const [a, b] = await Promise.all([sender.sendBatch(ids), sender.sendBatch([...ids].reverse())]);
      expect(a.claimed + b.claimed).toBe(emails.length);
      expect(a.sent + b.sent).toBe(emails.length);
    } finally {
      worker.resume();
    }
    await drained();
    for (const email of emails) expect(smtp.to(email)).toHaveLength(1);
    for (const email of emails) {
      const [row] = await outbox(email);
      expect([row.status, row.attempts, row.message_id]).toEqual(['sent', 1, `<${row.id}@${/@([^>]+)>/.exec(t.env.MAIL_FROM)![1]}>`]);
    }
  });

  it('a row a dead sender holds is sent by no batch until its lease runs out, then once, by the relay’s job', async () => {
    const worker = t.app.get(MailProcessor).worker;
    await worker.pause();
    const email = address('dead-sender');
    let id = '';
    try {
      await signOk(email);
      const [row] = await outbox(email);
      id = row.id;
      // A sender that claimed it and died: an attempt counted, a lease 2 s long.
      await t.db.query(`UPDATE mail_outbox SET attempts = 1, lease_until = now() + interval '2 seconds' WHERE id = $1`, [id]);
      await expect(t.app.get(MailOutboxService).sendBatch([id])).resolves.toEqual({ claimed: 0, sent: 0, failed: 0 });
    } finally {
      worker.resume();
    }
    await drained();
    expect(smtp.to(email)).toHaveLength(0);
    await smtp.waitFor(email, 1, 15000);
    await drained();
    expect(smtp.to(email)).toHaveLength(1);
    expect((await outbox(email)).map((r) => [r.status, r.attempts])).toEqual([['sent', 2]]);
  });

  // ── never twice ─────────────────────────────────────────────────────────────

  it('never sends an accepted email again: not on relay passes, not when its job comes back', async () => {
    const email = address('once');
    await signOk(email);
    await smtp.waitFor(email);
    const row = await rowIs(email, 'sent');

    const relay = t.app.get(MailRelay).loop;
    for (let i = 0; i < 3; i++) await relay.runOnce();
    const job = await mailQueue.add(JobName.MailSend, { outboxId: row.id }, { jobId: row.id });
    expect(job.id).toBe(row.id);
    const done = (await waitUntil(async () => {
      const j = await mailQueue.getJob(row.id);
      return j?.finishedOn ? j : null;
    })) as NonNullable<Awaited<ReturnType<Queue['getJob']>>>;
    expect(done.returnvalue).toBe('skipped');
    expect(done.failedReason).toBeFalsy();
    await done.remove();

    await drained();
    expect(smtp.to(email)).toHaveLength(1);
    expect((await outbox(email)).map((r) => [r.status, r.attempts])).toEqual([['sent', 1]]);
  });
});
