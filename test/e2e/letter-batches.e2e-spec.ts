import { Queue } from 'bullmq';
import { redisConnectionOptions } from '../../src/infra/redis/redis-options';
import { queuePrefix } from '../../src/infra/queue/queue-keys';
import { LetterDispatchRepository } from '../../src/modules/letter-deliveries/letter-dispatch.repository';
import { LetterSendRepository } from '../../src/modules/letter-deliveries/letter-send.repository';
import { LetterSendService } from '../../src/modules/letter-deliveries/letter-send.service';
import { insertVerifiedSupporters } from '../support/bulk-supporters';
import { createLiveCampaign, createOrganiserWithOrganisation } from '../support/factories';
import { freePort, NidaProcess, spawnNida } from '../support/processes';
import { SlowSmtpSink } from '../support/slow-smtp-sink';
import { createTestApp, flushPrefix, TestApp } from '../support/test-app';
import { waitUntil } from '../support/wait';

const TARGETS = [
  { name: 'World Heritage Centre', email: 'whc@unesco.example.org' },
  { name: 'Ministry of Water Resources', email: 'minister@water.example.org' },
];

/**
 * Letters sent in batches: a batch job's letters are claimed in PostgreSQL (FOR UPDATE SKIP
 * LOCKED, a lease each), so two claims, two send calls or two worker processes given the same
 * letters send each once; and letters a dead sender claimed wait for their lease, then are taken.
 */
