import type { QueryRunner } from 'typeorm';
import { RELEASE_LETTERS_SQL } from '../../src/modules/letter-deliveries/letter-dispatch.repository';
import { CLAIM_LETTER_BATCH_SQL } from '../../src/modules/letter-deliveries/letter-send.repository';
import { LetterDispatchService } from '../../src/modules/letter-deliveries/letter-dispatch.service';
import { MailOutboxService } from '../../src/modules/mail/mail-outbox.service';
import { CLAIM_MAIL_BATCH_SQL, CLAIM_MAIL_SQL, RELAY_MAIL_SQL } from '../../src/modules/mail/mail-outbox.repository';
import { createLiveCampaign, createOrganiserWithOrganisation } from '../support/factories';
import { PlanNode, planNodes, planOf } from '../support/query-plan';
import { createTestApp, TestApp } from '../support/test-app';

/** Rows of `relation` that a plan's nodes produced, over all loops (EXPLAIN ANALYZE, JSON). */
function rowsRead(plan: PlanNode, relation: string): number {
  return planNodes(plan)
    .filter((n) => n['Relation Name'] === relation)
    .reduce((sum, n) => sum + Number(n['Actual Rows']) * Number(n['Actual Loops']), 0);
}

/** Rows of `relation` that a plan's nodes read, kept or filtered out, over all loops. */
function rowsTouched(plan: PlanNode, relation: string): number {
  return planNodes(plan)
    .filter((n) => n['Relation Name'] === relation)
    .reduce(
      (sum, n) =>
        sum + (Number(n['Actual Rows']) + Number(n['Rows Removed by Filter'] ?? 0) + Number(n['Rows Removed by Index Recheck'] ?? 0)) * Number(n['Actual Loops']),
      0,
    );
}

/**
 * The dispatcher: one target's bad data never stops the others, and a pass costs what it releases,
 * not the size of the queue. The loops are slowed down so that each test drives them itself.
 */
