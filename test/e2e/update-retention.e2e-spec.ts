import { appSecret } from '../../src/config/environment';
import { RetentionService } from '../../src/modules/retention/retention.service';
import { UnsubscribeTokens } from '../../src/modules/updates/unsubscribe-token';
import { createLiveCampaign, createOrganiserWithOrganisation, OrganiserLogin } from '../support/factories';
import { signAndConfirm } from '../support/signing';
import { SmtpSink } from '../support/smtp-sink';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Supporters' traces in the updates module: an update's delivery rows (one per supporter emailed)
 * are deleted UPDATE_DELIVERY_RETENTION_DAYS after its send finished, its counts kept on the update;
 * an address's update opt-outs are in its access report and go with an erasure.
 */
describe('updates: delivery retention, opt-outs in access and erasure (e2e)', () => {
  let t: TestApp;
  const smtp = new SmtpSink();
  let org: OrganiserLogin;
  let campaign: { id: string; slug: string; title: string };
  const auth = () => ({ Authorization: `Bearer ${org.token}` });

  beforeAll(async () => {
    t = await createTestApp({
      SMTP_URL: await smtp.start(),
      MAIL_BACKOFF_MS: '50',
      MAIL_RELAY_INTERVAL_MS: '100',
      RETENTION_BATCH_SIZE: '2',
      UPDATE_DELIVERY_RETENTION_DAYS: '30',
    });
    org = await createOrganiserWithOrganisation(t, 'Basra Water Coalition');
    const c = await createLiveCampaign(t, org.token, { title: 'Water for Basra' });
    campaign = { id: c.id, slug: c.slug, title: c.title as string };
  }, 180_000);
  afterAll(async () => {
    await t.close();
    await smtp.stop();
  });

  describe('delivery rows', () => {
    /** Supporters written straight into the table, as signing would. */
    async function seedSignatures(n: number, tag: string): Promise<string[]> {
      const rows: { id: string }[] = await t.db.query(
        `INSERT INTO signatures (campaign_id, email, email_hash, email_domain, name, country, locale, status, created_at, verified_at)
         SELECT $1, 'plain:' || e, e, 'example.net', 'plain:Seed Supporter', 'IQ', 'en', 'verified', now(), now()
           FROM generate_series(1, $2::int) i, LATERAL (SELECT 'retention-' || $3 || '-' || i || '@example.net' AS e) x
         RETURNING id`,
        [campaign.id, n, tag],
      );
      return rows.map((r) => r.id);
    }

    /** A notified update whose send is `state`, finished `daysAgo` days ago, with deliveries of these statuses. */
    async function sentUpdate(state: 'done' | 'cancelled' | 'sending', daysAgo: number, statuses: string[]): Promise<string> {
      const res = await t.http().post(`/api/v1/campaigns/${campaign.id}/updates`).set(auth()).send({ title: `Update ${state} ${daysAgo}`, body: 'Text.', notify: false }).expect(201);
      await t.db.query(
        `UPDATE case_updates SET notify = true, send_state = $2, finished_at = CASE WHEN $2 = 'sending' THEN NULL ELSE now() - make_interval(days => $3) END,
                fanned_out_at = now() - make_interval(days => $3 + 1), created_at = now() - make_interval(days => $3 + 1)
          WHERE id = $1`,
        [res.body.id, state, daysAgo],
      );
      const signatures = await seedSignatures(statuses.length, res.body.id);
      await t.db.query(
        `INSERT INTO update_deliveries (update_id, signature_id, status) SELECT $1, s, st FROM unnest($2::uuid[], $3::text[]) AS x (s, st)`,
        [res.body.id, signatures, statuses],
      );
      return res.body.id as string;
    }

    const progress = async (updateId: string) => {
      const body = (await t.http().get(`/api/v1/campaigns/${campaign.id}/updates/${updateId}`).set(auth()).expect(200)).body;
      return { recipients: body.recipients, sent: body.sent, failed: body.failed, pending: body.pending, progress: body.progress };
    };
    const deliveries = async (updateId: string) =>
      (await t.db.query(`SELECT count(*)::int AS n FROM update_deliveries WHERE update_id = $1`, [updateId]))[0].n as number;

    it('deletes the rows of sends finished over UPDATE_DELIVERY_RETENTION_DAYS ago, in batches, the counts kept on the update', async () => {
      const old = await sentUpdate('done', 40, ['sent', 'sent', 'sent', 'failed', 'skipped']);
      const cancelled = await sentUpdate('cancelled', 31, ['sent', 'cancelled', 'cancelled']);
      const recent = await sentUpdate('done', 5, ['sent', 'sent']);
      const running = await sentUpdate('sending', 40, ['sent', 'pending']);
      const before = { old: await progress(old), cancelled: await progress(cancelled) };
      expect(before.old).toMatchObject({ recipients: 5, sent: 3, failed: 1, pending: 0 });
      expect(before.cancelled.progress).toMatchObject({ recipients: 3, sent: 1, cancelled: 2 });

      const dry = await t.app.get(RetentionService).run({ dryRun: true });
      expect(dry).toMatchObject({ updateDeliveryRetentionDays: 30, updateDeliveriesPurged: 8 });
      expect(await deliveries(old)).toBe(5);

      const report = await t.app.get(RetentionService).run({ dryRun: false });
      expect(report.updateDeliveriesPurged).toBe(8);
      expect([await deliveries(old), await deliveries(cancelled), await deliveries(recent), await deliveries(running)]).toEqual([0, 0, 2, 2]);
      expect(await progress(old)).toEqual(before.old);
      expect(await progress(cancelled)).toEqual(before.cancelled);
      const [kept] = await t.db.query(`SELECT final_counts, deliveries_purged_at FROM case_updates WHERE id = $1`, [old]);
      expect(kept.final_counts).toEqual({ recipients: 5, sent: 3, failed: 1, pending: 0, skipped: 1, cancelled: 0 });
      expect(kept.deliveries_purged_at).not.toBeNull();
      const [event] = await t.db.query(`SELECT details FROM audit_events WHERE action = 'retention.run' AND campaign_id IS NULL ORDER BY at DESC LIMIT 1`);
      expect(event.details).toMatchObject({ updateDeliveriesPurged: 8 });

      expect((await t.app.get(RetentionService).run({ dryRun: false })).updateDeliveriesPurged).toBe(0);
      // The recent one goes when its time comes.
      await t.db.query(`UPDATE case_updates SET finished_at = now() - interval '31 days' WHERE id = $1`, [recent]);
      expect((await t.app.get(RetentionService).run({ dryRun: false })).updateDeliveriesPurged).toBe(2);
      expect(await progress(recent)).toMatchObject({ recipients: 2, sent: 2 });
    });
  });

  describe('opt-outs', () => {
    const email = 'layla-optout@example.net';
    let emailHash: string;

    beforeAll(async () => {
      await signAndConfirm(t, smtp, campaign.slug, { name: 'Layla Hassan', email, country: 'IQ', contactConsent: true });
      const [row] = await t.db.query(`SELECT id, email_hash FROM signatures WHERE campaign_id = $1 AND email_domain = 'example.net' AND status = 'verified' ORDER BY created_at DESC LIMIT 1`, [campaign.id]);
      emailHash = row.email_hash;
      const token = new UnsubscribeTokens(appSecret(t.env)).forSignature(row.id);
      await t.http().post(`/u/${token}`).type('form').send('List-Unsubscribe=One-Click').expect(200);
      await t.http().post(`/en/u/${token}`).type('form').send('scope=organisation').expect(200);
      expect((await t.db.query(`SELECT count(*)::int AS n FROM update_opt_outs WHERE email_hash = $1`, [emailHash]))[0].n).toBe(2);
      smtp.clear();
    }, 60_000);

    it('lists them in the access report, in English and in Arabic', async () => {
      await t.http().post('/api/v1/privacy/access-requests').send({ email }).expect(202);
      const [report] = await smtp.waitFor(email);
      expect(report.parsed.text).toContain('Update emails you stopped:');
      expect(report.parsed.text).toContain('— updates about Water for Basra, since');
      expect(report.parsed.text).toContain('— everything from Basra Water Coalition, since');
      expect(report.parsed.html).toContain('Everything from <strong>Basra Water Coalition</strong>');

      await t.http().post('/api/v1/privacy/access-requests').send({ email, locale: 'ar' }).expect(202);
      const [, ar] = await smtp.waitFor(email, 2);
      expect(ar.parsed.text).toContain('رسائل المستجدات التي أوقفتها:');
      expect(ar.parsed.text).toContain('— مستجدات حملة «Water for Basra»، منذ');
      expect(ar.parsed.text).toContain('— كل ما يصل من Basra Water Coalition، منذ');
    });

    it('says "none" when there is none', async () => {
      const other = 'omar-no-optout@example.net';
      await signAndConfirm(t, smtp, campaign.slug, { name: 'Omar', email: other, country: 'JO' });
      await t.http().post('/api/v1/privacy/access-requests').send({ email: other }).expect(202);
      const mails = await smtp.waitFor(other, 2);
      expect(mails[1].parsed.text).toContain('Update emails you stopped: none');
    });

    it('erases them with the address’s signatures', async () => {
      smtp.clear();
      await t.http().post('/api/v1/privacy/erasure-requests').send({ email }).expect(202);
      const [mail] = await smtp.waitFor(email);
      const token = /\/privacy\/erase\/([A-Za-z0-9_-]{43})/.exec(mail.parsed.text ?? '')![1];
      await t.http().post('/api/v1/privacy/erasures').send({ token }).expect(200);
      expect((await t.db.query(`SELECT count(*)::int AS n FROM update_opt_outs WHERE email_hash = $1`, [emailHash]))[0].n).toBe(0);
    });

    it('an admin’s erasure erases them too', async () => {
      const other = 'sami-admin-erased@example.net';
      await signAndConfirm(t, smtp, campaign.slug, { name: 'Sami', email: other, country: 'JO', contactConsent: true });
      const [row] = await t.db.query(`SELECT id, email_hash FROM signatures WHERE campaign_id = $1 AND status = 'verified' ORDER BY created_at DESC LIMIT 1`, [campaign.id]);
      await t.http().post(`/u/${new UnsubscribeTokens(appSecret(t.env)).forSignature(row.id)}`).type('form').send('List-Unsubscribe=One-Click').expect(200);
      await t.http().post('/api/v1/admin/erasures').set('Authorization', `Bearer ${await t.adminToken()}`).send({ email: other }).expect(200);
      expect((await t.db.query(`SELECT count(*)::int AS n FROM update_opt_outs WHERE email_hash = $1`, [row.email_hash]))[0].n).toBe(0);
    });
  });
});