describe('letter batches', () => {
  let t: TestApp;
  let token: string;
  let queue: Queue;
  let workerEnv: Record<string, string>;
  const smtp = new SlowSmtpSink({ checkMs: 30, replyMs: 20 });
  const workers: NidaProcess[] = [];

  beforeAll(async () => {
    const settings = {
      SMTP_URL: await smtp.start(),
      MAIL_FROM: 'Nida <letters@nida.test>',
      MAIL_BACKOFF_MS: '50',
      LETTER_DISPATCH_INTERVAL_MS: '100',
      // The letters of these tests are released and enqueued by the tests: the dispatcher leaves them.
      MAIL_REQUEUE_AFTER_SECONDS: '600',
      LETTER_PACE_PER_HOUR: '100000',
      SEND_LEASE_SECONDS: '3',
    };
    // Role api: no sender in this process but the calls the tests make.
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
    token = (await createOrganiserWithOrganisation(t)).token;
    queue = new Queue('letters', { connection: redisConnectionOptions(t.env.REDIS_URL), prefix: queuePrefix(t.env.REDIS_PREFIX, 'letters') });
    queue.on('error', () => undefined);
  });

  afterAll(async () => {
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

  /** `supporters` verified signatures and a letter from each to each target, released (status sending, as the dispatcher leaves them) and just enqueued. */
  async function releasedLetters(supporters: number): Promise<string[]> {
    const auth = { Authorization: `Bearer ${token}` };
    const campaign = await createLiveCampaign(t, token, {
      letter: { mode: 'per_signature', subject: 'From {{supporter.name}}', body: 'Dear {{target.name}},\n\n{{supporter.name}} asks you to act.' },
    });
    for (const target of TARGETS) await t.http().post(`/api/v1/campaigns/${campaign.id}/targets`).set(auth).send(target).expect(201);
    const tag = Math.random().toString(36).slice(2, 8);
    await insertVerifiedSupporters(t, campaign.id, Array.from({ length: supporters }, (_, i) => ({ email: `s${i}-${tag}@example.org`, locale: 'en' as const, consent: false })));
    const rows: { id: string }[] = await t.db.query(
      `INSERT INTO letters (campaign_id, target_id, signature_id, status, claimed_at, enqueued_at)
       SELECT $1, tg.id, s.id, 'sending', now(), now() FROM signatures s CROSS JOIN targets tg
        WHERE s.campaign_id = $1 AND tg.campaign_id = $1
       RETURNING id`,
      [campaign.id],
    );
    return rows.map((r) => r.id);
  }

  /** Two worker processes running (started by the first test that needs them). */
  async function twoWorkers(): Promise<void> {
    while (workers.length < 2) {
      const worker = spawnNida({ ...workerEnv, PORT: String(await freePort()) });
      workers.push(worker);
      await worker.waitFor('Nida ready (role worker)', 30000);
    }
    await waitUntil(async () => (await queue.getWorkersCount()) === 2);
  }

  /** How many copies of each letter the SMTP server received. */
  const copies = (ids: string[]) => {
    const n = new Map(ids.map((id) => [id, 0]));
    for (const m of smtp.letters()) {
      const id = String(m.parsed.headers.get('x-nida-letter'));
      if (n.has(id)) n.set(id, n.get(id)! + 1);
    }
    return n;
  };

  it('two claims of the same letters at once take each letter once; two batch sends at once send each once', async () => {
    const ids = await releasedLetters(30);
    const letters = t.app.get(LetterSendRepository);

    const [a, b] = await Promise.all([letters.claimBatch(ids, 30), letters.claimBatch(ids, 30)]);
    const taken = [...a.letters, ...b.letters].map((l) => l.id);
    expect(taken.sort()).toEqual([...ids].sort());
    expect(new Set(taken).size).toBe(ids.length);
    // Held: a third claim takes nothing.
    expect((await letters.claimBatch(ids, 30)).letters).toEqual([]);

    // Given back, as if never claimed; then two batch sends of the same letters at once.
    await t.db.query(`UPDATE letters SET lease_until = NULL, attempts = 0 WHERE id = ANY($1::uuid[])`, [ids]);
    const send = t.app.get(LetterSendService);
    const results = await Promise.all([send.sendBatch(ids), send.sendBatch(ids)]);
    expect(results[0].sent + results[1].sent).toBe(ids.length);
    expect([...copies(ids).values()].filter((n) => n !== 1)).toEqual([]);
    const rows: { status: string; attempts: number; message_id: string; id: string; lease_until: Date | null; sent_at: Date | null }[] = await t.db.query(
      `SELECT id, status, attempts, message_id, lease_until, sent_at FROM letters WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    expect(rows.filter((r) => r.status !== 'sent' || r.attempts !== 1 || r.lease_until !== null || r.sent_at === null || r.message_id !== `<letter-${r.id}@nida.test>`)).toEqual([]);
  }, 60000);

  it('letters a dead sender claimed are taken by no one until their lease runs out, then claimed again and, once their job may be lost too, enqueued by the dispatcher', async () => {
    const ids = await releasedLetters(5);
    const letters = t.app.get(LetterSendRepository);
    // A sender claims them (a 2-second lease) and dies: it never records or gives anything back.
    expect((await letters.claimBatch(ids, 2)).letters).toHaveLength(ids.length);
    const dispatch = t.app.get(LetterDispatchRepository);
    expect((await letters.claimBatch(ids, 30)).letters).toEqual([]);
    expect((await dispatch.takeLost(600, 1000)).filter((id) => ids.includes(id))).toEqual([]);

    await waitUntil(async () => (await t.db.query(`SELECT count(*)::int AS n FROM letters WHERE id = ANY($1::uuid[]) AND lease_until < now()`, [ids]))[0].n === ids.length, 5000, 50);
    // Their lease ran out, but their job may still be alive: the dispatcher leaves them until they
    // were enqueued MAIL_REQUEUE_AFTER_SECONDS (600 here) ago, as far as it can tell.
    expect((await dispatch.takeLost(600, 1000)).filter((id) => ids.includes(id))).toEqual([]);
    await t.db.query(`UPDATE letters SET enqueued_at = now() - interval '601 seconds' WHERE id = ANY($1::uuid[])`, [ids]);
    // Not while a letter job added five minutes ago still waits: they may be behind it in the queue.
    expect((await dispatch.takeLost(600, 1000, new Date(Date.now() - 300_000))).filter((id) => ids.includes(id))).toEqual([]);
    // Then it finds them lost (and would enqueue them); a claim now takes them, a second attempt each.
    expect((await dispatch.takeLost(600, 1000)).filter((id) => ids.includes(id)).sort()).toEqual([...ids].sort());
    const again = await letters.claimBatch(ids, 30);
    expect(again.letters.map((l) => l.id).sort()).toEqual([...ids].sort());
    expect(again.letters.every((l) => l.attempts === 2)).toBe(true);
  }, 30000);

  it('two worker processes given the same letters in different jobs send each letter once', async () => {
    await twoWorkers();
    const ids = await releasedLetters(100);
    // Each batch of 10 in two jobs (as a relay's re-enqueue or two dispatchers might), the copies
    // in opposite orders, so the two workers meet on the same letters.
    const chunks = Array.from({ length: ids.length / 10 }, (_, i) => ids.slice(i * 10, i * 10 + 10));
    const job = (letterIds: string[], copy: string, i: number) => ({ name: 'letter.send-batch', data: { letterIds }, opts: { jobId: `test-${copy}-${i}`, removeOnComplete: true, removeOnFail: true } });
    await queue.addBulk([...chunks.map((c, i) => job(c, 'a', i)), ...chunks.map((c, i) => job([...c].reverse(), 'b', i)).reverse()]);

    await waitUntil(async () => (await t.db.query(`SELECT count(*)::int AS n FROM letters WHERE id = ANY($1::uuid[]) AND status = 'sent'`, [ids]))[0].n === ids.length, 60000, 100);
    await waitUntil(async () => (await queue.getJobCountByTypes('active', 'wait', 'delayed', 'prioritized')) === 0, 20000);
    expect([...copies(ids).entries()].filter(([, n]) => n !== 1)).toEqual([]);
    const attempts: { n: number }[] = await t.db.query(`SELECT count(*)::int AS n FROM letters WHERE id = ANY($1::uuid[]) AND attempts <> 1`, [ids]);
    expect(attempts[0].n).toBe(0);
    expect(workers.every((w) => w.child.exitCode === null)).toBe(true);
  }, 120000);

  it('a letter refused for now (4xx) is tried again after its backoff and sent once; one refused for good (5xx) fails; per-letter tracking as before', async () => {
    await twoWorkers();
    smtp.refuseNext(TARGETS[0].email, 451);
    smtp.refuseNext(TARGETS[1].email, 550);
    const ids = await releasedLetters(1);
    const [toWhc, toMinister] = await Promise.all(
      TARGETS.map(async (target) => (await t.db.query(`SELECT l.id FROM letters l JOIN targets t ON t.id = l.target_id WHERE l.id = ANY($1::uuid[]) AND t.email = $2`, [ids, target.email]))[0].id as string),
    );
    await queue.add('letter.send-batch', { letterIds: ids }, { jobId: 'test-refusals', removeOnComplete: true, removeOnFail: true });

    const row = async (id: string) => (await t.db.query(`SELECT status, attempts, last_error, message_id, lease_until FROM letters WHERE id = $1`, [id]))[0];
    await waitUntil(async () => (await row(toWhc)).status === 'sent' && (await row(toMinister)).status === 'failed', 20000, 50);
    expect(await row(toWhc)).toEqual({ status: 'sent', attempts: 2, last_error: null, message_id: `<letter-${toWhc}@nida.test>`, lease_until: null });
    expect(await row(toMinister)).toEqual({ status: 'failed', attempts: 1, last_error: 'SMTP 550 EENVELOPE during RCPT TO', message_id: null, lease_until: null });
    expect(copies(ids)).toEqual(new Map([[toWhc, 1], [toMinister, 0]]));
  }, 60000);

  it('a Redis flush loses the batch jobs, not the letters: the dispatcher enqueues them again and each is sent once', async () => {
    await twoWorkers();
    const ids = await releasedLetters(20);
    // Their jobs wait in Redis (delayed), then Redis is emptied.
    await queue.add('letter.send-batch', { letterIds: ids }, { jobId: 'test-flushed', delay: 600_000, removeOnComplete: true, removeOnFail: true });
    await flushPrefix(t.redis, t.env.REDIS_PREFIX);
    expect(await queue.getJobCountByTypes('active', 'wait', 'delayed', 'prioritized')).toBe(0);
    // MAIL_REQUEUE_AFTER_SECONDS (600 here) later, as far as the dispatcher can tell.
    await t.db.query(`UPDATE letters SET enqueued_at = now() - interval '601 seconds' WHERE id = ANY($1::uuid[])`, [ids]);

    await waitUntil(async () => (await t.db.query(`SELECT count(*)::int AS n FROM letters WHERE id = ANY($1::uuid[]) AND status = 'sent'`, [ids]))[0].n === ids.length, 30000, 100);
    expect([...copies(ids).entries()].filter(([, n]) => n !== 1)).toEqual([]);
  }, 60000);
});

