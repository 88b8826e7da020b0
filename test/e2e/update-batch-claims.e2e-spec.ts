import { randomUUID } from 'node:crypto';
import { UpdateDeliveriesRepository } from '../../src/modules/updates/update-deliveries.repository';
import { UpdateSendService } from '../../src/modules/updates/update-send.service';
import { insertVerifiedSupporters } from '../support/bulk-supporters';
import { createLiveCampaign, createOrganiserWithOrganisation, type OrganiserLogin } from '../support/factories';
import { FastSmtpSink, rawHeader } from '../support/fast-smtp-sink';
import { createTestApp, flushPrefix, TestApp } from '../support/test-app';

/**
 * One sender at a time, for update emails claimed in batches: senders racing for the same pending
 * deliveries (workers, or the jobs of one worker) never take one twice, so no supporter gets the
 * update twice; a lease's token keeps a holder whose lease ran out from renewing or giving back
 * rows that another sender has taken since. The app runs as `api`: no worker sends behind the test.
 */
describe('update emails: batch claims', () => {
  let t: TestApp;
  const smtp = new FastSmtpSink();
  let org: OrganiserLogin;
  let repository: UpdateDeliveriesRepository;
  let sender: UpdateSendService;

  beforeAll(async () => {
    t = await createTestApp({
      APP_ROLE: 'api',
      SMTP_URL: await smtp.start(),
      MAIL_FROM: 'Nida <updates@nida.test>',
      DATABASE_POOL_SIZE: '20',
      BROADCAST_RATE_PER_SECOND: '10000',
      BROADCAST_CONCURRENCY: '10',
      MAIL_CONCURRENCY: '10',
      UPDATE_SEND_BATCH: '25',
      UPDATE_FANOUT_CHUNK: '200',
    });
    org = await createOrganiserWithOrganisation(t);
    repository = t.app.get(UpdateDeliveriesRepository);
    sender = t.app.get(UpdateSendService);
  }, 90000);

  afterAll(async () => {
    if (t) {
      await flushPrefix(t.redis, t.env.REDIS_PREFIX);
      await t.close();
    }
    await smtp.stop();
  });

  /** A notified update to `n` consenting supporters, its delivery rows written. */
  async function fannedOut(prefix: string, n: number): Promise<{ updateId: string; emails: string[] }> {
    const campaign = await createLiveCampaign(t, org.token);
    const emails = Array.from({ length: n }, (_, i) => `${prefix}${i}@example.org`);
    await insertVerifiedSupporters(t, campaign.id, emails.map((email, i) => ({ email, locale: i % 2 ? 'ar' : 'en', consent: true })));
    const posted = (
      await t.http().post(`/api/v1/campaigns/${campaign.id}/updates`).set({ Authorization: `Bearer ${org.token}` }).send({ title: `News ${prefix}`, body: 'Text', notify: true }).expect(201)
    ).body;
    expect(await sender.fanOut(posted.id)).toBe(n);
    return { updateId: posted.id, emails };
  }

  const deliveries = async (updateId: string) =>
    (await t.db.query(`SELECT id, status, attempts, message_id, lease_token FROM update_deliveries WHERE update_id = $1`, [updateId])) as {
      id: string;
      status: string;
      attempts: number;
      message_id: string | null;
      lease_token: string | null;
    }[];

  it('never hands one delivery to two senders claiming at the same moment', async () => {
    const { updateId } = await fannedOut('race', 600);
    const all = (await deliveries(updateId)).map((d) => d.id);
    // Twelve senders claim batches of 17 at once, again and again, until nothing is left.
    const claimedBy = new Map<string, string[]>();
    await Promise.all(
      Array.from({ length: 12 }, async () => {
        for (;;) {
          const token = randomUUID();
          const batch = await repository.claimBatch(17, 30, token);
          if (!batch.length) return;
          for (const d of batch) claimedBy.set(d.id, [...(claimedBy.get(d.id) ?? []), token]);
        }
      }),
    );
    const twice = [...claimedBy].filter(([, holders]) => holders.length > 1);
    expect(twice).toEqual([]);
    expect([...claimedBy.keys()].sort()).toEqual([...all].sort());
    const rows = await deliveries(updateId);
    expect(rows.every((d) => d.status === 'pending' && d.attempts === 1 && d.lease_token !== null)).toBe(true);
    // Held: nothing more to claim until the leases run out.
    expect(await repository.claimBatch(50, 30, randomUUID())).toEqual([]);
    expect(await repository.countClaimable(1000)).toBe(0);
    await t.db.query(`UPDATE update_deliveries SET status = 'cancelled' WHERE update_id = $1`, [updateId]);
  }, 60000);

  it('sends each supporter the update once when batch jobs run side by side, each message recorded with its Message-ID', async () => {
    const { updateId, emails } = await fannedOut('side', 400);
    smtp.clear();
    smtp.replyDelayMs = 5;
    const results = await Promise.all(
      Array.from({ length: 6 }, async () => {
        let sent = 0;
        for (;;) {
          const r = await sender.sendBatch();
          if (!r.claimed) return sent;
          sent += r.sent;
        }
      }),
    );
    smtp.replyDelayMs = 0;
    expect(results.reduce((a, b) => a + b, 0)).toBe(400);
    const mails = smtp.received.filter((m) => rawHeader(m, 'X-Nida-Update'));
    const to = mails.map((m) => m.envelope.to[0]);
    expect(to).toHaveLength(400);
    expect(new Set(to).size).toBe(400);
    expect([...to].sort()).toEqual([...emails].sort());
    const rows = await deliveries(updateId);
    expect(rows.every((d) => d.status === 'sent' && d.attempts === 1 && d.lease_token === null)).toBe(true);
    const sentIds = new Set(mails.map((m) => rawHeader(m, 'Message-ID')));
    expect(new Set(rows.map((d) => d.message_id))).toEqual(sentIds);
    expect(rows.every((d) => d.message_id === `<update-${d.id}@nida.test>`)).toBe(true);
  }, 60000);

  it('keeps a holder whose lease ran out from renewing or giving back the rows another sender took', async () => {
    const { updateId } = await fannedOut('lease', 10);
    const stale = randomUUID();
    const first = await repository.claimBatch(10, 1, stale);
    expect(first).toHaveLength(10);
    await new Promise((resolve) => setTimeout(resolve, 1200));
    const fresh = randomUUID();
    const second = await repository.claimBatch(10, 30, fresh);
    expect(second.map((d) => d.id).sort()).toEqual(first.map((d) => d.id).sort());
    const ids = first.map((d) => d.id);
    await repository.renewBatch(ids, stale, 300);
    await repository.releaseBatch(ids, stale);
    const rows = (await t.db.query(`SELECT lease_token, lease_until > now() + interval '60 seconds' AS long, attempts FROM update_deliveries WHERE update_id = $1`, [
      updateId,
    ])) as { lease_token: string; long: boolean; attempts: number }[];
    expect(rows.every((r) => r.lease_token === fresh && !r.long && r.attempts === 2)).toBe(true);
    // The holder gives back what it did not send: claimable again at once, the attempt not counted.
    await repository.releaseBatch(ids, fresh);
    expect(await repository.countClaimable(100)).toBe(10);
    expect((await deliveries(updateId)).every((d) => d.lease_token === null && d.attempts === 1)).toBe(true);
    await t.db.query(`UPDATE update_deliveries SET status = 'cancelled' WHERE update_id = $1`, [updateId]);
  }, 30000);
});