describe('letter dispatch', () => {
  let t: TestApp;
  let token: string;
  let auth: { Authorization: string };
  const queued = Number(process.env.DISPATCH_PLAN_LETTERS ?? 100_000);

  beforeAll(async () => {
    t = await createTestApp({
      LETTER_DISPATCH_INTERVAL_MS: '3600000',
      MAIL_RELAY_INTERVAL_MS: '3600000',
      LETTER_PACE_PER_HOUR: '60',
      SMTP_URL: 'smtp://127.0.0.1:9',
    });
    token = (await createOrganiserWithOrganisation(t)).token;
    auth = { Authorization: `Bearer ${token}` };
  });
  afterAll(async () => {
    await t.close();
  });

  /** The plan of a statement as it ran (EXPLAIN ANALYZE), its writes rolled back. */
  async function explain(sql: string, params: unknown[]): Promise<PlanNode> {
    const runner = t.db.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      const [row] = await runner.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`, params);
      return planOf(row);
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  }

  async function campaignWithTarget(target: Record<string, unknown>) {
    const campaign = await createLiveCampaign(t, token, {
      letter: { mode: 'per_signature', subject: 'From {{supporter.name}}', body: 'Act, {{target.name}}.' },
    });
    const res = await t.http().post(`/api/v1/campaigns/${campaign.id}/targets`).set(auth).send(target);
    return { campaign, res };
  }

  async function queueLetters(campaignId: string, targetId: string, n: number): Promise<void> {
    // Verified supporters written straight to the table (signing n times through the API would
    // take minutes), each with a letter to the target, oldest first.
    await t.db.query(
      `WITH s AS (
         INSERT INTO signatures (campaign_id, email, email_hash, name, country, locale, status, verified_at)
         SELECT $1::uuid, 'plain:flood-' || g || '@example.org', $2::text || '-' || g, 'plain:Supporter ' || g, 'IQ', 'en', 'verified', now()
           FROM generate_series(1, $3) g
         RETURNING id)
       INSERT INTO letters (campaign_id, target_id, signature_id, created_at)
       SELECT $1::uuid, $2::uuid, s.id, now() - make_interval(secs => $3 - row_number() OVER ()) FROM s`,
      [campaignId, targetId, n],
    );
  }

  it('refuses a sending window in a time zone PostgreSQL does not know, though Node accepts it', async () => {
    expect(() => new Intl.DateTimeFormat('en', { timeZone: 'US/Pacific-New' })).not.toThrow();
    const window = { timeZone: 'US/Pacific-New', start: '08:00', end: '16:00', days: [1, 2, 3, 4, 5] };
    const { campaign, res } = await campaignWithTarget({ name: 'Consul', email: 'consul@gov.example.org', sendingWindow: window });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'sendingWindow.timeZone' }] });
    expect((await t.http().get(`/api/v1/campaigns/${campaign.id}/targets`).set(auth)).body).toEqual([]);

    const ok = await t.http().post(`/api/v1/campaigns/${campaign.id}/targets`).set(auth)
      .send({ name: 'Consul', email: 'consul@gov.example.org', sendingWindow: { ...window, timeZone: 'Asia/Baghdad' } });
    expect(ok.status).toBe(201);
    const patched = await t.http().patch(`/api/v1/campaigns/${campaign.id}/targets/${ok.body.id}`).set(auth).send({ sendingWindow: window });
    expect(patched.status).toBe(400);
    expect(patched.body.code).toBe('VALIDATION_FAILED');
  });

  it('releases every other target when one has a time zone the database does not know, and says so on that target', async () => {
    const bad = await campaignWithTarget({ name: 'Bad zone', email: 'bad@gov.example.org' });
    const good = await campaignWithTarget({ name: 'Good', email: 'good@gov.example.org' });
    // As after an upgrade of PostgreSQL's time zone data: a stored zone it no longer knows.
    await t.db.query(
      `UPDATE targets SET time_zone = 'US/Pacific-New', window_start = '00:00', window_end = '23:59', window_days = '{1,2,3,4,5,6,7}'
        WHERE id = $1`,
      [bad.res.body.id],
    );
    await queueLetters(bad.campaign.id, bad.res.body.id, 3);
    await queueLetters(good.campaign.id, good.res.body.id, 3);

    const released = await t.app.get(LetterDispatchService).dispatch();

    expect(released).toBe(3);
    const byTarget = await t.db.query(
      `SELECT target_id, status, count(*)::int AS n FROM letters WHERE target_id = ANY($1) GROUP BY 1, 2 ORDER BY 1, 2`,
      [[bad.res.body.id, good.res.body.id]],
    );
    expect(byTarget).toEqual(
      expect.arrayContaining([
        { target_id: good.res.body.id, status: 'sending', n: 3 },
        { target_id: bad.res.body.id, status: 'queued', n: 3 },
      ]),
    );
    const targets = (await t.http().get(`/api/v1/campaigns/${bad.campaign.id}/targets`).set(auth)).body;
    expect(targets[0].dispatchError).toBe('unknown time zone: US/Pacific-New');

    // The organiser fixes the window: the error goes, and the letters with it.
    await t.http().patch(`/api/v1/campaigns/${bad.campaign.id}/targets/${bad.res.body.id}`).set(auth)
      .send({ sendingWindow: null }).expect(200);
    expect(await t.app.get(LetterDispatchService).dispatch()).toBe(3);
    expect((await t.http().get(`/api/v1/campaigns/${bad.campaign.id}/targets`).set(auth)).body[0].dispatchError).toBeNull();
  });

  it(`a dispatch pass reads the letters it releases, not the ${queued.toLocaleString('en')} waiting`, async () => {
    const { campaign, res } = await campaignWithTarget({ name: 'Flooded', email: 'flooded@gov.example.org' });
    await queueLetters(campaign.id, res.body.id, queued);
    await t.db.query('ANALYZE letters');

    const plan = await explain(RELEASE_LETTERS_SQL, [60, 1000, null]);
    const read = rowsRead(plan, 'letters');

    console.log(`dispatch plan with ${queued} letters queued: ${read} letter rows read to release 60`);
    expect(read).toBeLessThan(60 * 4);
    expect((await t.db.query(`SELECT count(*)::int AS n FROM letters WHERE target_id = $1 AND status = 'queued'`, [res.body.id]))[0].n).toBe(queued);
  }, 30_000 + queued / 10); // writing the queue takes most of it: ~20 s per million on 2 cores

  it(`an outbox relay pass reads the rows it takes, not the ${queued.toLocaleString('en')} pending and just enqueued`, async () => {
    // Every row needs a recipient: one signature (of a campaign the relay's jobs never reach, the
    // queue being slowed down in this file) stands for all of them.
    const { campaign } = await campaignWithTarget({ name: 'Relay', email: 'relay@gov.example.org' });
    const [signature] = await t.db.query(
      `INSERT INTO signatures (campaign_id, email, email_hash, name, country, locale)
       VALUES ($1, 'plain:relay@example.org', 'relay@example.org', 'plain:Relay', 'IQ', 'en') RETURNING id`,
      [campaign.id],
    );
    await t.db.query(
      `INSERT INTO mail_outbox (kind, signature_id, enqueued_at)
       SELECT 'signature.already-signed', $2, now() FROM generate_series(1, $1)`,
      [queued, signature.id],
    );
    await t.db.query(`INSERT INTO mail_outbox (kind, signature_id) SELECT 'signature.already-signed', $1 FROM generate_series(1, 5)`, [
      signature.id,
    ]);
    await t.db.query('ANALYZE mail_outbox');
    // With no job waiting ($3 null) and with the oldest waiting job's time as the cut-off.
    for (const waitingSince of [null, new Date()]) {
      const plan = await explain(RELAY_MAIL_SQL, [60, 500, waitingSince]);
      const read = rowsRead(plan, 'mail_outbox');
      console.log(`relay plan with ${queued} emails pending: ${read} outbox rows read to take 5`);
      expect(read).toBeLessThan(50);
    }
    expect(await t.app.get(MailOutboxService).relay(500)).toBe(5);
    await t.db.query(`DELETE FROM mail_outbox WHERE signature_id = $1`, [signature.id]);
  }, 30_000 + queued / 10);
  it('claiming an email reads the rows of that email, not the signatures table (a confirmation, and a privacy request’s report)', async () => {
    const signers = Math.min(queued, 20_000);
    const { campaign } = await campaignWithTarget({ name: 'Claim', email: 'claim@gov.example.org' });
    // Statistics from before the signatures came, as on a table growing faster than autovacuum
    // analyses it (the benchmark's case): the plan must not rest on them.
    await t.db.query('ANALYZE signatures');
    await t.db.query(
      `INSERT INTO signatures (campaign_id, email, email_hash, name, country, locale)
       SELECT $1, 'plain:c' || i || '@example.org', 'claim-' || i, 'plain:C', 'IQ', 'en' FROM generate_series(1, $2) i`,
      [campaign.id, signers],
    );
    // The newest signature is the one a confirmation is for; the privacy request is of the oldest signer.
    const [newest] = await t.db.query(`SELECT id FROM signatures WHERE email_hash = $1`, [`claim-${signers}`]);
    const [request] = await t.db.query(
      `INSERT INTO privacy_requests (kind, email_hash, locale, expires_at) VALUES ('access', 'claim-1', 'en', now() + interval '1 hour') RETURNING id`,
    );
    const [confirmation] = await t.db.query(`INSERT INTO mail_outbox (kind, signature_id) VALUES ('signature.confirmation', $1) RETURNING id`, [newest.id]);
    const [report] = await t.db.query(`INSERT INTO mail_outbox (kind, privacy_request_id) VALUES ('privacy.access-report', $1) RETURNING id`, [request.id]);
    await t.db.query('ANALYZE mail_outbox');

    const confirmationRead = rowsTouched(await explain(CLAIM_MAIL_SQL, [confirmation.id, 60]), 'signatures');
    const reportRead = rowsTouched(await explain(CLAIM_MAIL_SQL, [report.id, 60]), 'signatures');
    // A batch job's claim of both: the same probes, and only its own rows of mail_outbox.
    const batchPlan = await explain(CLAIM_MAIL_BATCH_SQL, [[confirmation.id, report.id], 60]);
    const batchRead = rowsTouched(batchPlan, 'signatures');
    console.log(
      `mail claim with ${signers} signatures: ${confirmationRead} signature rows read for a confirmation, ${reportRead} for an access report, ${batchRead} for a batch of both`,
    );
    expect(confirmationRead).toBeLessThan(10);
    expect(reportRead).toBeLessThan(10);
    expect(batchRead).toBeLessThan(20);
    expect(rowsTouched(batchPlan, 'mail_outbox')).toBeLessThan(10);
    // And the claim still finds what each email needs.
    const runner = t.db.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      const [forReport] = await runner.query(CLAIM_MAIL_SQL, [report.id, 60]);
      expect(forReport.supporter_email).toBe('plain:c1@example.org');
      await runner.query(`UPDATE mail_outbox SET lease_until = NULL WHERE id = $1`, [report.id]);
      const batch = await runner.query(CLAIM_MAIL_BATCH_SQL, [[confirmation.id, report.id], 60]);
      expect(batch.map((r: { id: string }) => r.id)).toEqual([confirmation.id, report.id]);
      expect(batch[1].supporter_email).toBe('plain:c1@example.org');
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
    await t.db.query(`DELETE FROM mail_outbox WHERE id = ANY($1::uuid[])`, [[confirmation.id, report.id]]);
    await t.db.query(`DELETE FROM privacy_requests WHERE id = $1`, [request.id]);
    await t.db.query(`DELETE FROM signatures WHERE campaign_id = $1`, [campaign.id]);
  }, 60_000);

  /** This backend's counts for `table` not yet flushed (earlier transactions on the pooled connection may still be in them). */
  async function updateCounts(runner: QueryRunner, table: string): Promise<{ updated: number; hot: number }> {
    const [counts] = await runner.query(
      `SELECT pg_stat_get_xact_tuples_updated($1::regclass)::int AS updated, pg_stat_get_xact_tuples_hot_updated($1::regclass)::int AS hot`,
      [table],
    );
    return counts;
  }

  it('claiming an email or a letter is a heap-only update: no index entry written (an index on the lease would make it one per index)', async () => {
    const { campaign, res } = await campaignWithTarget({ name: 'Hot claim', email: 'hot@gov.example.org' });
    const [signature] = await t.db.query(
      `INSERT INTO signatures (campaign_id, email, email_hash, name, country, locale, status, verified_at)
       VALUES ($1, 'plain:h@example.org', 'hot-claim', 'plain:H', 'IQ', 'en', 'verified', now()) RETURNING id`,
      [campaign.id],
    );
    const runner = t.db.createQueryRunner();
    await runner.connect();
    try {
      // Rows written in this transaction, which no one else sees (the app's relays leave them).
      await runner.startTransaction();
      const [mail] = await runner.query(`INSERT INTO mail_outbox (kind, signature_id, enqueued_at) VALUES ('signature.confirmation', $1, now()) RETURNING id`, [
        signature.id,
      ]);
      const [letter] = await runner.query(
        `INSERT INTO letters (campaign_id, target_id, signature_id, status, claimed_at, enqueued_at) VALUES ($1, $2, $3, 'sending', now(), now()) RETURNING id`,
        [campaign.id, res.body.id, signature.id],
      );
      // Counts before and after each claim: updated once, heap-only once.
      const claims: [string, string, string][] = [
        ['mail_outbox', CLAIM_MAIL_BATCH_SQL, mail.id],
        ['letters', CLAIM_LETTER_BATCH_SQL, letter.id],
      ];
      for (const [table, claimSql, id] of claims) {
        const before = await updateCounts(runner, table);
        expect((await runner.query(claimSql, [[id], 60])).map((r: { id: string }) => r.id)).toEqual([id]);
        const after = await updateCounts(runner, table);
        expect({ table, updated: after.updated - before.updated, hot: after.hot - before.hot }).toEqual({ table, updated: 1, hot: 1 });
      }
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
    await t.db.query(`DELETE FROM signatures WHERE campaign_id = $1`, [campaign.id]);
  });
});
