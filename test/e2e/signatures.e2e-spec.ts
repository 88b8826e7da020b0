import { Queue } from 'bullmq';
import type { Response } from 'supertest';
import { QueueName } from '../../src/infra/queue/queue-names';
import { redisConnectionOptions } from '../../src/infra/redis/redis-options';
import { MailRelay } from '../../src/modules/mail/jobs/mail-relay';
import { TallyFoldLoop } from '../../src/modules/tally/jobs/tally-fold.loop';
import { createCampaign, createLiveCampaign, createOrganiserWithOrganisation, OrganiserLogin } from '../support/factories';
import { confirmLink, ReceivedMail, SmtpSink } from '../support/smtp-sink';
import { createTestApp, TestApp } from '../support/test-app';
import { waitUntil } from '../support/wait';
import { emailHash, opened } from '../support/supporter-data';
import { queuePrefix } from '../../src/infra/queue/queue-keys';

type Json = Record<string, unknown>;
interface Detail {
  field: string;
  problems: string[];
}
interface Campaign {
  id: string;
  slug: string;
  title: string;
}

const ACCEPTED = '{"status":"pending"}';
const TOKEN = /^[A-Za-z0-9_-]{43}$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('signatures (e2e)', () => {
  let t: TestApp;
  let org: OrganiserLogin;
  let mailQueue: Queue;
  const smtp = new SmtpSink();

  beforeAll(async () => {
    t = await createTestApp({
      SMTP_URL: await smtp.start(),
      MAIL_BACKOFF_MS: '50',
      MAIL_RELAY_INTERVAL_MS: '100',
      TALLY_INTERVAL_MS: '100',
      // Only the tests close campaigns here.
      CAMPAIGN_CLOSE_SWEEP_SECONDS: '3600',
    });
    org = await createOrganiserWithOrganisation(t, 'Marsh Defenders');
    mailQueue = new Queue(QueueName.Mail, {
      connection: redisConnectionOptions(t.env.REDIS_URL),
      prefix: queuePrefix(t.env.REDIS_PREFIX, QueueName.Mail),
    });
  });
  afterAll(async () => {
    await mailQueue.close();
    await t.close();
    await smtp.stop();
  });

  // ── helpers ─────────────────────────────────────────────────────────────────

  let seq = 0;
  /** A fresh address, so each test reads only its own mail from the sink. */
  const address = (label: string) => `${label}-${++seq}@example.org`;

  const campaignOf = (c: { id: string; slug: string; [key: string]: unknown }): Campaign => ({
    id: c.id,
    slug: c.slug,
    title: String(c.title),
  });
  const liveCampaign = async (overrides: Json = {}) => campaignOf(await createLiveCampaign(t, org.token, overrides));

  const sign = (slug: string, body: Json) => t.http().post(`/api/v1/campaigns/${slug}/signatures`).send(body);

  const signer = (overrides: Json = {}): Json => ({
    name: 'Layla Hassan',
    email: address('layla'),
    country: 'IQ',
    ...overrides,
  });

  /** Signs and expects the one accepted answer. */
  async function signOk(slug: string, body: Json): Promise<Response> {
    const res = await sign(slug, body);
    expect([res.status, res.text]).toEqual([202, ACCEPTED]);
    return res;
  }

  const confirmApi = (token: unknown) => t.http().post('/api/v1/signatures/confirm').send({ token });

  /** The confirmation link's path (/confirm/<token>) and token. */
  function linkOf(mail: ReceivedMail): { path: string; token: string } {
    const url = new URL(confirmLink(mail));
    const token = url.pathname.split('/').pop() ?? '';
    return { path: url.pathname, token };
  }

  /** Mail delivered to this address, whatever the case of its letters. */
  const inbox = (email: string) =>
    smtp.received.filter((m) => m.envelope.to.some((to) => to.toLowerCase() === email.toLowerCase()));

  async function waitForMail(email: string, count = 1): Promise<ReceivedMail[]> {
    await waitUntil(async () => inbox(email).length >= count, 10000);
    return inbox(email);
  }

  async function count(slug: string): Promise<number> {
    const res = await t.http().get(`/api/v1/campaigns/${slug}/count`);
    expect(res.status).toBe(200);
    return res.body.verified as number;
  }

  /** Waits for the public count to be exactly n. */
  const countReaches = (slug: string, n: number) => waitUntil(async () => (await count(slug)) === n, 5000);

  /** Folds every confirmation made so far into the counters, so a count read next is final. */
  const fold = () => t.app.get(TallyFoldLoop).loop.runOnce();

  async function signatureRows(campaignId: string): Promise<Json[]> {
    return (await t.db.query('SELECT * FROM signatures WHERE campaign_id = $1 ORDER BY created_at', [campaignId])).map(opened);
  }

  async function outboxCount(campaignId: string): Promise<number> {
    const [{ n }] = await t.db.query(
      `SELECT count(*)::int AS n FROM mail_outbox m JOIN signatures s ON s.id = m.signature_id WHERE s.campaign_id = $1`,
      [campaignId],
    );
    return n as number;
  }

  /** Every mail job handed to the queue has been processed (nothing waiting, running or delayed). */
  async function mailQueueDrained(): Promise<void> {
    await t.app.get(MailRelay).loop.runOnce();
    await waitUntil(async () => {
      const c = await mailQueue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children');
      return Object.values(c).every((n) => n === 0);
    });
  }

  // ── 1. the whole path a supporter takes ────────────────────────────────────

  describe('sign → mail → confirmation page → confirm', () => {
    it('mails an English confirmation; GET shows a form and confirms nothing; the form POST counts the signature', async () => {
      const campaign = await liveCampaign();
      const email = address('layla');
      await signOk(campaign.slug, signer({ email }));

      const [mail] = await smtp.waitFor(email);
      expect(mail.envelope.to).toEqual([email]);
      const to = [mail.parsed.to ?? []].flat().flatMap((a) => a.value);
      expect(to).toEqual([{ address: email, name: 'Layla Hassan' }]);
      expect(mail.parsed.subject).toBe(`Confirm your signature: ${campaign.title}`);
      expect(mail.parsed.headers.get('x-nida-mail')).toBe('signature.confirmation');
      const link = confirmLink(mail);
      const { path, token } = linkOf(mail);
      expect(link).toBe(`http://nida.test/confirm/${token}`);
      expect(token).toMatch(TOKEN);
      expect(mail.parsed.text).toContain('Hello Layla Hassan,');
      expect(mail.parsed.text).toContain(campaign.title);
      expect(typeof mail.parsed.html).toBe('string');
      const html = mail.parsed.html as string;
      expect(html).toContain(`href="${link}"`);
      expect(html).toContain('lang="en"');
      expect(html).toContain('dir="ltr"');
      expect(html).toContain(`<strong>${campaign.title}</strong>`);

      // A mail scanner (or the supporter) opening the link twice changes nothing.
      for (let i = 0; i < 2; i++) {
        const page = await t.http().get(path);
        expect(page.status).toBe(200);
        expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
        expect(page.headers['cache-control']).toBe('no-store');
        expect(page.text).toContain(`<form method="post" action="/en/confirm/${token}">`);
        expect(page.text).toContain('<button type="submit">Confirm my signature</button>');
        expect(page.text).toContain(campaign.title);
      }
      await fold();
      expect(await count(campaign.slug)).toBe(0);
      const [pending] = await signatureRows(campaign.id);
      expect(pending).toMatchObject({ status: 'pending', verified_at: null });
      const [{ n: events }] = await t.db.query('SELECT count(*)::int AS n FROM tally_events WHERE campaign_id = $1', [campaign.id]);
      expect(events).toBe(0);

      // Pressing the button: a browser's form post.
      const done = await t.http().post(path).type('form').send('');
      expect(done.status).toBe(200);
      expect(done.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(done.text).toContain('Thank you — you are counted.');
      expect(done.text).toContain(campaign.title);
      expect(done.text).toContain(`href="http://nida.test/en/c/${campaign.slug}"`);

      await countReaches(campaign.slug, 1);
      const pub = await t.http().get(`/api/v1/campaigns/${campaign.slug}`).expect(200);
      expect(pub.body.signatureCount).toBe(1);
      const [verified] = await signatureRows(campaign.id);
      expect(verified.status).toBe('verified');
      expect(verified.verified_at).toBeInstanceOf(Date);
    });

    it('mails an Arabic signer in Arabic (rtl), and the JSON API confirms', async () => {
      const arTitle = 'أنقذوا الأهوار';
      const campaign = await liveCampaign({
        translations: { ar: { title: arTitle, summary: 'الأهوار تجف.', body: 'اطلبوا من اليونسكو التحرك.' } },
      });
      const email = address('layla-ar');
      await signOk(campaign.slug, signer({ email, name: 'ليلى حسن', locale: 'ar' }));

      const [mail] = await smtp.waitFor(email);
      expect(mail.envelope.to).toEqual([email]);
      expect(mail.parsed.subject).toBe(`أكّد توقيعك: ${arTitle}`);
      expect(mail.parsed.text).toContain('مرحباً ليلى حسن،');
      const html = mail.parsed.html as string;
      expect(html).toMatch(/<html lang="ar" dir="rtl">/);
      expect(html).toContain('dir="rtl"');
      expect(html).toContain(`<strong>${arTitle}</strong>`);
      expect(html).toContain(`href="${confirmLink(mail)}"`);
      const { path, token } = linkOf(mail);

      const page = await t.http().get(path).expect(200);
      expect(page.text).toContain('<html lang="ar" dir="rtl">');
      expect(page.text).toContain('أكّد توقيعي');
      expect(page.text).toContain(arTitle);
      await fold();
      expect(await count(campaign.slug)).toBe(0);

      const res = await confirmApi(token);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: 'verified', campaign: { slug: campaign.slug, title: campaign.title, locale: 'en' } });
      await countReaches(campaign.slug, 1);
      const pub = await t.http().get(`/api/v1/campaigns/${campaign.slug}`).expect(200);
      expect(pub.body.signatureCount).toBe(1);
    });
  });

  // ── 2. one person, one signature ───────────────────────────────────────────

  describe('duplicates', () => {
    it('treats Gmail variants as one signer and answers each request with the same bytes', async () => {
      const campaign = await liveCampaign();
      const first = 'Layla.Hassan@gmail.com';
      const variants = [first, ' layla.hassan@GMAIL.com ', 'laylahassan+nida@gmail.com', 'l.a.y.l.a.hassan@googlemail.com'];
      const responses: Response[] = [];
      for (const [i, email] of variants.entries()) {
        responses.push(await signOk(campaign.slug, signer({ email })));
        // Each pending duplicate gets a fresh confirmation, sent to the address on file.
        await waitForMail(first, i + 1);
      }
      const rows = await signatureRows(campaign.id);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ email: first, email_hash: emailHash('laylahassan@gmail.com'), status: 'pending', emails_queued: 4 });

      const mails = inbox(first);
      expect(mails).toHaveLength(4);
      for (const m of mails) {
        expect(m.envelope.to).toEqual([first]);
        expect(m.parsed.subject).toBe(`Confirm your signature: ${campaign.title}`);
      }
      const tokens = mails.map((m) => linkOf(m).token);
      expect(new Set(tokens).size).toBe(4);

      // Any of the links works, the oldest included.
      await confirmApi(tokens[0]).expect(200);
      await countReaches(campaign.slug, 1);

      // Signing again once verified: the same answer, and a note without a link.
      responses.push(await signOk(campaign.slug, signer({ email: 'LaylaHassan@gmail.com' })));
      const [, , , , note] = await waitForMail(first, 5);
      expect(note.parsed.subject).toBe(`You have already signed: ${campaign.title}`);
      expect(note.parsed.headers.get('x-nida-mail')).toBe('signature.already-signed');
      expect(note.parsed.text).toContain('already confirmed and counted');
      expect(note.parsed.text).not.toMatch(/\/confirm\//);
      expect(note.parsed.html).not.toMatch(/\/confirm\//);
      expect(note.parsed.text).toContain(`http://nida.test/c/${campaign.slug}`);

      // A brand-new signer gets exactly the same answer.
      responses.push(await signOk(campaign.slug, signer()));

      const shape = (r: Response) => ({
        status: r.status,
        text: r.text,
        type: r.headers['content-type'],
        length: r.headers['content-length'],
        cache: r.headers['cache-control'],
      });
      for (const r of responses) expect(shape(r)).toEqual(shape(responses[0]));
      expect(shape(responses[0])).toMatchObject({ status: 202, text: ACCEPTED, cache: 'no-store' });

      await fold();
      expect(await count(campaign.slug)).toBe(1);
      expect(await signatureRows(campaign.id)).toHaveLength(2);
    });

    it('stops mailing a signer after SIGNATURE_MAX_EMAILS (5), still answering 202 each time', async () => {
      const campaign = await liveCampaign();
      const email = address('insistent');
      const responses: string[] = [];
      for (let i = 0; i < 7; i++) responses.push((await signOk(campaign.slug, signer({ email }))).text);
      expect(new Set(responses)).toEqual(new Set([ACCEPTED]));

      await waitForMail(email, 5);
      await mailQueueDrained();
      expect(inbox(email)).toHaveLength(5);
      const outbox: { status: string }[] = await t.db.query(
        `SELECT m.status FROM mail_outbox m JOIN signatures s ON s.id = m.signature_id WHERE s.campaign_id = $1`,
        [campaign.id],
      );
      expect(outbox.map((r) => r.status)).toEqual(['sent', 'sent', 'sent', 'sent', 'sent']);
      const rows = await signatureRows(campaign.id);
      expect(rows).toHaveLength(1);
      expect(rows[0].emails_queued).toBe(5);
    });
  });

  // ── 4. tokens ───────────────────────────────────────────────────────────────

  describe('confirmation tokens', () => {
    it('refuses an expired link in the API and on the page, and counts nothing', async () => {
      const campaign = await liveCampaign();
      const email = address('late');
      await signOk(campaign.slug, signer({ email }));
      const { path, token } = linkOf((await smtp.waitFor(email))[0]);
      await t.db.query(
        `UPDATE signature_tokens SET expires_at = now() - interval '1 minute'
          WHERE signature_id IN (SELECT id FROM signatures WHERE campaign_id = $1)`,
        [campaign.id],
      );

      const api = await confirmApi(token);
      expect(api.status).toBe(404);
      expect(api.body).toEqual({ statusCode: 404, code: 'TOKEN_INVALID', message: expect.any(String) });
      const page = await t.http().get(path);
      expect(page.status).toBe(404);
      expect(page.text).toContain('This link does not work');
      expect(page.text).not.toContain('<form');
      const press = await t.http().post(path).type('form').send('');
      expect(press.status).toBe(404);
      expect(press.text).toContain('This link does not work');

      await fold();
      expect(await count(campaign.slug)).toBe(0);
      expect((await signatureRows(campaign.id))[0].status).toBe('pending');
    });

    it.each([
      ['unknown', 'A'.repeat(43)],
      ['unknown (random)', 'q2mYQvS0vW1m1l9c9xB0O8H4nF2b3T4yK6cHcV7wP1E'],
      ['malformed', 'not-a-token'],
      ['padded with =', `${'a'.repeat(42)}=`],
      ['one character too long (44)', 'a'.repeat(44)],
      ['200 characters long', 'a'.repeat(200)],
      ['201 characters long', 'a'.repeat(201)],
      ['1000 characters long', 'a'.repeat(1000)],
      ['empty', ''],
    ])('answers 404 TOKEN_INVALID to a token that is %s, on the page and in the API', async (_label, token) => {
      if (token) {
        const page = await t.http().get(`/confirm/${token}`);
        const press = await t.http().post(`/confirm/${token}`).type('form').send('');
        if (token.length <= 100) {
          expect(page.status).toBe(404);
          expect(page.text).toContain('This link does not work');
          expect(press.status).toBe(404);
        } else {
          // Fastify's router refuses a path parameter over 100 characters (414) before the page runs.
          expect(page.status).toBeGreaterThanOrEqual(400);
          expect(press.status).toBeGreaterThanOrEqual(400);
        }
        expect(page.text).not.toContain('<form');
        expect(press.text).not.toContain('Thank you');
      }
      const api = await confirmApi(token);
      expect([api.status, api.body.code]).toEqual([404, 'TOKEN_INVALID']);
    });

    it('answers the same 200 to the same token twice and counts it once', async () => {
      const campaign = await liveCampaign();
      const email = address('twice');
      await signOk(campaign.slug, signer({ email }));
      const { path, token } = linkOf((await smtp.waitFor(email))[0]);

      const one = await confirmApi(token);
      const two = await confirmApi(token);
      expect(one.status).toBe(200);
      expect([two.status, two.text]).toEqual([one.status, one.text]);
      expect(one.body).toEqual({ status: 'verified', campaign: { slug: campaign.slug, title: campaign.title, locale: 'en' } });
      const again = await t.http().post(path).type('form').send('');
      expect(again.status).toBe(200);
      expect(again.text).toContain('Thank you — you are counted.');

      await countReaches(campaign.slug, 1);
      await fold();
      expect(await count(campaign.slug)).toBe(1);
      const [{ n }] = await t.db.query(
        `SELECT count(*)::int AS n FROM signatures WHERE campaign_id = $1 AND status = 'verified'`,
        [campaign.id],
      );
      expect(n).toBe(1);
    });
  });

  // ── 5. closed, draft and unknown campaigns ─────────────────────────────────

  describe('campaign state', () => {
    const close = (c: Campaign) =>
      t.http().post(`/api/v1/campaigns/${c.id}/close`).set('Authorization', `Bearer ${org.token}`).expect(200);

    it('refuses to sign a closed campaign with 409 CAMPAIGN_CLOSED and stores nothing', async () => {
      const campaign = await liveCampaign();
      await close(campaign);
      const email = address('closed');
      const res = await sign(campaign.slug, signer({ email }));
      expect(res.status).toBe(409);
      expect(res.body).toEqual({ statusCode: 409, code: 'CAMPAIGN_CLOSED', message: expect.any(String) });
      expect(await signatureRows(campaign.id)).toHaveLength(0);
      expect(await outboxCount(campaign.id)).toBe(0);
    });

    it('refuses to sign a live campaign past its deadline, before the sweep closes it', async () => {
      const campaign = await liveCampaign();
      await t.db.query(`UPDATE campaigns SET ends_at = now() - interval '1 minute' WHERE id = $1`, [campaign.id]);
      const res = await sign(campaign.slug, signer());
      expect([res.status, res.body.code]).toEqual([409, 'CAMPAIGN_CLOSED']);
      expect(await signatureRows(campaign.id)).toHaveLength(0);
    });

    it('answers 404 CAMPAIGN_NOT_FOUND for a draft and for an unknown slug', async () => {
      const draft = campaignOf(await createCampaign(t, org.token));
      for (const slug of [draft.slug, 'no-such-campaign']) {
        const res = await sign(slug, signer());
        expect(res.status).toBe(404);
        expect(res.body).toEqual({ statusCode: 404, code: 'CAMPAIGN_NOT_FOUND', message: expect.any(String) });
      }
      expect(await signatureRows(draft.id)).toHaveLength(0);
      expect(await outboxCount(draft.id)).toBe(0);
    });

    it('still confirms within CONFIRM_GRACE_HOURS of closing, and not after', async () => {
      const campaign = await liveCampaign();
      const early = address('grace');
      const late = address('grace');
      await signOk(campaign.slug, signer({ email: early }));
      await signOk(campaign.slug, signer({ email: late, country: 'SY' }));
      const earlyLink = linkOf((await smtp.waitFor(early))[0]);
      const lateLink = linkOf((await smtp.waitFor(late))[0]);
      await close(campaign);

      const inGrace = await confirmApi(earlyLink.token);
      expect(inGrace.status).toBe(200);
      expect(inGrace.body.status).toBe('verified');
      await countReaches(campaign.slug, 1);

      await t.db.query(`UPDATE campaigns SET closed_at = now() - interval '25 hours' WHERE id = $1`, [campaign.id]);
      const api = await confirmApi(lateLink.token);
      expect(api.status).toBe(409);
      expect(api.body).toEqual({ statusCode: 409, code: 'CAMPAIGN_CLOSED', message: expect.any(String) });
      const page = await t.http().post(lateLink.path).type('form').send('');
      expect(page.status).toBe(409);
      expect(page.text).toContain('This campaign is closed');
      // The one confirmed in time stays confirmed, and its link still answers the same.
      await confirmApi(earlyLink.token).expect(200);

      await fold();
      expect(await count(campaign.slug)).toBe(1);
      const rows = await signatureRows(campaign.id);
      expect(rows.map((r) => [r.email, r.status])).toEqual([
        [early, 'verified'],
        [late, 'pending'],
      ]);
    });
  });

  // ── 6. input ────────────────────────────────────────────────────────────────

  describe('input', () => {
    let campaign: Campaign;
    const refusedAddresses: string[] = [];
    beforeAll(async () => {
      campaign = await liveCampaign();
    });

    const fields = (res: Response) => ((res.body.details ?? []) as Detail[]).map((d) => d.field).sort();

    async function totals(): Promise<{ signatures: number; outbox: number }> {
      const [row] = await t.db.query(
        'SELECT (SELECT count(*)::int FROM signatures) AS signatures, (SELECT count(*)::int FROM mail_outbox) AS outbox',
      );
      return row;
    }

    /** 400 VALIDATION_FAILED naming exactly these fields, and nothing stored for it. */
    async function refused(body: Json, ...named: string[]) {
      const before = await totals();
      const res = await sign(campaign.slug, body);
      expect(res.status).toBe(400);
      if (typeof body.email === 'string') refusedAddresses.push(body.email);
      expect(res.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
      expect(fields(res)).toEqual([...named].sort());
      for (const d of res.body.details as Detail[]) expect(d.problems.length).toBeGreaterThan(0);
      expect(await totals()).toEqual(before);
      if (typeof body.email === 'string') {
        const [{ n }] = await t.db.query('SELECT count(*)::int AS n FROM signatures WHERE lower(email) = lower($1)', [
          body.email.trim(),
        ]);
        expect(n).toBe(0);
      }
    }

    const without = (field: string) => {
      const body = signer();
      delete body[field];
      return body;
    };

    it.each(['name', 'email', 'country'])('refuses a body without %s', async (field) => {
      await refused(without(field), field);
    });

    it('refuses an empty object naming every required field', async () => {
      await refused({}, 'country', 'email', 'name');
    });

    it.each([
      ['empty', ''],
      ['blank', '   '],
      ['101 characters', 'x'.repeat(101)],
      ['not a string', 42],
      ['a formula', '=SUM(A1)'],
      ['a plus sign', '+123'],
      ['a minus sign', '-x'],
      ['an at sign', '@x'],
      ['a tab', '\tx'],
      ['a URL', 'see http://spam.example'],
      ['a bare domain', 'www.x.org'],
      ['a header injection', 'a\r\nBcc: x@y.org'],
    ])('refuses a name that is %s', async (_label, name) => {
      await refused(signer({ name }), 'name');
    });

    it.each([
      ['not an address', 'layla'],
      ['missing its domain', 'layla@'],
      ['two at signs', 'layla@@example.org'],
      ['255 characters long', `${'l'.repeat(243)}@example.org`],
      ['a number', 7],
    ])('refuses an email that is %s', async (_label, email) => {
      await refused({ ...signer(), email }, 'email');
    });

    it.each([
      ['unassigned', 'XX'],
      ['a name', 'Iraq'],
      ['three letters', 'IRQ'],
      ['empty', ''],
    ])('refuses a country that is %s', async (_label, country) => {
      await refused(signer({ country }), 'country');
    });

    it.each([
      ['a comment of 1001 characters', { comment: 'c'.repeat(1001) }, 'comment'],
      ['a comment starting with a formula', { comment: '=1+1' }, 'comment'],
      ['a city of 101 characters', { city: 'c'.repeat(101) }, 'city'],
      ['a city with a line break', { city: 'Basra\nX' }, 'city'],
      ['showName as the string "yes"', { showName: 'yes' }, 'showName'],
      ['contactConsent as the string "true"', { contactConsent: 'true' }, 'contactConsent'],
      ['locale fr', { locale: 'fr' }, 'locale'],
      ['an unknown field status: verified', { status: 'verified' }, 'status'],
      ['an unknown field verified: true', { verified: true }, 'verified'],
      ['an unknown field emailsQueued: 0', { emailsQueued: 0 }, 'emailsQueued'],
    ])('refuses %s', async (_label, patch, field) => {
      await refused(signer(patch), field);
    });

    it('refuses malformed JSON with 400 BODY_MALFORMED', async () => {
      const before = await totals();
      const res = await t
        .http()
        .post(`/api/v1/campaigns/${campaign.slug}/signatures`)
        .set('Content-Type', 'application/json')
        .send('{"name": "Layla", "email": ');
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ statusCode: 400, code: 'BODY_MALFORMED', message: expect.any(String) });
      expect(await totals()).toEqual(before);
    });

    it('refuses a text/plain or form body with 415', async () => {
      const before = await totals();
      for (const type of ['text/plain', 'application/x-www-form-urlencoded']) {
        const res = await t
          .http()
          .post(`/api/v1/campaigns/${campaign.slug}/signatures`)
          .set('Content-Type', type)
          .send(type === 'text/plain' ? JSON.stringify(signer()) : 'name=Layla&email=l%40example.org&country=IQ');
        expect(res.status).toBe(415);
        expect(res.body).toEqual({ statusCode: 415, code: 'UNSUPPORTED_MEDIA_TYPE', message: expect.any(String) });
      }
      expect(await totals()).toEqual(before);
    });

    it('sent no mail for any refused request', async () => {
      await mailQueueDrained();
      const lower = new Set(refusedAddresses.map((e) => e.trim().toLowerCase()));
      expect(smtp.received.filter((m) => m.envelope.to.some((to) => lower.has(to.toLowerCase())))).toEqual([]);
      expect(lower.size).toBeGreaterThan(30);
    });

    it('accepts an Arabic name, a 1000-character comment and a lower-case country (stored upper-case)', async () => {
      const other = await liveCampaign();
      const email = address('arabic');
      const comment = 'ن'.repeat(1000);
      await signOk(other.slug, {
        name: 'ليلى حسن',
        email: `  ${email} `,
        country: 'iq',
        city: 'البصرة',
        comment,
        showName: true,
        contactConsent: false,
        locale: 'ar',
      });
      const [row] = await signatureRows(other.id);
      expect(row).toMatchObject({
        name: 'ليلى حسن',
        email,
        country: 'IQ',
        city: 'البصرة',
        comment,
        show_name: true,
        contact_consent: false,
        locale: 'ar',
        status: 'pending',
      });
      await smtp.waitFor(email);
    });
  });

  // ── 6b. dedupe and names that can't be gamed ───────────────────────────────

  describe('dedupe and names that cannot be gamed', () => {
    const RLO = '\u202e';
    const ZWNJ = '\u200c';
    /** The sign form as a browser without JavaScript posts it. */
    const postForm = (slug: string, form: Record<string, string>) =>
      t.http().post(`/en/c/${slug}`).type('form').send(new URLSearchParams(form).toString());

    it('never makes a second signature from one Gmail mailbox: a quoted local part is refused (API and form), variants are duplicates', async () => {
      const campaign = await liveCampaign();
      await signOk(campaign.slug, signer({ email: 'dupetest@gmail.com' }));
      await waitForMail('dupetest@gmail.com');
      await confirmApi(linkOf(inbox('dupetest@gmail.com')[0]).token).expect(200);

      for (const email of ['"dupetest"@gmail.com', '"dupe.test"@googlemail.com', '"dupetest+x"@gmail.com']) {
        const res = await sign(campaign.slug, signer({ email }));
        expect([res.status, res.body.code]).toEqual([400, 'VALIDATION_FAILED']);
        expect(res.body.details).toEqual([{ field: 'email', problems: expect.arrayContaining(['email may not have a quoted local part']) }]);
        const page = await postForm(campaign.slug, { name: 'Layla Hassan', email, country: 'IQ' });
        expect(page.status).toBe(400);
        expect(page.text).toContain('id="f-email-error"');
      }
      // The unquoted variants are the same signer: one row, the "already signed" note.
      await signOk(campaign.slug, signer({ email: 'Dupe.Test+again@gmail.com' }));
      expect((await postForm(campaign.slug, { name: 'Layla Hassan', email: 'd.u.p.e.t.e.s.t@googlemail.com', country: 'IQ' })).status).toBe(303);
      await waitForMail('dupetest@gmail.com', 3);

      const rows = await signatureRows(campaign.id);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ email: 'dupetest@gmail.com', email_hash: emailHash('dupetest@gmail.com'), status: 'verified' });
      await mailQueueDrained();
      expect(smtp.received.filter((m) => m.envelope.to.some((to) => to.includes('"')))).toEqual([]);
      await fold();
      expect(await count(campaign.slug)).toBe(1);
    });

    it('stores and shows names, cities and comments without bidi overrides or isolates, and keeps ZWNJ', async () => {
      const campaign = await liveCampaign();
      // Persian writes compound names with ZWNJ (U+200C): it must survive, in the first name shown too.
      const persian = `امیر${ZWNJ}حسین رحیمی${ZWNJ}پور`;
      const viaApi = address('bidi-api');
      await signOk(campaign.slug, {
        name: `${RLO}Layla Hassan`,
        email: viaApi,
        country: 'IQ',
        city: `\u2067Basra\u2069`,
        comment: `For the \u202dmarshes\u202c`,
        showName: true,
      });
      const viaForm = address('bidi-form');
      const form = await postForm(campaign.slug, { name: `${persian}${RLO}`, email: viaForm, country: 'IR', city: `${RLO}Ahvaz`, showName: 'on' });
      expect(form.status).toBe(303);

      const rows = await signatureRows(campaign.id);
      const byEmail = Object.fromEntries(rows.map((r) => [r.email, r]));
      expect(byEmail[viaApi]).toMatchObject({ name: 'Layla Hassan', city: 'Basra', comment: 'For the marshes' });
      expect(byEmail[viaForm]).toMatchObject({ name: persian, city: 'Ahvaz' });
      expect(String(byEmail[viaForm].name)).toContain(ZWNJ);

      // A name of bidi controls alone is no name.
      const empty = await sign(campaign.slug, signer({ name: `${RLO}\u2066` }));
      expect([empty.status, (empty.body.details as Detail[]).map((d) => d.field)]).toEqual([400, ['name']]);

      for (const email of [viaApi, viaForm]) await confirmApi(linkOf((await waitForMail(email))[0]).token).expect(200);
      const page = await waitUntil(async () => {
        const res = await t.http().get(`/en/c/${campaign.slug}`);
        return res.text.includes('Ahvaz') && res.text.includes('Basra') ? res.text : '';
      });
      expect(page).toContain('<bdi>Layla</bdi> · <bdi>Basra</bdi>');
      expect(page).toContain(`<bdi>امیر${ZWNJ}حسین</bdi> · <bdi>Ahvaz</bdi>`);
      expect(page).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/);
    });

    it('sends a letter From "<name> via Nida" without bidi controls, even from a name stored before they were removed', async () => {
      const auth = { Authorization: `Bearer ${org.token}` };
      const campaign = await liveCampaign({
        letter: { mode: 'per_signature', subject: 'From {{supporter.name}}', body: 'Dear {{target.name}},\n\nPlease act.' },
      });
      const official = address('official');
      await t.http().post(`/api/v1/campaigns/${campaign.id}/targets`).set(auth).send({ name: 'Water Minister', email: official }).expect(201);
      const email = address('old-row');
      await signOk(campaign.slug, signer({ email, name: 'Omar Ali' }));
      // A row from before names lost their bidi controls: the override would turn "via Nida" around.
      await t.db.query('UPDATE signatures SET name = $1 WHERE email = $2', [`${RLO}Omar Ali`, email]);
      await confirmApi(linkOf((await waitForMail(email))[0]).token).expect(200);

      const [letter] = await smtp.waitFor(official);
      expect(letter.parsed.from?.value).toEqual([{ name: 'Omar Ali via Nida', address: expect.any(String) }]);
    });
  });

  // ── 7. privacy ──────────────────────────────────────────────────────────────

  describe('privacy', () => {
    it("never shows a signer's email or name publicly, and stores a keyed hash of the IP, not the IP", async () => {
      const campaign = await liveCampaign();
      const email = address('zainab.secret');
      const name = 'Zainab Qasimova';
      await signOk(campaign.slug, signer({ email, name, showName: false, city: 'Mosul', comment: 'For the marshes' }));
      await confirmApi(linkOf((await smtp.waitFor(email))[0]).token).expect(200);
      await countReaches(campaign.slug, 1);
      await signOk(campaign.slug, signer());

      const localPart = email.split('@')[0];
      for (const path of [
        `/api/v1/campaigns/${campaign.slug}`,
        `/api/v1/campaigns/${campaign.slug}/count`,
        '/api/v1/campaigns?pageSize=50',
      ]) {
        const res = await t.http().get(path).expect(200);
        expect(res.text).not.toContain(localPart);
        expect(res.text).not.toContain('Zainab');
        expect(res.text).not.toContain('Qasimova');
        expect(res.text).not.toContain('@example.org');
      }
      const count = await t.http().get(`/api/v1/campaigns/${campaign.slug}/count`);
      expect(Object.keys(count.body).sort()).toEqual(['goal', 'updatedAt', 'verified']);
      expect(count.body.updatedAt).toMatch(ISO);

      const rows = await signatureRows(campaign.id);
      expect(rows).toHaveLength(2);
      for (const row of rows) {
        expect(row.ip_hash).toMatch(/^[A-Za-z0-9_-]{43}$/);
        expect(JSON.stringify(row)).not.toMatch(/127\.0\.0\.1|::1\b|::ffff/);
      }
      // The same client gives the same hash, so abuse from one address can still be seen.
      expect(rows[0].ip_hash).toBe(rows[1].ip_hash);
    });
  });
});
