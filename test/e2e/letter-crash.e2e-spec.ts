import { Queue } from 'bullmq';
import { redisConnectionOptions } from '../../src/infra/redis/redis-options';
import { createLiveCampaign, createOrganiserWithOrganisation } from '../support/factories';
import { freePort, NidaProcess, spawnNida } from '../support/processes';
import { SlowSmtpSink } from '../support/slow-smtp-sink';
import { confirmLink } from '../support/smtp-sink';
import { createTestApp, flushPrefix, TestApp } from '../support/test-app';
import { waitUntil } from '../support/wait';
import { queuePrefix } from '../../src/infra/queue/queue-keys';
import { SEND_WORKER_OPTIONS } from '../../src/infra/queue/producer-queue';

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
 * every letter is delivered. The dead worker's batch jobs had claimed letters (leased in
 * PostgreSQL): those it had not handed to SMTP are sent once, after their lease. A letter is
 * delivered twice only when the worker died after the SMTP server accepted it and before it was
 * recorded as sent; such a repeat carries the same Message-ID.
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
    // The letters the dead worker's batches held: claimed under a lease that has not run out, not recorded sent.
    const heldAtKill: { id: string; lease_until: Date }[] = await t.db.query(
      `SELECT id, lease_until FROM letters WHERE campaign_id = $1 AND status = 'sending' AND lease_until > now()`,
      [campaign.id],
    );
    const held = new Set(heldAtKill.map((r) => r.id));
    // Reached the SMTP server but not recorded sent: those may be sent again.
    const sentRows: { id: string }[] = await t.db.query(`SELECT id FROM letters WHERE campaign_id = $1 AND status = 'sent'`, [campaign.id]);
    const recorded = new Set(sentRows.map((r) => r.id));
    const unrecordedAtKill = new Set(smtp.letters().map((m) => String(m.parsed.headers.get('x-nida-letter'))).filter((id) => !recorded.has(id)));
    const activeAtKill = (await queue.getJobs(['active'])).length;
    const waitingAtKill = await queue.getJobCountByTypes('wait', 'delayed', 'prioritized');
    expect(receivedAtKill).toBeLessThan(LETTERS); // killed mid-batch, not after it
    expect(sentAtKill).toBeLessThan(LETTERS);
    expect(activeAtKill).toBeLessThanOrEqual(2); // batch jobs a worker runs at once
    expect(held.size).toBeGreaterThan(0);
    for (const id of unrecordedAtKill) expect(held.has(id)).toBe(true);

    const second = await startWorker();
    const restartedAt = Date.now();
    // The waiting letters go at once. Those the dead worker held wait for their lease
    // (SEND_LEASE_SECONDS); then the dispatcher enqueues them again, or BullMQ finds the dead
    // worker's job stalled (SEND_WORKER_OPTIONS) and runs it again: its claim takes what is still unsent.
    await waitUntil(async () => {
      const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM letters WHERE campaign_id = $1 AND status = 'sent'`, [campaign.id]);
      return n === LETTERS;
    }, 100000, 200).catch((error: Error) => {
      throw new Error(`${error.message}\nworker output (tail):\n${second.output().slice(-3000)}`);
    });
    const allSentAt = Date.now();
    // The dead worker's active job is found stalled once its lock has run out (lockDuration after
    // its last renewal) and a stalled check has seen it twice (stalledInterval apart); it then runs
    // again and finds nothing left to send.
    const stalledBound = SEND_WORKER_OPTIONS.lockDuration + 3 * SEND_WORKER_OPTIONS.stalledInterval;
    await waitUntil(async () => (await queue.getJobCountByTypes('active', 'wait', 'delayed', 'prioritized')) === 0, stalledBound);

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

    // Repeats: only of letters the dead worker held and had handed to SMTP (in flight or accepted,
    // not recorded), each with its first copy's Message-ID.
    const repeated = [...copies].filter(([, mails]) => mails.length > 1);
    const duplicates = repeated.reduce((sum, [, mails]) => sum + mails.length - 1, 0);
    for (const [id, mails] of repeated) {
      expect(held.has(id)).toBe(true);
      expect(new Set(mails.map((m) => m.parsed.messageId))).toEqual(new Set([mails[0].parsed.messageId]));
    }
    expect(duplicates).toBeLessThanOrEqual(sendingAtKill);
    expect(duplicates).toBeLessThanOrEqual(unrecordedAtKill.size + inFlightAtKill);
    // The held letters were sent again only once their lease had run out.
    const resent: { id: string; sent_at: Date }[] = await t.db.query(`SELECT id, sent_at FROM letters WHERE id = ANY($1::uuid[])`, [[...held]]);
    const leaseOf = new Map(heldAtKill.map((r) => [r.id, r.lease_until.getTime()]));
    expect(resent.filter((r) => r.sent_at.getTime() < leaseOf.get(r.id)!)).toEqual([]);
    // One attempt each, two for a letter the dead worker had claimed.
    const attempts: { id: string; attempts: number }[] = await t.db.query(`SELECT id, attempts FROM letters WHERE campaign_id = $1`, [campaign.id]);
    expect(attempts.filter((r) => r.attempts < 1 || r.attempts > (held.has(r.id) ? 2 : 1))).toEqual([]);

    const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    console.log(
      [
        `letter-crash: ${LETTERS} letters; killed after ${receivedAtKill} had reached the SMTP server (${s(killedAt - batchStarted)} into the batch)`,
        `  at the kill: ${sentAtKill} recorded sent, ${sendingAtKill} sending, ${held.size} held by its ${activeAtKill} active batch jobs, ${waitingAtKill} jobs waiting`,
        `  ${inFlightAtKill} messages in the SMTP server's hands at the kill; ${smtp.aborted} of them cut off before the commit (not delivered)`,
        `  second worker ready ${s(restartedAt - killedAt)} after the kill; all sent ${s(allSentAt - killedAt)} after the kill`,
        `  duplicates: ${duplicates} (same Message-ID as the first copy)${repeated.length ? `: ${repeated.map(([id]) => id).join(', ')}` : ''}`,
        `  test body ${s(Date.now() - started)}`,
      ].join('\n'),
    );
  }, 150000);
});
