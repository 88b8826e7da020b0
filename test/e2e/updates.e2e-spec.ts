import { MetricsService } from '../../src/infra/metrics/metrics.service';
import { createTransport } from 'nodemailer';
import { insertVerifiedSupporters, type BulkSupporter } from '../support/bulk-supporters';
import { dsn } from '../support/dsn';
import { createCampaign, createLiveCampaign, createOrganiserWithOrganisation, type OrganiserLogin } from '../support/factories';
import { freePort } from '../support/processes';
import { ReceivedMail, SmtpSink } from '../support/smtp-sink';
import { emailHash } from '../support/supporter-data';
import { createTestApp, TestApp } from '../support/test-app';
import { waitUntil } from '../support/wait';

const RATE = 250;

/** A header as sent, unfolded. */
function header(mail: ReceivedMail, name: string): string | null {
  const head = mail.raw.split(/\r?\n\r?\n/)[0].replace(/\r?\n[ \t]+/g, ' ');
  const line = head.split(/\r?\n/).find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line ? line.slice(name.length + 1).trim() : null;
}

/**
 * Case updates end to end: the API, the public campaign and page, and the batch email through the
 * real queue to a real SMTP server: exactly the consenting, subscribed supporters, each in their
 * language, with RFC 8058 headers; one-click unsubscribe; pause, resume, cancel; the weekly cap;
 * bounces that suppress.
 */
