import type { Response } from 'supertest';
import { PAGE_STRINGS } from '../../src/modules/pages/page-strings';
import { RESEND_STRINGS } from '../../src/modules/pages/resend-strings';
import { createCampaign, createLiveCampaign, createOrganiserWithOrganisation, OrganiserLogin } from '../support/factories';
import { signAndConfirm } from '../support/signing';
import { confirmLink, SmtpSink } from '../support/smtp-sink';
import { createTestApp, TestApp } from '../support/test-app';

const FORM = 'application/x-www-form-urlencoded';
const SAME_ORIGIN = { 'sec-fetch-site': 'same-origin' };
const MAX_EMAILS = 3;
const IP_BURST = 5;

/** Everything of an answer but what differs from one request to the next (its date and request id). */
function answer(res: Response) {
  const headers = { ...res.headers };
  delete headers.date;
  delete headers['x-request-id'];
  return { status: res.status, body: res.text, headers };
}

/** Latin words in the text a reader sees (tags and attributes removed). */
function latinWords(html: string): string[] {
  const main = /<main id="main">([\s\S]*)<\/main>/.exec(html)?.[1] ?? html;
  return main.replace(/<[^>]*>/g, ' ').replace(/&[a-z#0-9]+;/gi, ' ').match(/[A-Za-z]{2,}/g) ?? [];
}

/**
 * "I didn't get the email" (issue 13, item 6): the API and the page answer the same whatever the
 * address; a pending signature gets a fresh, working confirmation link, within SIGNATURE_MAX_EMAILS;
 * a confirmed one the "already signed" note; the signing limits and the form's bot checks apply.
 */
describe('resend the confirmation (e2e)', () => {
  let t: TestApp;
  const smtp = new SmtpSink();
  let org: OrganiserLogin;
  let slug: string;
  let ip = 0;
  /** A client address of its own for each request (behind TRUST_PROXY), so no test spends another's limit. */
  const nextIp = () => `198.51.100.${++ip}`;

  const resend = (email: unknown, from = nextIp(), at = slug) =>
    t.http().post(`/api/v1/campaigns/${encodeURIComponent(at)}/resend-confirmation`).set('X-Forwarded-For', from).send({ email });
  const sign = (email: string, at = slug) =>
    t.http().post(`/api/v1/campaigns/${encodeURIComponent(at)}/signatures`).set('X-Forwarded-For', nextIp()).send({ name: 'Layla Hassan', email, country: 'IQ' });
  /** Waits for what was queued after the answers, then a little more: nothing else may come. */
  const settle = () => new Promise((r) => setTimeout(r, 600));

  beforeAll(async () => {
    t = await createTestApp({
      SMTP_URL: await smtp.start(),
      MAIL_BACKOFF_MS: '50',
      MAIL_RELAY_INTERVAL_MS: '100',
      TRUST_PROXY: '127.0.0.1,::1',
      SIGN_LIMITS: 'on',
      SIGN_LIMIT_IP_BURST: String(IP_BURST),
      SIGNATURE_MAX_EMAILS: String(MAX_EMAILS),
      SIGN_MIN_FORM_SECONDS: '1',
    });
    org = await createOrganiserWithOrganisation(t);
    slug = (await createLiveCampaign(t, org.token)).slug;
  }, 180_000);
  afterAll(async () => {
    await t.close();
    await smtp.stop();
  });

  it('answers byte for byte the same for an unknown, a pending, a confirmed and a disposable address', async () => {
    await sign('pending-1@example.net').expect(202);
    await smtp.waitFor('pending-1@example.net');
    await signAndConfirm(t, smtp, slug, { name: 'Omar', email: 'verified-1@example.net', country: 'JO' });
    smtp.clear();

    const answers = [];
    for (const email of ['unknown-1@example.net', 'pending-1@example.net', 'verified-1@example.net', 'someone@mailinator.com']) {
      answers.push(answer(await resend(email)));
    }
    expect(answers[0]).toMatchObject({ status: 202, body: '{"status":"pending"}' });
    expect(answers[0].headers['cache-control']).toBe('no-store');
    for (const other of answers.slice(1)) expect(other).toEqual(answers[0]);

    // The pending signer gets a fresh link, which confirms; the confirmed one a note; nobody else anything.
    const [fresh] = await smtp.waitFor('pending-1@example.net');
    const [note] = await smtp.waitFor('verified-1@example.net');
    await settle();
    expect(smtp.received.map((m) => m.envelope.to[0]).sort()).toEqual(['pending-1@example.net', 'verified-1@example.net']);
    expect(note.parsed.text).not.toMatch(/\/confirm\//);
    const token = new URL(confirmLink(fresh)).pathname.split('/').pop();
    const confirmed = await t.http().post('/api/v1/signatures/confirm').send({ token }).expect(200);
    expect(confirmed.body).toMatchObject({ status: 'verified' });
    const [row] = await t.db.query(`SELECT status FROM signatures WHERE email_hash IS NOT NULL AND status = 'verified' AND campaign_id = (SELECT id FROM campaigns WHERE slug = $1)`, [slug]);
    expect(row.status).toBe('verified');
  });

  it('stops at SIGNATURE_MAX_EMAILS emails for one signature, answering the same', async () => {
    await sign('capped@example.net').expect(202);
    await smtp.waitFor('capped@example.net', 1);
    for (let i = 0; i < MAX_EMAILS + 2; i++) expect(answer(await resend('capped@example.net'))).toMatchObject({ status: 202, body: '{"status":"pending"}' });
    await smtp.waitFor('capped@example.net', MAX_EMAILS);
    await settle();
    const mails = smtp.to('capped@example.net');
    expect(mails).toHaveLength(MAX_EMAILS);
    // Each resent link is new, and every one works until confirmed.
    expect(new Set(mails.map(confirmLink)).size).toBe(MAX_EMAILS);
  });

  it('is judged like signing: past the client address’s limit it answers the same and sends nothing', async () => {
    await sign('limited@example.net').expect(202);
    await smtp.waitFor('limited@example.net', 1);
    const from = nextIp();
    for (let i = 0; i < IP_BURST; i++) await resend(`nobody-${i}@example.net`, from).expect(202);
    const over = await resend('limited@example.net', from);
    expect(answer(over)).toMatchObject({ status: 202, body: '{"status":"pending"}' });
    await settle();
    expect(smtp.to('limited@example.net')).toHaveLength(1);
    // Another address is not held.
    await resend('limited@example.net').expect(202);
    await smtp.waitFor('limited@example.net', 2);
  });

  it('refuses a malformed address as signing does, and an unknown or draft campaign with 404', async () => {
    for (const email of ['not-an-email', '', 42, '"layla"@example.net', 'a@b', null]) {
      const res = await resend(email);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
    }
    const signing = await t.http().post(`/api/v1/campaigns/${slug}/signatures`).send({ name: 'Layla', email: 'not-an-email', country: 'IQ' });
    expect(signing.body.code).toBe('VALIDATION_FAILED');
    const extra = await t.http().post(`/api/v1/campaigns/${slug}/resend-confirmation`).send({ email: 'x@example.net', status: 'verified' });
    expect([extra.status, extra.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    const json = await t.http().post(`/api/v1/campaigns/${slug}/resend-confirmation`).type('form').send('email=x%40example.net');
    expect(json.status).toBe(415);

    const unknown = await resend('a@example.net', nextIp(), 'no-such-campaign');
    expect([unknown.status, unknown.body.code]).toEqual([404, 'CAMPAIGN_NOT_FOUND']);
    const draft = await createCampaign(t, org.token);
    const drafted = await resend('a@example.net', nextIp(), draft.slug);
    expect([drafted.status, drafted.body.code]).toEqual([404, 'CAMPAIGN_NOT_FOUND']);
  });

  it('takes requests while confirmations are taken: 409 CAMPAIGN_CLOSED after the grace hours', async () => {
    const c = await createLiveCampaign(t, org.token);
    await t.db.query(`UPDATE campaigns SET status = 'closed', closed_at = now() - interval '1 hour' WHERE id = $1`, [c.id]);
    await resend('a@example.net', nextIp(), c.slug).expect(202);
    await t.db.query(`UPDATE campaigns SET closed_at = now() - interval '25 hours' WHERE id = $1`, [c.id]);
    const late = await resend('a@example.net', nextIp(), c.slug);
    expect([late.status, late.body.code]).toEqual([409, 'CAMPAIGN_CLOSED']);
  });

  describe('the page /{lang}/c/:slug/resend', () => {
    const page = (lang: 'ar' | 'en') => `/${lang}/c/${encodeURIComponent(slug)}/resend`;
    const stampOf = (html: string) => /name="renderedAt" value="([^"]+)"/.exec(html)![1];
    const post = (lang: 'ar' | 'en', form: Record<string, string>, from = nextIp()) =>
      t.http().post(page(lang)).set(SAME_ORIGIN).set('X-Forwarded-For', from).type(FORM).send(new URLSearchParams(form).toString());

    it('is linked from the check-email page, in both languages', async () => {
      for (const lang of ['ar', 'en'] as const) {
        const res = await t.http().get(`/${lang}/c/${encodeURIComponent(slug)}/check-email`).expect(200);
        expect(res.text).toContain(`href="${page(lang)}"`);
        expect(res.text).toContain(RESEND_STRINGS[lang].resendLink);
      }
    });

    it('shows a form with the email field and the bot checks, in English and in Arabic (right to left, no English)', async () => {
      const en = await t.http().get(page('en')).expect(200);
      expect(en.text).toContain('<html lang="en" dir="ltr"');
      expect(en.text).toContain(RESEND_STRINGS.en.resendHeading);
      expect(en.text).toMatch(/<input id="f-email" name="email" type="email"/);
      expect(en.text).toContain('name="website"');
      expect(stampOf(en.text)).toMatch(/^\d+\.[A-Za-z0-9_-]{22}$/);
      const ar = await t.http().get(page('ar')).expect(200);
      expect(ar.text).toContain('<html lang="ar" dir="rtl"');
      expect(ar.text).toContain(RESEND_STRINGS.ar.resendHeading);
      // The campaign's English title and the language switch's name are the only Latin words.
      const title = (await t.http().get(`/api/v1/campaigns/${slug}`)).body.title as string;
      expect(latinWords(ar.text.split(title).join(' ')).filter((w) => w !== 'English')).toEqual([]);
      await t.http().get(`/en/c/no-such-campaign/resend`).expect(404);
    });

    it('answers every address with the same redirect and page, and mails only a pending signer', async () => {
      await sign('page-pending@example.net').expect(202);
      await smtp.waitFor('page-pending@example.net', 1);
      const stamp = stampOf((await t.http().get(page('ar'))).text);
      await new Promise((r) => setTimeout(r, 1100)); // SIGN_MIN_FORM_SECONDS
      const known = await post('ar', { email: 'page-pending@example.net', website: '', renderedAt: stamp });
      const unknown = await post('ar', { email: 'page-unknown@example.net', website: '', renderedAt: stamp });
      expect(known.status).toBe(303);
      expect(answer(unknown)).toEqual(answer(known));
      expect(known.headers.location).toBe(`${page('ar')}/sent`);
      const sent = await t.http().get(known.headers.location).expect(200);
      expect(sent.text).toContain('<html lang="ar" dir="rtl"');
      expect(sent.text).toContain(RESEND_STRINGS.ar.resendSentHeading);
      const [, again] = await smtp.waitFor('page-pending@example.net', 2);
      expect(again.parsed.text).toContain('/confirm/');
      await settle();
      expect(smtp.to('page-unknown@example.net')).toHaveLength(0);
    });

    it('sends nothing for a bot (honeypot filled, or too fast), with the same answer', async () => {
      await sign('page-bot@example.net').expect(202);
      await smtp.waitFor('page-bot@example.net', 1);
      const stamp = stampOf((await t.http().get(page('en'))).text);
      const fast = await post('en', { email: 'page-bot@example.net', website: '', renderedAt: stamp });
      await new Promise((r) => setTimeout(r, 1100));
      const honeypot = await post('en', { email: 'page-bot@example.net', website: 'http://spam.example', renderedAt: stamp });
      const forged = await post('en', { email: 'page-bot@example.net', website: '', renderedAt: '1.AAAAAAAAAAAAAAAAAAAAAA' });
      for (const res of [fast, honeypot, forged]) expect([res.status, res.headers.location]).toEqual([303, `${page('en')}/sent`]);
      await settle();
      expect(smtp.to('page-bot@example.net')).toHaveLength(1);
    });

    it('says what is wrong with an address in the page’s language, and refuses another site’s post', async () => {
      const bad = await post('ar', { email: 'not-an-email', renderedAt: '' });
      expect(bad.status).toBe(400);
      expect(bad.text).toContain(PAGE_STRINGS.ar.errorEmailInvalid);
      expect(bad.text).toContain('value="not-an-email"');
      const missing = await post('en', { email: '' });
      expect([missing.status, missing.text.includes(PAGE_STRINGS.en.errorEmailMissing)]).toEqual([400, true]);
      const foreign = await t.http().post(page('en')).set('sec-fetch-site', 'cross-site').type(FORM).send('email=a%40example.net');
      expect(foreign.status).toBe(403);
    });
  });
});
