import { randomBytes } from 'node:crypto';
import { PAGE_STRINGS } from '../../src/modules/pages/page-strings';
import { createLiveCampaign, createOrganiserWithOrganisation, OrganiserLogin } from '../support/factories';
import { signAndConfirm } from '../support/signing';
import { ReceivedMail, SmtpSink } from '../support/smtp-sink';
import { createTestApp, TestApp } from '../support/test-app';
import { waitUntil } from '../support/wait';

const ar = PAGE_STRINGS.ar;
const en = PAGE_STRINGS.en;
const FORM = 'application/x-www-form-urlencoded';
const SAME_ORIGIN = { 'sec-fetch-site': 'same-origin' };
const IP_LIMIT = 30;

/** The erasure link in a mail's text part: language-neutral, at PUBLIC_URL. */
function eraseLink(mail: ReceivedMail): string {
  const match = /http:\/\/nida\.test\/privacy\/erase\/([A-Za-z0-9_-]{43})\b/.exec(mail.parsed.text ?? '');
  if (!match) throw new Error(`no erasure link in: ${mail.parsed.text}`);
  return match[0];
}

/** The page's own content (the layout's brand and language switch are left out). */
function mainOf(html: string): string {
  const match = /<main id="main">([\s\S]*)<\/main>/.exec(html);
  if (!match) throw new Error('no <main> on the page');
  return match[1];
}