describe('case updates and batch emails', () => {
  let t: TestApp;
  let bouncePort: number;
  const smtp = new SmtpSink();
  let org: OrganiserLogin;
  let auth: { Authorization: string };

  beforeAll(async () => {
    bouncePort = await freePort();
    t = await createTestApp({
      SMTP_URL: await smtp.start(),
      MAIL_FROM: 'Nida <updates@nida.test>',
      DATABASE_POOL_SIZE: '20',
      BROADCAST_RATE_PER_SECOND: String(RATE),
      BROADCAST_CONCURRENCY: '20',
      MAIL_CONCURRENCY: '10',
      UPDATE_DISPATCH_INTERVAL_MS: '100',
      UPDATE_FANOUT_CHUNK: '500',
      MAIL_BACKOFF_MS: '50',
      BOUNCE_SMTP_PORT: String(bouncePort),
      BOUNCE_SMTP_HOST: '127.0.0.1',
    });
    org = await createOrganiserWithOrganisation(t);
    auth = { Authorization: `Bearer ${org.token}` };
  });

  afterAll(async () => {
    await t?.close();
    await smtp.stop();
  });

  const updates = (mails: ReceivedMail[] = smtp.received) => mails.filter((m) => header(m, 'X-Nida-Update'));
  const progress = async (campaignId: string, updateId: string) =>
    (await t.http().get(`/api/v1/campaigns/${campaignId}/updates/${updateId}`).set(auth).expect(200)).body as {
      recipients: number;
      sent: number;
      failed: number;
      pending: number;
      sendState: string;
      fannedOut: boolean;
      progress: { skipped: number; cancelled: number };
    };
  const settled = (campaignId: string, updateId: string, timeoutMs = 30000) =>
    waitUntil(async () => {
      const p = await progress(campaignId, updateId);
      return p.fannedOut && p.pending === 0 && ['done', 'cancelled'].includes(p.sendState) ? p : null;
    }, timeoutMs, 100);

  it('posts updates, shows them newest first in the asked language, and sets an urgent action’s case status', async () => {
    const campaign = await createLiveCampaign(t, org.token, {
      kind: 'urgent_action',
      locale: 'ar',
      title: 'أين سالم راضي؟',
      summary: 'اختفى سالم راضي منذ أسبوع.',
      body: 'نطالب بالكشف عن مصيره.',
      timeZone: 'Asia/Baghdad',
      translations: { en: { title: 'Where is Salim Radhi?', summary: 'Salim Radhi vanished a week ago.', body: 'We demand to know his fate.' } },
    });
    const first = await t
      .http()
      .post(`/api/v1/campaigns/${campaign.id}/updates`)
      .set(auth)
      .send({ title: 'جلسة المحكمة يوم الأحد', body: 'تُعقد الجلسة يوم الأحد.', translations: { en: { title: 'The hearing is on Sunday', body: 'The court sits on Sunday.' } }, notify: false, caseStatus: 'on_trial' })
      .expect(201);
    expect(first.body).toMatchObject({ locale: 'ar', notify: false, sendState: null, caseStatus: 'on_trial', recipients: 0 });
    // Only Arabic: English readers get it in Arabic.
    await t.http().post(`/api/v1/campaigns/${campaign.id}/updates`).set(auth).send({ title: 'أُطلق سراح سالم', body: 'خرج سالم اليوم.', notify: false, caseStatus: 'released' }).expect(201);

    const en = (await t.http().get(`/api/v1/campaigns/${campaign.slug}?lang=en`).expect(200)).body;
    expect(en.caseStatus).toBe('released');
    expect(en.updates.map((u: { title: string; locale: string }) => [u.locale, u.title])).toEqual([
      ['ar', 'أُطلق سراح سالم'],
      ['en', 'The hearing is on Sunday'],
    ]);
    const ar = (await t.http().get(`/api/v1/campaigns/${campaign.slug}`).set('Accept-Language', 'ar-IQ,en;q=0.5').expect(200)).body;
    expect(ar.updates[1]).toMatchObject({ locale: 'ar', title: 'جلسة المحكمة يوم الأحد', caseStatus: 'on_trial' });

    const list = (await t.http().get(`/api/v1/campaigns/${campaign.id}/updates`).set(auth).expect(200)).body;
    expect(list.items).toHaveLength(2);
    expect(list).toMatchObject({ emailsPerWeek: 3, nextNotifyAllowedAt: null });

    // The page: the status at the top, the timeline in both languages, dates in Baghdad's zone and the page's digits.
    const arPage = (await t.http().get(`/ar/c/${campaign.slug}`).expect(200)).text;
    expect(arPage).toContain('حالة القضية: <strong>أُطلق سراحه</strong>');
    expect(arPage).toContain('class="timeline"');
    expect(arPage.indexOf('أُطلق سراح سالم')).toBeLessThan(arPage.indexOf('جلسة المحكمة يوم الأحد'));
    const arDate = /<p class="when"><time datetime="[^"]+">([^<]+)<\/time>/.exec(arPage)![1];
    expect(arDate).toMatch(/[٠-٩]/);
    expect(arDate).not.toMatch(/[0-9]/);
    const enPage = (await t.http().get(`/en/c/${campaign.slug}`).expect(200)).text;
    expect(enPage).toContain('Case status: <strong>Released</strong>');
    expect(enPage).toContain('The hearing is on Sunday');
    expect(enPage).toContain('Case status: On trial');

    // PATCH sets it too; a petition has none.
    await t.http().patch(`/api/v1/campaigns/${campaign.id}`).set(auth).send({ caseStatus: 'resolved' }).expect(200);
    expect((await t.http().get(`/api/v1/campaigns/${campaign.slug}`).expect(200)).body.caseStatus).toBe('resolved');
    await t.http().patch(`/api/v1/campaigns/${campaign.id}`).set(auth).send({ caseStatus: 'asleep' }).expect(400);
    const petition = await createLiveCampaign(t, org.token);
    const refused = await t.http().post(`/api/v1/campaigns/${petition.id}/updates`).set(auth).send({ title: 'News', body: 'Text', notify: false, caseStatus: 'released' }).expect(400);
    expect(refused.body.code).toBe('VALIDATION_FAILED');
    await t.http().patch(`/api/v1/campaigns/${petition.id}`).set(auth).send({ caseStatus: 'released' }).expect(400);
  });

  it('refuses bad input, strangers and unknown ids', async () => {
    const campaign = await createLiveCampaign(t, org.token);
    const url = `/api/v1/campaigns/${campaign.id}/updates`;
    await t.http().post(url).send({ title: 'News', body: 'Text', notify: false }).expect(401);
    for (const body of [{}, { title: 'News', body: 'Text' }, { title: 'N', body: 'Text', notify: false }, { title: 'News', body: 'Text', notify: 'yes' }, { title: 'News', body: 'Text', notify: false, status: 'sent' }, { title: 'News', body: 'x'.repeat(10001), notify: false }]) {
      expect((await t.http().post(url).set(auth).send(body)).status).toBe(400);
    }
    // The translation in the campaign's own language belongs in title and body.
    await t.http().post(url).set(auth).send({ title: 'News', body: 'Text', notify: false, translations: { en: { title: 'News', body: 'Text' } } }).expect(400);
    const stranger = await createOrganiserWithOrganisation(t);
    await t.http().post(url).set('Authorization', `Bearer ${stranger.token}`).send({ title: 'News', body: 'Text', notify: false }).expect(403);
    await t.http().get(url).set('Authorization', `Bearer ${stranger.token}`).expect(403);
    const posted = (await t.http().post(url).set(auth).send({ title: 'News', body: 'Text', notify: false }).expect(201)).body;
    await t.http().get(`${url}/${posted.id}`).set('Authorization', `Bearer ${stranger.token}`).expect(403);
    await t.http().get(`${url}/not-a-uuid`).set(auth).expect(404);
    await t.http().get(`${url}/00000000-0000-4000-8000-000000000000`).set(auth).expect(404);
    await t.http().post(`${url}/${posted.id}/pause`).set(auth).expect(409);
    // A draft has no supporters to email.
    const draft = await createCampaign(t, org.token);
    expect((await t.http().post(`/api/v1/campaigns/${draft.id}/updates`).set(auth).send({ title: 'News', body: 'Text', notify: true }).expect(409)).body.code).toBe('UPDATE_CAMPAIGN_NOT_PUBLISHED');
  });

  it('pauses, resumes and cancels a send; caps notified updates at three a week', async () => {
    const campaign = await createLiveCampaign(t, org.token);
    const supporters: BulkSupporter[] = Array.from({ length: 200 }, (_, i) => ({ email: `p${i}@example.org`, locale: 'en', consent: true }));
    await insertVerifiedSupporters(t, campaign.id, supporters);
    const url = `/api/v1/campaigns/${campaign.id}/updates`;
    smtp.clear();

    const first = (await t.http().post(url).set(auth).send({ title: 'Pause me', body: 'Text', notify: true }).expect(201)).body;
    await waitUntil(async () => (await progress(campaign.id, first.id)).sent >= 20, 20000, 20);
    const paused = (await t.http().post(`${url}/${first.id}/pause`).set(auth).expect(200)).body;
    expect(paused.sendState).toBe('paused');
    // The messages already being sent finish (their senders hold leases); nothing new is claimed.
    const inFlight = async () =>
      (await t.db.query(`SELECT count(*)::int AS n FROM update_deliveries WHERE update_id = $1 AND status = 'pending' AND lease_until > now()`, [first.id]))[0].n as number;
    await waitUntil(async () => (await inFlight()) === 0, 10000, 20);
    const atPause = (await progress(campaign.id, first.id)).sent;
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const stillPaused = await progress(campaign.id, first.id);
    expect(stillPaused.sent).toBe(atPause);
    expect(stillPaused.sent).toBeLessThan(200);
    expect(stillPaused.pending).toBe(200 - atPause);
    await t.http().post(`${url}/${first.id}/pause`).set(auth).expect(200); // again: the same
    await t.http().post(`${url}/${first.id}/resume`).set(auth).expect(200);
    expect(await settled(campaign.id, first.id)).toMatchObject({ recipients: 200, sent: 200, pending: 0, sendState: 'done' });
    const firstMails = updates().filter((m) => header(m, 'X-Nida-Update') && m.parsed.subject?.endsWith('Pause me'));
    expect(new Set(firstMails.map((m) => m.envelope.to[0])).size).toBe(200);
    expect(firstMails).toHaveLength(200);
    await t.http().post(`${url}/${first.id}/resume`).set(auth).expect(409);

    const second = (await t.http().post(url).set(auth).send({ title: 'Cancel me', body: 'Text', notify: true }).expect(201)).body;
    await waitUntil(async () => (await progress(campaign.id, second.id)).sent >= 20, 20000, 20);
    const cancelled = (await t.http().post(`${url}/${second.id}/cancel`).set(auth).expect(200)).body;
    expect(cancelled.sendState).toBe('cancelled');
    const end = (await settled(campaign.id, second.id))!;
    expect(end.sent).toBeLessThan(200);
    expect(end.sent + end.progress.cancelled).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect((await progress(campaign.id, second.id)).sent).toBe(end.sent);
    expect(updates().filter((m) => m.parsed.subject?.endsWith('Cancel me'))).toHaveLength(end.sent);
    await t.http().post(`${url}/${second.id}/resume`).set(auth).expect(409);

    // The cap: a cancelled send does not count; the third notified one is allowed, a fourth refused with when.
    const third = (await t.http().post(url).set(auth).send({ title: 'Third', body: 'Text', notify: true }).expect(201)).body;
    const fourth = (await t.http().post(url).set(auth).send({ title: 'Fourth', body: 'Text', notify: true }).expect(201)).body;
    const refused = await t.http().post(url).set(auth).send({ title: 'Fifth', body: 'Text', notify: true }).expect(429);
    expect(refused.body.code).toBe('UPDATE_EMAIL_CAP_REACHED');
    const firstAt = new Date(first.createdAt).getTime();
    expect(new Date(refused.body.details.nextAllowedAt).getTime()).toBe(firstAt + 7 * 24 * 3600 * 1000);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(6 * 24 * 3600);
    // Posting without notify is still allowed; the list says when the next email may go.
    await t.http().post(url).set(auth).send({ title: 'Fifth, quietly', body: 'Text', notify: false }).expect(201);
    expect((await t.http().get(url).set(auth).expect(200)).body.nextNotifyAllowedAt).toBe(refused.body.details.nextAllowedAt);
    // Once the oldest is more than 7 days old, the next may go.
    await t.db.query(`UPDATE case_updates SET created_at = now() - interval '8 days' WHERE id = $1`, [first.id]);
    await t.http().post(url).set(auth).send({ title: 'Fifth', body: 'Text', notify: true }).expect(201);
    for (const id of [third.id, fourth.id]) await t.http().post(`${url}/${id}/cancel`).set(auth).expect(200);
  }, 60000);

  it('posts and emails once for one Idempotency-Key, even for two posts at once (a double click, a retried request); refuses a malformed key', async () => {
    const campaign = await createLiveCampaign(t, org.token);
    await insertVerifiedSupporters(t, campaign.id, Array.from({ length: 30 }, (_, i) => ({ email: `k${i}@example.org`, locale: 'en', consent: true }) as BulkSupporter));
    const url = `/api/v1/campaigns/${campaign.id}/updates`;
    smtp.clear();
    const key = { 'Idempotency-Key': 'c0ffee00-0000-4000-8000-000000000001' };
    const body = { title: 'Once only', body: 'Text', notify: true };
    const [a, b] = await Promise.all([t.http().post(url).set(auth).set(key).send(body), t.http().post(url).set(auth).set(key).send(body)]);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(b.body.id).toBe(a.body.id);
    const again = await t.http().post(url).set(auth).set(key).send(body).expect(201);
    expect(again.body.id).toBe(a.body.id);
    expect(await settled(campaign.id, a.body.id)).toMatchObject({ recipients: 30, sent: 30 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    // (An earlier test's send may still be going: only this campaign's supporters are counted.)
    expect(updates().filter((m) => m.envelope.to.some((to) => /^k\d+@example\.org$/.test(to))).length).toBe(30);
    const rows = await t.db.query(`SELECT count(*)::int AS n FROM case_updates WHERE campaign_id = $1`, [campaign.id]);
    expect(rows[0].n).toBe(1);
    expect((await t.db.query(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'updates.post' AND campaign_id = $1`, [campaign.id]))[0].n).toBe(1);
    // Another key is another update; no key, always a new one.
    const other = await t.http().post(url).set(auth).set({ 'Idempotency-Key': 'another-key-0001' }).send({ ...body, notify: false }).expect(201);
    expect(other.body.id).not.toBe(a.body.id);
    // A malformed key: 400 naming the header, nothing posted.
    for (const bad of ['short', 'x'.repeat(201), 'has space in it', 'a\tkey-with-a-tab']) {
      const res = await t.http().post(url).set(auth).set('Idempotency-Key', bad).send(body);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'Idempotency-Key' }] });
    }
    expect((await t.db.query(`SELECT count(*)::int AS n FROM case_updates WHERE campaign_id = $1`, [campaign.id]))[0].n).toBe(2);
  });
  /** nida_update_email_sends_total by result, read from the app's metrics registry. */
  async function updateSends(): Promise<Record<string, number>> {
    const { body } = await t.app.get(MetricsService).exposition();
    return Object.fromEntries(['sent', 'retried', 'failed'].map((r) => [r, Number(new RegExp(`^nida_update_email_sends_total\\{result="${r}"\\} (\\S+)$`, 'm').exec(body)?.[1])]));
  }

  it('suppresses an address that bounces: a 5xx at send, or a delivery report to the VERP address', async () => {
    const campaign = await createLiveCampaign(t, org.token);
    await insertVerifiedSupporters(t, campaign.id, [
      { email: 'refused@example.org', locale: 'en', consent: true },
      { email: 'later@example.org', locale: 'en', consent: true },
      { email: 'fine@example.org', locale: 'en', consent: true },
    ]);
    const url = `/api/v1/campaigns/${campaign.id}/updates`;
    // Wait for every earlier send to finish, so the next refusal meets this update's first email.
    await waitUntil(async () => (await t.db.query(`SELECT count(*)::int AS n FROM update_deliveries WHERE status = 'pending'`))[0].n === 0, 30000, 100);
    smtp.clear();
    const sendsBefore = await updateSends();
    smtp.answerNext({ accept: false, code: 550, message: '5.1.1 No such user' });
    const first = (await t.http().post(url).set(auth).send({ title: 'Bounce test', body: 'Text', notify: true }).expect(201)).body;
    const p = await settled(campaign.id, first.id);
    expect(p).toMatchObject({ recipients: 3, sent: 2, failed: 1 });
    // Counted in the metrics as they happened (nida_update_email_sends_total).
    const moved = async () => Object.fromEntries(Object.entries(await updateSends()).map(([k, v]) => [k, v - sendsBefore[k]]));
    await waitUntil(async () => (await moved()).sent === 2, 5000);
    expect(await moved()).toEqual({ sent: 2, retried: 0, failed: 1 });
    const [refusedRow] = await t.db.query(
      `SELECT s.email_hash FROM update_deliveries d JOIN signatures s ON s.id = d.signature_id WHERE d.update_id = $1 AND d.status = 'failed'`,
      [first.id],
    );
    const suppressed = async (hash: string) =>
      (await t.db.query(`SELECT count(*)::int AS n FROM update_opt_outs WHERE email_hash = $1 AND scope = 'suppressed'`, [hash]))[0].n as number;
    expect(await suppressed(refusedRow.email_hash)).toBe(1);

    // A delivery report for one that was accepted, then bounced.
    const accepted = updates().find((m) => m.parsed.subject?.endsWith('Bounce test'))!;
    const bounceAddress = accepted.envelope.from;
    const transport = createTransport({ host: '127.0.0.1', port: bouncePort, ignoreTLS: true });
    try {
      await transport.sendMail({ envelope: { from: '', to: bounceAddress }, raw: dsn('5.1.1', 'failed', bounceAddress) });
    } finally {
      transport.close();
    }
    await waitUntil(async () => (await suppressed(emailHash(accepted.envelope.to[0]))) === 1, 10000);
    expect((await progress(campaign.id, first.id)).failed).toBe(2);

    // The next update reaches only the one left.
    smtp.clear();
    const second = (await t.http().post(url).set(auth).send({ title: 'After bounces', body: 'Text', notify: true }).expect(201)).body;
    expect(await settled(campaign.id, second.id)).toMatchObject({ recipients: 1, sent: 1 });
    expect(updates().map((m) => m.envelope.to[0])).toHaveLength(1);
  }, 60000);
  it('posts and emails automatic notices once: a win and a reply recorded public, with autoNotify', async () => {
    const campaign = await createLiveCampaign(t, org.token, { title: 'Protect the marshes' });
    await insertVerifiedSupporters(t, campaign.id, [
      { email: 'auto1@example.org', locale: 'en', consent: true },
      { email: 'auto2@example.org', locale: 'ar', consent: true },
      { email: 'auto3@example.org', locale: 'en', consent: false },
    ]);
    const target = (await t.http().post(`/api/v1/campaigns/${campaign.id}/targets`).set(auth).send({ name: 'World Heritage Centre', email: 'whc@example.org' }).expect(201)).body;
    const notices = async () =>
      (await t.db.query(`SELECT source, notify, title, send_state FROM case_updates WHERE campaign_id = $1 ORDER BY created_at`, [campaign.id])) as {
        source: string;
        notify: boolean;
        title: string;
        send_state: string;
      }[];
    // Off by default: a public reply posts nothing.
    await t.http().post(`/api/v1/campaigns/${campaign.id}/targets/${target.id}/replies`).set(auth).send({ receivedOn: '2026-11-01', summary: 'Acknowledged', publicText: 'We have received your letter.' }).expect(201);
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(await notices()).toEqual([]);
    await t.http().patch(`/api/v1/campaigns/${campaign.id}`).set(auth).send({ autoNotify: null }).expect(400);
    expect((await t.http().patch(`/api/v1/campaigns/${campaign.id}`).set(auth).send({ autoNotify: true }).expect(200)).body.autoNotify).toBe(true);
    // The earlier reply (within 7 days) is owed its notice now; then a win.
    await waitUntil(async () => (await notices()).length === 1, 10000, 100);
    await t.http().post(`/api/v1/campaigns/${campaign.id}/win`).set(auth).send({ outcome: 'The Centre sent a mission.' }).expect(200);
    await waitUntil(async () => (await notices()).length === 2, 10000, 100);
    const rows = await notices();
    expect(rows.map((r) => [r.source, r.notify, r.title])).toEqual([
      ['reply', true, 'World Heritage Centre replied'],
      ['won', true, 'We won'],
    ]);
    await waitUntil(async () => (await notices()).every((r) => r.send_state === 'done'), 20000, 100);
    const got = smtp.received.filter((m) => m.envelope.to[0].startsWith('auto'));
    const subjects = (address: string) => got.filter((m) => m.envelope.to[0] === address).map((m) => m.parsed.subject).sort();
    expect(subjects('auto1@example.org')).toEqual(['Protect the marshes: We won', 'Protect the marshes: World Heritage Centre replied']);
    expect(subjects('auto2@example.org')).toEqual(['Protect the marshes: انتصرنا', 'Protect the marshes: ردّ World Heritage Centre'].sort());
    expect(subjects('auto3@example.org')).toEqual([]);
    expect(got.find((m) => m.parsed.subject?.endsWith('We won'))!.parsed.text).toContain('The Centre sent a mission.');
    // Once each: later passes post nothing more.
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(await notices()).toHaveLength(2);
  }, 60000);
});
