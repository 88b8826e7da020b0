import { Queue } from 'bullmq';
import { QueueName } from '../../src/infra/queue/queue-names';
import { redisConnectionOptions } from '../../src/infra/redis/redis-options';
import { TrendingAlertLoop } from '../../src/modules/abuse/jobs/trending-alert.loop';
import { TrendingAlertService } from '../../src/modules/abuse/trending-alert.service';
import { MailRelay } from '../../src/modules/mail/jobs/mail-relay';
import { MailProcessor } from '../../src/modules/mail/jobs/mail.processor';
import { MailOutboxService } from '../../src/modules/mail/mail-outbox.service';
import { createLiveCampaign, createOrganiserWithOrganisation, OrganiserLogin } from '../support/factories';
import { mailJobFor } from '../support/mail-jobs';
import { ReceivedMail, SmtpSink } from '../support/smtp-sink';
import { createTestApp, flushPrefix, TestApp } from '../support/test-app';
import { waitUntil } from '../support/wait';
import { queuePrefix } from '../../src/infra/queue/queue-keys';

const REDIS = redisConnectionOptions(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const SECOND_ADMIN = { email: 'second-admin@nida.test', password: 'second-admin-password' };

interface Seed {
  n: number;
  ipHash: string | null;
  domain: string;
  /** One country, or several taken in turn (so that none passes the threshold). */
  country: string | string[];
  status?: 'pending' | 'verified' | 'held' | 'invalidated';
  /** How long ago the rows were created (PostgreSQL interval), e.g. '10 minutes'. */
  ago: string;
}

describe('trending sources and their alerts (e2e)', () => {
  let t: TestApp;
  let organiser: OrganiserLogin;
  let admin: string;
  let mailQueue: Queue;
  const smtp = new SmtpSink();
  let seeded = 0;

  beforeAll(async () => {
    t = await createTestApp({
      SMTP_URL: await smtp.start(),
      MAIL_BACKOFF_MS: '50',
      MAIL_RELAY_INTERVAL_MS: '100',
      MAIL_REQUEUE_AFTER_SECONDS: '1',
      TRENDING_INTERVAL_MINUTES: '60',
      TRENDING_ALERT_THRESHOLD: '200',
    });
    organiser = await createOrganiserWithOrganisation(t);
    admin = await t.adminToken();
    const created = await t
      .http()
      .post(`/api/v1/organisations/${organiser.organisationId}/organisers`)
      .set('Authorization', `Bearer ${admin}`)
      .send({ ...SECOND_ADMIN, name: 'Second Admin', role: 'admin' });
    expect(created.status).toBe(201);
    mailQueue = new Queue(QueueName.Mail, { connection: REDIS, prefix: queuePrefix(t.env.REDIS_PREFIX, QueueName.Mail) });
  });
  afterAll(async () => {
    await mailQueue.close();
    await t.close();
    await smtp.stop();
  });

  // ── helpers ─────────────────────────────────────────────────────────────────

  /** Signatures written straight into the table, as signing would, with the sources given. */
  async function seed(campaignId: string, s: Seed): Promise<void> {
    const tag = ++seeded;
    await t.db.query(
      `INSERT INTO signatures (campaign_id, email, email_hash, email_domain, name, country, locale, status, ip_hash, created_at, verified_at)
       SELECT $1, 'plain:' || e, e, lower(split_part(e, '@', 2)), 'plain:Seed Supporter', ($4::text[])[1 + i % cardinality($4::text[])], 'en', $5, $6, now() - $7::interval,
              CASE WHEN $5 IN ('verified', 'invalidated') THEN now() - $7::interval END
         FROM generate_series(1, $2::int) i, LATERAL (SELECT 'seed-' || $8::int || '-' || i || '@' || $3 AS e) x`,
      [campaignId, s.n, s.domain, [s.country].flat(), s.status ?? 'pending', s.ipHash, s.ago, tag],
    );
  }

  const trending = (window: string, token = admin) => t.http().get(`/api/v1/admin/trending?window=${window}`).set('Authorization', `Bearer ${token}`);

  async function campaign(locale: 'ar' | 'en' = 'en') {
    return createLiveCampaign(t, organiser.token, locale === 'ar' ? { locale: 'ar', title: `حملة ${++seeded}` } : {});
  }

  /** One relay pass, then every mail job handed to the queue processed: nothing waiting, running or delayed. */
  async function drained(): Promise<void> {
    await t.app.get(MailRelay).loop.runOnce();
    await waitUntil(async () => {
      const c = await mailQueue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children');
      return Object.values(c).every((n) => n === 0);
    });
  }

  /** The alerts this address received about the campaign with this title (subjects name it: «title» or "on title:"). */
  const alertsTo = (address: string, title: string): ReceivedMail[] =>
    smtp.to(address).filter((m) => [`«${title}»`, `on ${title}:`].some((named) => (m.parsed.subject ?? '').includes(named)));

  /** Every country but one, in turn: only the address or domain passes the threshold. */
  const SPREAD = ['FR', 'DE', 'ES', 'IT'];

  const admins = () => [t.env.ADMIN_EMAIL as string, SECOND_ADMIN.email];

  // ── the route ───────────────────────────────────────────────────────────────

  describe('GET /api/v1/admin/trending', () => {
    let a: { id: string; slug: string };
    let b: { id: string; slug: string };

    beforeAll(async () => {
      a = await campaign();
      b = await campaign();
      await seed(a.id, { n: 30, ipHash: 'h-a', domain: 'flood.example', country: 'IQ', status: 'held', ago: '10 minutes' });
      await seed(a.id, { n: 10, ipHash: 'h-b', domain: 'gmail.com', country: 'JO', ago: '10 minutes' });
      await seed(a.id, { n: 5, ipHash: null, domain: 'gmail.com', country: 'IQ', status: 'verified', ago: '10 minutes' });
      for (let i = 1; i <= 12; i++) {
        const nn = String(i).padStart(2, '0');
        await seed(a.id, { n: 1, ipHash: `h-c${nn}`, domain: `c${nn}.example`, country: 'EG', ago: '10 minutes' });
      }
      await seed(a.id, { n: 4, ipHash: 'h-y', domain: 'edge.example', country: 'SA', ago: '20 minutes' });
      await seed(a.id, { n: 100, ipHash: 'h-z', domain: 'old.example', country: 'SY', status: 'invalidated', ago: '2 hours' });
      await seed(b.id, { n: 3, ipHash: 'h-a', domain: 'example.com', country: 'LB', ago: '10 minutes' });
    });

    it('lists, per campaign, the top 10 address hashes, domains and countries with their count and share of its new signatures', async () => {
      const res = await trending('1h').expect(200);
      expect(res.body.window).toBe('1h');
      expect(Date.parse(res.body.to) - Date.parse(res.body.from)).toBe(3_600_000);
      const ids = res.body.campaigns.map((c: { campaignId: string }) => c.campaignId);
      expect(ids.indexOf(a.id)).toBeLessThan(ids.indexOf(b.id)); // the most new signatures first
      const ca = res.body.campaigns.find((c: { campaignId: string }) => c.campaignId === a.id);
      // 30 + 10 + 5 + 12 within the last 10 minutes, 4 at 20 minutes; not the 100 two hours ago.
      const total = 61;
      const share = (n: number) => Math.round((n / total) * 10_000) / 10_000;
      expect(ca).toEqual({
        campaignId: a.id,
        slug: a.slug,
        title: expect.any(String),
        newSignatures: total,
        addresses: [
          { ipHash: 'h-a', count: 30, share: share(30) },
          { ipHash: 'h-b', count: 10, share: share(10) },
          { ipHash: 'h-y', count: 4, share: share(4) },
          ...['01', '02', '03', '04', '05', '06', '07'].map((nn) => ({ ipHash: `h-c${nn}`, count: 1, share: share(1) })),
        ],
        domains: [
          { domain: 'flood.example', count: 30, share: share(30) },
          { domain: 'gmail.com', count: 15, share: share(15) },
          { domain: 'edge.example', count: 4, share: share(4) },
          ...['01', '02', '03', '04', '05', '06', '07'].map((nn) => ({ domain: `c${nn}.example`, count: 1, share: share(1) })),
        ],
        countries: [
          { country: 'IQ', count: 35, share: share(35) },
          { country: 'EG', count: 12, share: share(12) },
          { country: 'JO', count: 10, share: share(10) },
          { country: 'SA', count: 4, share: share(4) },
        ],
      });
      expect(res.body.campaigns.find((c: { campaignId: string }) => c.campaignId === b.id)).toMatchObject({
        newSignatures: 3,
        addresses: [{ ipHash: 'h-a', count: 3, share: 1 }],
        domains: [{ domain: 'example.com', count: 3, share: 1 }],
        countries: [{ country: 'LB', count: 3, share: 1 }],
      });
    });

    it('counts only the signatures created within the window asked for', async () => {
      const quarter = (await trending('15m').expect(200)).body;
      expect(Date.parse(quarter.to) - Date.parse(quarter.from)).toBe(15 * 60_000);
      const a15 = quarter.campaigns.find((c: { campaignId: string }) => c.campaignId === a.id);
      expect(a15.newSignatures).toBe(57); // not the 4 of 20 minutes ago
      expect(a15.addresses.map((x: { ipHash: string }) => x.ipHash)).not.toContain('h-y');

      const six = (await trending('6h').expect(200)).body;
      const a6 = six.campaigns.find((c: { campaignId: string }) => c.campaignId === a.id);
      expect(a6.newSignatures).toBe(161); // every status, the invalidated ones of 2 hours ago included
      expect(a6.addresses[0]).toEqual({ ipHash: 'h-z', count: 100, share: Math.round((100 / 161) * 10_000) / 10_000 });
      expect(a6.countries[0]).toMatchObject({ country: 'SY', count: 100 });
    });

    it('shows a real signer’s address only as its keyed hash', async () => {
      const c = await campaign();
      await t.http().post(`/api/v1/campaigns/${c.slug}/signatures`).send({ name: 'Layla Hassan', email: 'layla@example.net', country: 'IQ' }).expect(202);
      const [row] = await t.db.query(`SELECT ip_hash FROM signatures WHERE campaign_id = $1`, [c.id]);
      expect(row.ip_hash).toMatch(/^[A-Za-z0-9_-]{20,}$/);
      const res = await trending('15m').expect(200);
      expect(res.body.campaigns.find((x: { campaignId: string }) => x.campaignId === c.id)).toMatchObject({
        newSignatures: 1,
        addresses: [{ ipHash: row.ip_hash, count: 1, share: 1 }],
        domains: [{ domain: 'example.net', count: 1, share: 1 }],
      });
      expect(res.text).not.toContain('127.0.0.1');
      expect(res.text).not.toContain('layla');
    });

    it('defaults to one hour', async () => {
      const res = await t.http().get('/api/v1/admin/trending').set('Authorization', `Bearer ${admin}`).expect(200);
      expect(res.body.window).toBe('1h');
    });

    it('refuses a window it does not offer with 400 VALIDATION_FAILED naming it', async () => {
      for (const window of ['2h', '60m', '1', '', '1h,6h']) {
        const res = await trending(encodeURIComponent(window));
        expect(res.status).toBe(400);
        expect(res.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
        expect(res.body.details).toEqual([expect.objectContaining({ field: 'window' })]);
      }
    });

    it('is for admins only: 403 AUTH_ADMIN_ONLY for an organiser, 401 without a token', async () => {
      const res = await trending('1h', organiser.token);
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ statusCode: 403, code: 'AUTH_ADMIN_ONLY' });
      const anonymous = await t.http().get('/api/v1/admin/trending?window=1h');
      expect(anonymous.status).toBe(401);
      expect(anonymous.body.code).toBe('AUTH_REQUIRED');
    });
  });

  // ── the alerts ──────────────────────────────────────────────────────────────

  describe('alerts', () => {
    const pass = () => t.app.get(TrendingAlertLoop).loop.runOnce();

    it('emails each admin once per source past the threshold (more than 200 in the window): counts only, in the campaign’s language', async () => {
      const c = await campaign('ar');
      const title = c.title as string;
      // 201 from one address, one domain, one country; 200 from another address, domain and country (not more than 200).
      await seed(c.id, { n: 201, ipHash: 'h-flood', domain: 'flood.example', country: 'IQ', status: 'held', ago: '1 second' });
      await seed(c.id, { n: 200, ipHash: 'h-edge', domain: 'gmail.com', country: 'JO', ago: '1 second' });

      await pass();
      for (const address of admins()) await smtp.waitFor(address, 3);
      await drained();

      for (const address of admins()) {
        const mails = alertsTo(address, title);
        expect(mails).toHaveLength(3);
        const subjects = mails.map((m) => m.parsed.subject).sort();
        expect(subjects).toEqual(
          [
            `مصدر نشِط على «${title}»: ٢٠١ توقيع جديد من عنوان IP واحد`,
            `مصدر نشِط على «${title}»: ٢٠١ توقيع جديد من بلد واحد`,
            `مصدر نشِط على «${title}»: ٢٠١ توقيع جديد من نطاق بريد واحد`,
          ].sort(),
        );
        const text = mails.map((m) => m.parsed.text).join('\n');
        expect(text).toContain('h-flood');
        expect(text).toContain('flood.example');
        expect(text).toContain('العراق');
        expect(text).not.toContain('h-edge');
        expect(text).not.toContain('gmail.com');
        for (const m of mails) {
          expect(m.raw).not.toContain('seed-');
          expect(m.raw).not.toContain('Seed Supporter');
          expect(m.parsed.headers.get('x-nida-mail')).toBe('admin.trending-alert');
        }
      }
      const rows = await t.db.query(
        `SELECT source_type, source, new_signatures FROM trending_alerts WHERE campaign_id = $1 AND window_end - window_start = interval '1 hour' ORDER BY source_type`,
        [c.id],
      );
      expect(rows.map((r: { source_type: string; source: string; new_signatures: number }) => [r.source_type, r.source, r.new_signatures])).toEqual([
        ['country', 'IQ', 201],
        ['domain', 'flood.example', 201],
        ['ip', 'h-flood', 201],
      ]);
    });

    it('never emails twice about one source in one window: not on the next pass, not when it grows', async () => {
      const c = await campaign();
      await seed(c.id, { n: 250, ipHash: null, domain: 'twice.example', country: SPREAD, ago: '1 second' });
      await pass();
      await waitUntil(async () => admins().every((address) => alertsTo(address, c.title as string).length === 1));

      await seed(c.id, { n: 100, ipHash: null, domain: 'twice.example', country: 'FR', ago: '1 second' });
      await pass();
      await pass();
      await drained();
      for (const address of admins()) expect(alertsTo(address, c.title as string)).toHaveLength(1);
      const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM trending_alerts WHERE campaign_id = $1`, [c.id]);
      expect(n).toBe(1);
    });

    it('alerts once when two workers run a pass at the same moment', async () => {
      const c = await campaign();
      await seed(c.id, { n: 201, ipHash: null, domain: 'together.example', country: 'IQ', ago: '1 second' });
      const service = t.app.get(TrendingAlertService);
      const passes = await Promise.all([service.alertPass(), service.alertPass(), service.alertPass()]);
      // The domain and the country: recorded by one pass; the others found them taken or waited for nothing.
      expect(passes.reduce((sum, n) => sum + n, 0)).toBe(2);
      await waitUntil(async () => admins().every((address) => alertsTo(address, c.title as string).length === 2));
      await drained();
      for (const address of admins()) expect(alertsTo(address, c.title as string)).toHaveLength(2);
    });

    it('sends once when the process dies between recording the alert and handing its email to the queue', async () => {
      const c = await campaign();
      await seed(c.id, { n: 201, ipHash: null, domain: 'crash.example', country: SPREAD, ago: '1 second' });
      // A crash right after the commit: the alert and its emails are in PostgreSQL, no job reached Redis.
      const outbox = t.app.get(MailOutboxService);
      const enqueue = jest.spyOn(outbox, 'enqueue').mockResolvedValueOnce(undefined);
      try {
        await expect(t.app.get(TrendingAlertService).alertPass()).resolves.toBe(1);
      } finally {
        enqueue.mockRestore();
      }
      const rows = await outboxRows(c.id);
      expect(rows.map((r) => r.status)).toEqual(['pending', 'pending']);
      for (const r of rows) expect(await mailJobFor(mailQueue, r.id)).toBeUndefined();

      // The relay takes rows enqueued longer ago than MAIL_REQUEUE_AFTER_SECONDS (1 s here).
      await waitUntil(async () => admins().every((address) => alertsTo(address, c.title as string).length === 1), 15000);
      await pass();
      await drained();
      for (const address of admins()) expect(alertsTo(address, c.title as string)).toHaveLength(1);
      expect((await outboxRows(c.id)).map((r) => r.status)).toEqual(['sent', 'sent']);
    });

    it('sends once when Redis loses the jobs before they are sent', async () => {
      const c = await campaign();
      await seed(c.id, { n: 201, ipHash: null, domain: 'flush.example', country: SPREAD, ago: '1 second' });
      const worker = t.app.get(MailProcessor).worker;
      await worker.pause();
      try {
        await pass();
        const rows = await outboxRows(c.id);
        expect(rows).toHaveLength(2);
        for (const r of rows) expect(await mailJobFor(mailQueue, r.id)).toBeDefined();
        await flushPrefix(t.redis, t.env.REDIS_PREFIX);
        for (const r of rows) expect(await mailJobFor(mailQueue, r.id)).toBeUndefined();
      } finally {
        worker.resume();
      }
      await waitUntil(async () => admins().every((address) => alertsTo(address, c.title as string).length === 1), 15000);
      await pass();
      await drained();
      await drained();
      for (const address of admins()) expect(alertsTo(address, c.title as string)).toHaveLength(1);
    });
  });

  /** The alert emails about this campaign in the outbox. */
  async function outboxRows(campaignId: string): Promise<{ id: string; status: string }[]> {
    return t.db.query(
      `SELECT id, status FROM mail_outbox
        WHERE kind = 'admin.trending-alert' AND payload -> 'campaign' ->> 'title' = (SELECT title FROM campaigns WHERE id = $1)
        ORDER BY created_at, id`,
      [campaignId],
    );
  }
});