/** Latin words in the text a reader sees (tags and attributes removed). */
function latinWords(html: string): string[] {
  const text = html.replace(/<[^>]*>/g, ' ').replace(/&[a-z#0-9]+;/gi, ' ');
  return text.match(/[A-Za-z]{2,}/g) ?? [];
}

/**
 * Erasure and access on request (issue 11, items 3 and 4), against the whole app, PostgreSQL,
 * Redis and an SMTP sink: the same 202 for every address, mail only to one that signed; the
 * erasure link's GET changes nothing, its POST anonymises every signature of the address on every
 * campaign and leaves every count as it was; the access report lists exactly that supporter's
 * signatures; admins erase at once.
 */
describe('privacy: erasure and access on request (e2e)', () => {
  let t: TestApp;
  const smtp = new SmtpSink();
  let organiser: OrganiserLogin;
  /** English, writes a letter per signature to one target. */
  let a: { id: string; slug: string };
  /** Arabic, with an English translation. */
  let b: { id: string; slug: string };
  /** English; Layla signs it and never confirms. */
  let c: { id: string; slug: string };

  const auth = () => ({ Authorization: `Bearer ${organiser.token}` });
  const count = async (slug: string) => (await t.http().get(`/api/v1/campaigns/${encodeURIComponent(slug)}/count`)).body.verified as number;
  const stats = async (id: string) => {
    const res = await t.http().get(`/api/v1/campaigns/${id}/stats`).set(auth()).expect(200);
    return { verified: res.body.verified, pending: res.body.pending, byCountry: res.body.byCountry, byDay: res.body.byDay };
  };
  const rowsById = async (ids: string[]) =>
    (await t.db.query(
      `SELECT id, status, country, email, email_hash, name, city, comment, email_domain, ip_hash, data_key, anonymised_at, verified_at
         FROM signatures WHERE id = ANY($1::uuid[]) ORDER BY id`,
      [ids],
    )) as Record<string, unknown>[];
  const privacyRows = async () => Number((await t.db.query(`SELECT count(*)::int AS n FROM privacy_requests`))[0].n);
  const privacyMail = async () => Number((await t.db.query(`SELECT count(*)::int AS n FROM mail_outbox WHERE privacy_request_id IS NOT NULL`))[0].n);
  const requestErasure = (body: Record<string, unknown>) => t.http().post('/api/v1/privacy/erasure-requests').send(body);
  const requestAccess = (body: Record<string, unknown>) => t.http().post('/api/v1/privacy/access-requests').send(body);

  beforeAll(async () => {
    t = await createTestApp({
      SMTP_URL: await smtp.start(),
      COUNT_CACHE_MS: '0',
      TALLY_INTERVAL_MS: '100',
      // Letters wait: the test sees an erasure cancel the ones not sent yet.
      LETTER_DISPATCH_INTERVAL_MS: '3600000',
      TRUST_PROXY: '127.0.0.1',
      PRIVACY_LIMIT_IP_HOUR: String(IP_LIMIT),
    });
    organiser = await createOrganiserWithOrganisation(t, 'Marshes Coalition');
    a = await createLiveCampaign(t, organiser.token, {
      title: 'Save the marshes',
      letter: { mode: 'per_signature', subject: 'From {{supporter.name}}', body: 'Dear {{target.name}}, {{supporter.comment}}' },
    });
    await t
      .http()
      .post(`/api/v1/campaigns/${a.id}/targets`)
      .set(auth())
      .send({ name: 'Minister of Water', email: 'minister@example.org' })
      .expect(201);
    b = await createLiveCampaign(t, organiser.token, {
      locale: 'ar',
      title: 'أين سليم؟',
      summary: 'نطالب بالكشف عن مصيره.',
      body: 'النص.',
      translations: { en: { title: 'Where is Salim?', summary: 'Reveal his fate.', body: 'Text.' } },
    });
    c = await createLiveCampaign(t, organiser.token, { title: 'Clean the river' });

    await signAndConfirm(t, smtp, a.slug, {
      name: 'Layla Hassan',
      email: 'layla@layla.example',
      country: 'IQ',
      city: 'Basra',
      comment: 'Water is life.',
      showName: true,
      replyConsent: true,
    });
    smtp.clear(); // signAndConfirm follows the first mail to the address
    await signAndConfirm(t, smtp, b.slug, { name: 'ليلى حسن', email: 'layla@layla.example', country: 'IQ', city: 'البصرة', locale: 'ar' });
    await t
      .http()
      .post(`/api/v1/campaigns/${c.slug}/signatures`)
      .send({ name: 'Layla H.', email: 'layla@layla.example', country: 'JO', contactConsent: true })
      .expect(202);
    await signAndConfirm(t, smtp, a.slug, { name: 'Omar Ali', email: 'omar@omar.example', country: 'IQ', city: 'Mosul', comment: 'Omar was here.' });
    await waitUntil(async () => (await count(a.slug)) === 2 && (await count(b.slug)) === 1);
    await smtp.waitFor('layla@layla.example', 2);
  }, 60000);

  afterAll(async () => {
    await t?.close();
    await smtp.stop();
  });

  beforeEach(() => smtp.clear());

  describe('no oracle', () => {
    it('answers an unknown address with the same bytes as one that signed, and mails only the one that signed', async () => {
      const before = { rows: await privacyRows(), mail: await privacyMail() };
      const unknown = await requestAccess({ email: 'nobody@nowhere.example' });
      const known = await requestAccess({ email: 'layla@layla.example' });
      expect([unknown.status, known.status]).toEqual([202, 202]);
      expect(known.text).toBe('{"status":"pending"}');
      expect(unknown.text).toBe(known.text);
      expect(unknown.headers['content-type']).toBe(known.headers['content-type']);
      expect(unknown.headers['cache-control']).toBe('no-store');
      const unknownErasure = await requestErasure({ email: 'nobody@nowhere.example' });
      expect(unknownErasure.status).toBe(202);
      expect(unknownErasure.text).toBe(known.text);
      // One request, one email: the unknown address left nothing behind.
      expect(await privacyRows()).toBe(before.rows + 1);
      expect(await privacyMail()).toBe(before.mail + 1);
      await smtp.waitFor('layla@layla.example');
      expect(smtp.to('nobody@nowhere.example')).toEqual([]);
    });

    it('stores no address: only the blind index, and for an erasure the hash of its token', async () => {
      await requestErasure({ email: 'layla@layla.example' }).expect(202);
      const [row] = await t.db.query(`SELECT * FROM privacy_requests WHERE kind = 'erasure' ORDER BY created_at DESC LIMIT 1`);
      expect(JSON.stringify(row)).not.toContain('layla');
      expect(row.email_hash).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(row.token_hash).toBeInstanceOf(Buffer);
      const [mail] = await smtp.waitFor('layla@layla.example');
      const token = eraseLink(mail).split('/').pop()!;
      expect(row.token_hash.toString('base64url')).not.toBe(token);
      // Sent: the token's seed is gone from the outbox.
      await waitUntil(async () => (await t.db.query(`SELECT status FROM mail_outbox WHERE privacy_request_id = $1`, [row.id]))[0]?.status === 'sent');
      const [sent] = await t.db.query(`SELECT token_seed FROM mail_outbox WHERE privacy_request_id = $1`, [row.id]);
      expect(sent.token_seed).toBeNull();
    });
  });

  describe('access on request', () => {
    it('emails the supporter exactly their signatures: campaigns, when, status, what they gave, chose and consented to', async () => {
      await requestAccess({ email: 'LAYLA@layla.example', locale: 'en' }).expect(202);
      const [mail] = await smtp.waitFor('layla@layla.example');
      const text = mail.parsed.text ?? '';
      expect(mail.parsed.subject).toBe('What Nida holds about you');
      expect(mail.envelope.to).toEqual(['layla@layla.example']);
      expect(text).toContain('Signatures: 3');
      expect(text).toContain('— Save the marshes (Marshes Coalition)');
      expect(text).toContain('— Where is Salim? (Marshes Coalition)'); // the Arabic campaign, in the request's language
      expect(text).toContain('— Clean the river (Marshes Coalition)');
      expect(text).toContain('Name: Layla Hassan');
      expect(text).toContain('Name: ليلى حسن');
      expect(text).toContain('City: Basra');
      expect(text).toContain('Comment: Water is life.');
      expect(text).toContain('Country: Iraq');
      expect(text).toContain('Country: Jordan');
      expect(text).toContain('waiting for you to confirm it (not counted)');
      expect(text).toContain('Confirmed: not confirmed');
      expect((text.match(/Status: counted/g) ?? []).length).toBe(2);
      expect(text).toContain('Your first name and city shown on the campaign page: yes');
      expect(text).toContain('The officials may reply to you directly: yes');
      expect(text).toContain('The organisers may email you about the campaign: yes'); // campaign C
      expect(text).toMatch(/Signed: \d{1,2} [A-Z][a-z]+ \d{4} at \d{2}:\d{2} \(UTC\)/);
      expect(text).toContain('http://nida.test/en/privacy/erase');
      // Nothing of anyone else.
      expect(text).not.toContain('Omar');
      expect(text).not.toContain('Mosul');
      expect(mail.parsed.html).toContain('Layla Hassan');
      expect(mail.parsed.html).not.toContain('Omar');
    });

    it('writes the report in Arabic, with Arabic-Indic digits, when asked in Arabic', async () => {
      await requestAccess({ email: 'layla@layla.example', locale: 'ar' }).expect(202);
      const [mail] = await smtp.waitFor('layla@layla.example');
      const text = mail.parsed.text ?? '';
      expect(mail.parsed.subject).toBe('ما يحتفظ به نداء عنك');
      expect(text).toContain('عدد التوقيعات: ٣');
      expect(text).toContain('— أين سليم؟ (Marshes Coalition)');
      expect(text).toContain('البلد: العراق');
      expect(text).toMatch(/تاريخ التوقيع: [٠-٩]+ [^\s]+ [٠-٩]{4}/);
      expect(text).not.toMatch(/تاريخ التوقيع: [^\n]*[0-9]/);
      expect(text).not.toContain('Omar');
      expect(mail.parsed.html).toContain('<html lang="ar" dir="rtl">');
    });

    it('sends at most PRIVACY_LIMIT_EMAIL_DAY emails of a kind to one address in a day, answering every request alike', async () => {
      await t.db.query(`DELETE FROM privacy_requests`);
      const answers = [];
      for (let i = 0; i < 5; i++) answers.push(await requestAccess({ email: 'omar@omar.example' }));
      expect(answers.map((r) => r.status)).toEqual([202, 202, 202, 202, 202]);
      expect(new Set(answers.map((r) => r.text)).size).toBe(1);
      await smtp.waitFor('omar@omar.example', 3);
      expect(Number((await t.db.query(`SELECT count(*)::int AS n FROM privacy_requests`))[0].n)).toBe(3);
      // The other kind has its own cap.
      await requestErasure({ email: 'omar@omar.example' }).expect(202);
      await smtp.waitFor('omar@omar.example', 4);
      await t.db.query(`DELETE FROM privacy_requests`);
    });

    it('stops a client address after PRIVACY_LIMIT_IP_HOUR requests, answering alike', async () => {
      const from = (ip: string) => ({ 'X-Forwarded-For': ip });
      for (let i = 0; i < IP_LIMIT; i++) {
        await t.http().post('/api/v1/privacy/access-requests').set(from('198.51.100.7')).send({ email: `flood${i}@nowhere.example` }).expect(202);
      }
      const before = await privacyRows();
      const over = await t.http().post('/api/v1/privacy/access-requests').set(from('198.51.100.7')).send({ email: 'omar@omar.example' });
      expect(over.status).toBe(202);
      expect(over.text).toBe('{"status":"pending"}');
      expect(await privacyRows()).toBe(before);
      // Another address is not held back.
      await t.http().post('/api/v1/privacy/access-requests').set(from('198.51.100.8')).send({ email: 'omar@omar.example' }).expect(202);
      expect(await privacyRows()).toBe(before + 1);
      await smtp.waitFor('omar@omar.example');
      await t.db.query(`DELETE FROM privacy_requests`);
    });
  });

  describe('erasure through the email link', () => {
    it('GET changes nothing; POST anonymises every signature of the address on every campaign, keeps every count, and the address may sign again', async () => {
      const layla = (await t.db.query(`SELECT id FROM signatures WHERE email_domain = 'layla.example' ORDER BY id`)).map((r: { id: string }) => r.id);
      const omar = (await t.db.query(`SELECT id FROM signatures WHERE email_domain = 'omar.example'`)).map((r: { id: string }) => r.id);
      expect(layla).toHaveLength(3);
      const before = {
        counts: [await count(a.slug), await count(b.slug), await count(c.slug)],
        stats: [await stats(a.id), await stats(b.id), await stats(c.id)],
        layla: await rowsById(layla),
        omar: await rowsById(omar),
      };
      const lettersOf = async (ids: string[]) =>
        (await t.db.query(`SELECT status FROM letters WHERE signature_id = ANY($1::uuid[])`, [ids])).map((r: { status: string }) => r.status);
      const letters = { layla: await lettersOf(layla), omar: await lettersOf(omar) };
      expect(letters.layla).toHaveLength(1);

      // Asked with another spelling of the same address: the mail goes to the address that signed.
      await requestErasure({ email: ' Layla@LAYLA.example ' }).expect(202);
      const [mail] = await smtp.waitFor('layla@layla.example');
      expect(mail.parsed.subject).toBe('Erase your data from Nida');
      const link = eraseLink(mail);
      const path = new URL(link).pathname;
      const token = path.split('/').pop()!;

      const page = await t.http().get(path).expect(200);
      expect(page.text).toContain(`<form method="post" action="/en/privacy/erase/${token}">`);
      expect(page.text).toContain(en.eraseConfirmButton);
      expect(page.headers['cache-control']).toBe('no-store');
      expect(page.headers['referrer-policy']).toBe('no-referrer');
      expect(page.headers['x-robots-tag']).toBe('noindex');
      // The GET changed nothing.
      expect(await rowsById(layla)).toEqual(before.layla);
      expect((await t.db.query(`SELECT used_at FROM privacy_requests WHERE kind = 'erasure'`))[0].used_at).toBeNull();

      const erased = await t.http().post('/api/v1/privacy/erasures').send({ token }).expect(200);
      expect(erased.body).toEqual({ status: 'erased' });

      const after = await rowsById(layla);
      for (const [i, row] of after.entries()) {
        expect(row).toMatchObject({
          email: null,
          email_hash: null,
          name: null,
          city: null,
          comment: null,
          email_domain: null,
          ip_hash: null,
          data_key: null,
          // Kept: what the counts are made of.
          status: before.layla[i].status,
          country: before.layla[i].country,
          verified_at: before.layla[i].verified_at,
        });
        expect(row.anonymised_at).not.toBeNull();
      }
      // The other supporter is untouched, their letter still waits; Layla's is cancelled.
      expect(await rowsById(omar)).toEqual(before.omar);
      expect(await lettersOf(omar)).toEqual(letters.omar);
      expect(await lettersOf(layla)).toEqual(letters.layla.map((s: string) => (s === 'queued' ? 'cancelled' : s)));
      // No token, no mail left that could reach her.
      expect(Number((await t.db.query(`SELECT count(*)::int AS n FROM signature_tokens WHERE signature_id = ANY($1::uuid[])`, [layla]))[0].n)).toBe(0);
      expect(Number((await t.db.query(`SELECT count(*)::int AS n FROM mail_outbox WHERE signature_id = ANY($1::uuid[]) AND status = 'pending'`, [layla]))[0].n)).toBe(0);
      // Nothing says any more who asked.
      expect(await t.db.query(`SELECT email_hash FROM privacy_requests`)).toEqual([{ email_hash: null }]);
      // The audit log says an erasure happened (admins only), and nothing that leads back to her.
      expect(await t.db.query(`SELECT actor_kind, actor_id, organisation_id, ip_hash, details FROM audit_events WHERE action = 'privacy.erasure'`)).toEqual([
        { actor_kind: 'supporter', actor_id: null, organisation_id: null, ip_hash: null, details: { signatures: layla.length } },
      ]);

      // Counts and breakdowns, public and organisers', are what they were (after another fold).
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect([await count(a.slug), await count(b.slug), await count(c.slug)]).toEqual(before.counts);
      expect([await stats(a.id), await stats(b.id), await stats(c.id)]).toEqual(before.stats);

      // The same link again: the same answer, nothing more; its page says it is done.
      await t.http().post('/api/v1/privacy/erasures').send({ token }).expect(200, { status: 'erased' });
      const again = await t.http().get(path).expect(200);
      expect(again.text).toContain(en.erasedHeading);
      expect(again.text).not.toContain(en.eraseConfirmButton);

      // A new request finds nothing left: the same 202, no mail.
      const rowsBefore = await privacyRows();
      await requestAccess({ email: 'layla@layla.example' }).expect(202, '{"status":"pending"}');
      expect(await privacyRows()).toBe(rowsBefore);

      // Signing again works, as a new supporter.
      smtp.clear();
      await signAndConfirm(t, smtp, a.slug, { name: 'Layla Hassan', email: 'layla@layla.example', country: 'IQ' });
      await waitUntil(async () => (await count(a.slug)) === before.counts[0] + 1);
      const fresh = await t.db.query(`SELECT count(*)::int AS n FROM signatures WHERE email_domain = 'layla.example' AND anonymised_at IS NULL`);
      expect(fresh[0].n).toBe(1);
    });

    it('through the Arabic page form: the same "check your email" page for everyone, the link opens in Arabic, its button erases', async () => {
      await signAndConfirm(t, smtp, b.slug, { name: 'سارة', email: 'sara@sara.example', country: 'SY', city: 'حلب', locale: 'ar' });
      smtp.clear();
      const post = (email: string) => t.http().post('/ar/privacy/erase').set(SAME_ORIGIN).type(FORM).send({ email });
      const known = await post('sara@sara.example');
      const unknown = await post('nobody@nowhere.example');
      expect([known.status, unknown.status]).toEqual([303, 303]);
      expect(known.headers.location).toBe('/ar/privacy/check-email');
      expect(unknown.headers.location).toBe(known.headers.location);
      expect(unknown.text).toBe(known.text);
      const check = await t.http().get('/ar/privacy/check-email').expect(200);
      expect(check.text).toContain('<html lang="ar" dir="rtl">');
      expect(check.text).toContain(ar.privacyCheckEmailText);

      const [mail] = await smtp.waitFor('sara@sara.example');
      expect(mail.parsed.subject).toBe('امحُ بياناتك من نداء');
      expect(mail.parsed.text).toContain('يبقى الرابط صالحاً لمدة ٣ أيام.');
      const path = new URL(eraseLink(mail)).pathname;
      expect(path).toMatch(/^\/privacy\/erase\//); // language-neutral: the page takes the request's language

      const page = await t.http().get(path).expect(200);
      expect(page.text).toContain('<html lang="ar" dir="rtl">');
      expect(page.text).toContain(ar.eraseConfirmButton);
      expect(latinWords(mainOf(page.text))).toEqual([]);
      expect((await t.db.query(`SELECT name FROM signatures WHERE email_domain = 'sara.example'`))[0].name).not.toBeNull();

      const done = await t.http().post(path).expect(200);
      expect(done.text).toContain(ar.erasedHeading);
      expect(latinWords(mainOf(done.text))).toEqual([]);
      expect(await t.db.query(`SELECT count(*)::int AS n FROM signatures WHERE email_domain = 'sara.example'`)).toEqual([{ n: 0 }]);
      expect(smtp.to('nobody@nowhere.example')).toEqual([]);
    });
  });

  describe('bad links and bad input', () => {
    it('answers 404 PRIVACY_LINK_INVALID to a wrong token, 410 PRIVACY_LINK_EXPIRED to an expired one, on the API and the page', async () => {
      for (const token of ['x', randomBytes(32).toString('base64url'), 'a'.repeat(44), '']) {
        const api = await t.http().post('/api/v1/privacy/erasures').send({ token });
        expect([token, api.status, api.body.code]).toEqual([token, 404, 'PRIVACY_LINK_INVALID']);
      }
      const page = await t.http().get(`/privacy/erase/${randomBytes(32).toString('base64url')}`);
      expect(page.status).toBe(404);
      expect(page.text).toContain(en.eraseInvalidText);
      const missing = await t.http().post('/api/v1/privacy/erasures').send({});
      expect([missing.status, missing.body.code]).toEqual([400, 'VALIDATION_FAILED']);

      await requestErasure({ email: 'omar@omar.example' }).expect(202);
      const [mail] = await smtp.waitFor('omar@omar.example');
      const path = new URL(eraseLink(mail)).pathname;
      const token = path.split('/').pop()!;
      await t.db.query(`UPDATE privacy_requests SET expires_at = now() - interval '1 second'`);
      const expired = await t.http().post('/api/v1/privacy/erasures').send({ token });
      expect([expired.status, expired.body.code]).toEqual([410, 'PRIVACY_LINK_EXPIRED']);
      const expiredPage = await t.http().get(`/ar${path}`);
      expect(expiredPage.status).toBe(410);
      expect(expiredPage.text).toContain(ar.eraseExpiredHeading);
      expect((await t.http().post(path)).status).toBe(410);
      // Nothing was erased.
      expect((await t.db.query(`SELECT name FROM signatures WHERE email_domain = 'omar.example'`))[0].name).not.toBeNull();
      await t.db.query(`DELETE FROM privacy_requests`);
    });

    it('refuses a bad address or a stray field with 400, on the API and the form; a post from another site with 403', async () => {
      for (const body of [{}, { email: 'not-an-email' }, { email: '"layla"@layla.example' }, { email: 'a@b.example', locale: 'fr' }, { email: 'a@b.example', extra: 1 }]) {
        for (const route of ['erasure-requests', 'access-requests']) {
          const res = await t.http().post(`/api/v1/privacy/${route}`).send(body);
          expect([route, JSON.stringify(body), res.status, res.body.code]).toEqual([route, JSON.stringify(body), 400, 'VALIDATION_FAILED']);
        }
      }
      const before = await privacyRows();
      const bad = await t.http().post('/ar/privacy/my-data').set(SAME_ORIGIN).type(FORM).send({ email: 'ليس بريداً' });
      expect(bad.status).toBe(400);
      expect(bad.text).toContain(`<p class="field-error" id="f-email-error">${ar.errorEmailInvalid}</p>`);
      expect(bad.text).toContain('value="ليس بريداً"');
      const empty = await t.http().post('/en/privacy/erase').set(SAME_ORIGIN).type(FORM).send({});
      expect(empty.status).toBe(400);
      expect(empty.text).toContain(en.errorEmailMissing);
      const foreign = await t.http().post('/en/privacy/erase').set('Sec-Fetch-Site', 'cross-site').type(FORM).send({ email: 'omar@omar.example' });
      expect(foreign.status).toBe(403);
      expect(await privacyRows()).toBe(before);
    });
  });

  describe('admin erasure', () => {
    it('is for admins only, erases an address at once and says how many signatures', async () => {
      await signAndConfirm(t, smtp, c.slug, { name: 'Huda', email: 'huda@huda.example', country: 'LB' });
      smtp.clear();
      await signAndConfirm(t, smtp, a.slug, { name: 'Huda', email: 'huda@huda.example', country: 'LB' });
      await waitUntil(async () => (await count(c.slug)) === 1);
      await t.http().post('/api/v1/admin/erasures').send({ email: 'huda@huda.example' }).expect(401);
      await t.http().post('/api/v1/admin/erasures').set(auth()).send({ email: 'huda@huda.example' }).expect(403);
      const admin = { Authorization: `Bearer ${await t.adminToken()}` };
      await t.http().post('/api/v1/admin/erasures').set(admin).send({ email: 'nope' }).expect(400);
      const res = await t.http().post('/api/v1/admin/erasures').set(admin).send({ email: 'Huda@huda.example' }).expect(200);
      expect(res.body).toEqual({ erased: 2 });
      expect(await t.db.query(`SELECT count(*)::int AS n FROM signatures WHERE email_domain = 'huda.example'`)).toEqual([{ n: 0 }]);
      expect(await t.db.query(`SELECT count(*)::int AS n FROM signatures WHERE anonymised_at IS NOT NULL AND country = 'LB'`)).toEqual([{ n: 2 }]);
      await t.http().post('/api/v1/admin/erasures').set(admin).send({ email: 'huda@huda.example' }).expect(200, { erased: 0 });
      expect(await count(c.slug)).toBe(1);
      const audited = await t.db.query(`SELECT actor_kind, details FROM audit_events WHERE action = 'privacy.admin_erasure' ORDER BY at, id`);
      expect(audited).toEqual([{ actor_kind: 'admin', details: { signatures: 2 } }, { actor_kind: 'admin', details: { signatures: 0 } }]);
    });
  });

  describe('pages', () => {
    it('says in Arabic, right to left and without English, what is kept, who sees it, for how long and how to leave', async () => {
      const res = await t.http().get('/ar/privacy').expect(200);
      expect(res.text).toContain('<html lang="ar" dir="rtl">');
      const main = mainOf(res.text);
      expect(latinWords(main)).toEqual([]);
      expect(main).toContain(ar.privacyKeptHeading);
      expect(main).toContain('يُحذف التوقيع الذي لا تؤكّده بعد ٣٠ يوماً من انتهاء صلاحية رابط تأكيده.');
      expect(main).toContain('بعد ١٨٠ يوماً من إغلاق الحملة');
      expect(main).toContain('<a class="button" href="/ar/privacy/erase">');
      expect(main).toContain('<a class="button" href="/ar/privacy/my-data">');
      for (const path of ['/ar/privacy/erase', '/ar/privacy/my-data', '/ar/privacy/check-email']) {
        const page = await t.http().get(path).expect(200);
        expect([path, page.text.includes('<html lang="ar" dir="rtl">')]).toEqual([path, true]);
        expect([path, latinWords(mainOf(page.text))]).toEqual([path, []]);
      }
      const english = await t.http().get('/en/privacy').expect(200);
      expect(english.text).toContain('A signature you never confirm is deleted 30 days after its confirmation link expires.');
      expect(english.text).toContain('180 days after a campaign closes');
    });

    it('is linked from the footer of the public pages', async () => {
      const campaign = await t.http().get(`/ar/c/${encodeURIComponent(b.slug)}`).expect(200);
      expect(campaign.text).toContain(`<a href="/ar/privacy">${ar.privacyLink}</a>`);
      const home = await t.http().get('/en').expect(200);
      expect(home.text).toContain(`<a href="/en/privacy">${en.privacyLink}</a>`);
    });
  });
});
