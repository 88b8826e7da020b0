import { Queue } from 'bullmq';
import { redisConnectionOptions } from '../../src/infra/redis/redis-options';
import { insertVerifiedSupporters } from '../support/bulk-supporters';
import { createLiveCampaign, createOrganiserWithOrganisation, type OrganiserLogin } from '../support/factories';
import { FastSmtpSink, rawHeader, type RawMail } from '../support/fast-smtp-sink';
import { createTestApp, flushPrefix, TestApp } from '../support/test-app';
import { UpdateWorkers } from '../support/update-workers';
import { waitUntil } from '../support/wait';
import { queuePrefix } from '../../src/infra/queue/queue-keys';

const RECIPIENTS = 400;
const CONCURRENCY = 10;

/**
 * Update emails when things break: a worker process killed with SIGKILL mid-send, and Redis emptied
 * mid-send. PostgreSQL holds the state, so every recipient gets the update; the only repeats are
 * messages that were in flight at the kill, with the same Message-ID. A fan-out run again (its
 * cursor put back) writes nothing twice and sends nothing more.
 */
describe('update emails when a worker dies or Redis is flushed', () => {
  let t: TestApp;
  let workers: UpdateWorkers;
  let queue: Queue;
  const smtp = new FastSmtpSink();
  let org: OrganiserLogin;
  let auth: { Authorization: string };

  beforeAll(async () => {
    const settings = {
      SMTP_URL: await smtp.start(),
      MAIL_FROM: 'Nida <updates@nida.test>',
      BROADCAST_RATE_PER_SECOND: '100',
      BROADCAST_CONCURRENCY: String(CONCURRENCY),
      MAIL_CONCURRENCY: String(CONCURRENCY),
      MAIL_BACKOFF_MS: '50',
      UPDATE_DISPATCH_INTERVAL_MS: '100',
      UPDATE_REQUEUE_AFTER_SECONDS: '2',
      UPDATE_FANOUT_CHUNK: '100',
      // A killed worker's deliveries are taken over when their leases run out.
      SEND_LEASE_SECONDS: '4',
    };
    t = await createTestApp({ APP_ROLE: 'api', ...settings });
    workers = new UpdateWorkers(t, settings);
    queue = new Queue('update-send', { connection: redisConnectionOptions(t.env.REDIS_URL), prefix: queuePrefix(t.env.REDIS_PREFIX, 'update-send') });
    queue.on('error', () => undefined);
    org = await createOrganiserWithOrganisation(t);
    auth = { Authorization: `Bearer ${org.token}` };
    // A slow relay: messages are in its hands for a while before it answers (in flight at a crash).
    smtp.replyDelayMs = 150;
  });

  afterAll(async () => {
    await workers?.stopAll();
    await queue?.close();
    if (t) {
      await flushPrefix(t.redis, t.env.REDIS_PREFIX);
      await t.close();
    }
    await smtp.stop();
  });

  /**
   * The update emails to these recipients (each test has addresses of its own). Not by subject:
   * with the workers already running, the first emails can go before a test renames its update.
   */
  const updateMails = (emails: string[]) => {
    const to = new Set(emails);
    return smtp.received.filter((m) => rawHeader(m, 'X-Nida-Update') !== null && to.has(m.envelope.to[0]));
  };
  const counts = async (updateId: string) =>
    (await t.db.query(
      `SELECT count(*) FILTER (WHERE status = 'sent')::int AS sent, count(*) FILTER (WHERE status = 'pending')::int AS pending,
              count(*) FILTER (WHERE status = 'pending' AND lease_until > now())::int AS leased, count(*)::int AS total
         FROM update_deliveries WHERE update_id = $1`,
      [updateId],
    ))[0] as { sent: number; pending: number; leased: number; total: number };

  /** A campaign of RECIPIENTS consenting supporters and a notified update to them; the update's id. */
  async function startSend(prefix: string): Promise<{ campaignId: string; updateId: string; emails: string[] }> {
    const campaign = await createLiveCampaign(t, org.token);
    const emails = Array.from({ length: RECIPIENTS }, (_, i) => `${prefix}${i}@example.org`);
    await insertVerifiedSupporters(t, campaign.id, emails.map((email) => ({ email, locale: 'en', consent: true })));
    const posted = (await t.http().post(`/api/v1/campaigns/${campaign.id}/updates`).set(auth).send({ title: `News ${prefix}`, body: 'Text', notify: true }).expect(201)).body;
    return { campaignId: campaign.id, updateId: posted.id, emails };
  }

  /** Every address got the update; returns the repeats (address → copies beyond the first) and checks their Message-IDs. */
  function check(mails: RawMail[], emails: string[]): number {
    const byAddress = new Map<string, RawMail[]>();
    for (const mail of mails) byAddress.set(mail.envelope.to[0], [...(byAddress.get(mail.envelope.to[0]) ?? []), mail]);
    expect(emails.filter((e) => !byAddress.has(e))).toEqual([]);
    expect([...byAddress.keys()].filter((e) => !emails.includes(e))).toEqual([]);
    let repeats = 0;
    for (const copies of byAddress.values()) {
      const ids = new Set(copies.map((m) => rawHeader(m, 'Message-ID')));
      expect(ids.size).toBe(1);
      expect([...ids][0]).toBe(`<update-${rawHeader(copies[0], 'X-Nida-Update')}@nida.test>`);
      repeats += copies.length - 1;
    }
    return repeats;
  }

  it('delivers to every recipient after a SIGKILL mid-send; repeats only of messages in flight, with the same Message-ID', async () => {
    const first = await workers.start();
    // Held until the fan-out wrote everyone: the kill comes mid-send.
    const { campaignId, updateId, emails } = await startSend('k');
    await waitUntil(async () => updateMails(emails).length >= 100 && smtp.inFlight >= 3, 30000, 5);
    first.child.kill('SIGKILL');
    expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });
    const atKill = await counts(updateId);
    // The sink answers (and keeps) what it had received when the worker died.
    await waitUntil(async () => smtp.inFlight === 0, 5000, 5);
    const receivedAtKill = updateMails(emails).length;
    expect(atKill.sent).toBeLessThan(RECIPIENTS);
    // The worker held a batch (or two) under its lease; of those, the server had accepted only
    // what was in flight or accepted in the last moments and not yet recorded sent.
    expect(atKill.leased).toBeGreaterThan(0);
    const unrecorded = receivedAtKill - atKill.sent;
    expect(unrecorded).toBeGreaterThanOrEqual(0);
    expect(unrecorded).toBeLessThanOrEqual(2 * CONCURRENCY);

    await workers.start();
    await waitUntil(async () => (await counts(updateId)).sent === RECIPIENTS, 45000, 100);
    await waitUntil(async () => (await queue.getJobCountByTypes('active', 'wait', 'delayed', 'prioritized')) === 0, 20000, 100);
    const repeats = check(updateMails(emails), emails);
    // Repeated: only messages the server had accepted and the dead worker had not recorded sent.
    expect(repeats).toBeLessThanOrEqual(unrecorded);
    const [{ n: overAttempted }] = await t.db.query(`SELECT count(*)::int AS n FROM update_deliveries WHERE update_id = $1 AND attempts > 2`, [updateId]);
    expect(overAttempted).toBe(0);
    console.log(`updates-crash: killed after ${receivedAtKill} of ${RECIPIENTS} received; ${atKill.leased} leased, ${unrecorded} accepted and not recorded; ${repeats} repeats (same Message-ID)`);

    // The fan-out run again from an earlier cursor (as after a crash mid-fan-out): it writes nothing twice, sends nothing more.
    const [{ id: middle }] = await t.db.query(
      `SELECT s.id FROM signatures s WHERE s.campaign_id = $1 ORDER BY s.id OFFSET $2 LIMIT 1`,
      [campaignId, RECIPIENTS / 2],
    );
    const before = smtp.received.length;
    await t.db.query(
      `UPDATE case_updates SET send_state = 'sending', finished_at = NULL, fanned_out_at = NULL, fanout_cursor = $2, fanout_enqueued_at = NULL, fanout_lease_until = NULL WHERE id = $1`,
      [updateId, middle],
    );
    await waitUntil(async () => (await t.db.query(`SELECT send_state FROM case_updates WHERE id = $1`, [updateId]))[0].send_state === 'done', 20000, 100);
    expect((await counts(updateId)).total).toBe(RECIPIENTS);
    expect(smtp.received.length).toBe(before);
  }, 90000);

  it('completes a send when Redis is emptied in the middle of it', async () => {
    const { updateId, emails } = await startSend('f');
    await waitUntil(async () => updateMails(emails).length >= 80, 30000, 5);
    const atFlush = await counts(updateId);
    // Every job, the rate limiter's keys and the workers' markers go; only PostgreSQL knows what is left.
    await flushPrefix(t.redis, t.env.REDIS_PREFIX);
    await waitUntil(async () => (await counts(updateId)).sent === RECIPIENTS, 45000, 100);
    await waitUntil(async () => updateMails(emails).length >= RECIPIENTS, 5000, 50);
    const repeats = check(updateMails(emails), emails);
    expect(repeats).toBeLessThanOrEqual(CONCURRENCY);
    console.log(`updates-crash: Redis emptied after ${atFlush.sent} of ${RECIPIENTS} sent; all sent; ${repeats} repeats`);
  }, 60000);
});
