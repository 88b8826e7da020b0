import { createLiveCampaign, createOrganiserWithOrganisation, OrganiserLogin } from '../support/factories';
import { signAndConfirm } from '../support/signing';
import { confirmLink, SmtpSink } from '../support/smtp-sink';
import { createTestApp, TestApp } from '../support/test-app';
import { waitUntil } from '../support/wait';
import { PAGE_STRINGS } from '../../src/modules/pages/page-strings';

const ar = PAGE_STRINGS.ar;

/** The count a page shows: its data-count attribute and its words. */
function shownCount(html: string): { value: number; text: string } {
  const match = /<strong data-count="(\d+)"[^>]*>([^<]*)<\/strong>/.exec(html);
  if (!match) throw new Error('no count on the page');
  return { value: Number(match[1]), text: match[2] };
}
const en = PAGE_STRINGS.en;
const FORM = 'application/x-www-form-urlencoded';
const SAME_ORIGIN = { 'sec-fetch-site': 'same-origin' };

/** The server-rendered pages, read as a browser without JavaScript would (the browser tests drive Chromium). */
describe('public pages (e2e)', () => {
  let t: TestApp;
  const smtp = new SmtpSink();
  let organiser: OrganiserLogin;
  let slug: string;
  let campaignId: string;

  const auth = () => ({ Authorization: `Bearer ${organiser.token}` });
  const signatureRows = async () => Number((await t.db.query(`SELECT count(*)::int AS n FROM signatures`))[0].n);
  const outboxRows = async () => Number((await t.db.query(`SELECT count(*)::int AS n FROM mail_outbox`))[0].n);
  const count = async (s = slug) => (await t.http().get(`/api/v1/campaigns/${encodeURIComponent(s)}/count`)).body.verified as number;

  beforeAll(async () => {
    t = await createTestApp({ SMTP_URL: await smtp.start(), COUNT_CACHE_MS: '0', TALLY_INTERVAL_MS: '100' });
    organiser = await createOrganiserWithOrganisation(t);
    const campaign = await createLiveCampaign(t, organiser.token, {
      kind: 'urgent_action',
      locale: 'ar',
      title: 'أين سليم؟ <script>alert(1)</script>',
      summary: 'نطالب بالكشف عن مصيره.',
      body: 'الفقرة الأولى **مهمة**.\n\n<img src=x onerror=alert(2)> [تقرير](https://example.org/report) [سيئ](javascript:alert(3))',
      translations: { en: { title: 'Where is Salim?', summary: 'Reveal his fate.', body: 'First paragraph.' } },
      goal: 200,
    });
    slug = campaign.slug;
    campaignId = campaign.id;
    await t
      .http()
      .post(`/api/v1/campaigns/${campaignId}/targets`)
      .set(auth())
      .send({ name: 'Office of the Minister', title: 'Minister of Interior', email: 'minister@example.org' })
      .expect(201);
  });

  afterAll(async () => {
    await t?.close();
    await smtp.stop();
  });

  beforeEach(() => smtp.clear());

  describe('the campaign page', () => {
    it('is Arabic and right-to-left at /ar/c/:slug, with the count in Arabic-Indic digits, and proxy-cacheable', async () => {
      const res = await t.http().get(`/ar/c/${encodeURIComponent(slug)}`).expect(200);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.headers['cache-control']).toBe('public, max-age=5');
      expect(res.headers.vary ?? '').not.toMatch(/accept-language/i);
      expect(res.text).toContain('<html lang="ar" dir="rtl">');
      expect(shownCount(res.text)).toEqual({ value: 0, text: 'لا توقيعات بعد' });
      expect(res.text).toContain('، والهدف ٢٠٠');
      expect(res.text).toContain(ar.deadline);
      expect(res.text).toContain('Office of the Minister');
      expect(res.text).toContain(ar.noReplyYet);
      expect(res.text).not.toContain('minister@example.org');
      expect(res.text).toContain(`<form id="sign" class="sign" method="post" action="/ar/c/${encodeURIComponent(slug)}"`);
      // The switch to English is on the page.
      expect(res.text).toContain(`<a href="/en/c/${encodeURIComponent(slug)}" hreflang="en" lang="en">English</a>`);
    });

    it('takes its language from Accept-Language at /c/:slug, and says so to caches', async () => {
      const res = await t.http().get(`/c/${encodeURIComponent(slug)}`).set('Accept-Language', 'en-GB,en;q=0.9').expect(200);
      expect(res.text).toContain('<html lang="en" dir="ltr">');
      expect(res.text).toContain('<h1>Where is Salim?</h1>');
      expect(res.headers.vary).toMatch(/accept-language/i);
      const arabic = await t.http().get(`/c/${encodeURIComponent(slug)}`).set('Accept-Language', 'ar-IQ').expect(200);
      expect(arabic.text).toContain('<html lang="ar" dir="rtl">');
    });

    it('escapes campaign text and renders only the safe formatting subset', async () => {
      const res = await t.http().get(`/ar/c/${encodeURIComponent(slug)}`).expect(200);
      expect(res.text).not.toContain('<script>alert(1)');
      expect(res.text).toContain('أين سليم؟ &lt;script&gt;alert(1)&lt;/script&gt;');
      expect(res.text).not.toContain('<img src=x');
      expect(res.text).toContain('<strong>مهمة</strong>');
      expect(res.text).toContain('<a href="https://example.org/report" rel="nofollow noopener noreferrer ugc">تقرير</a>');
      expect(res.text).not.toContain('href="javascript:');
      // No inline script at all: the only script is the hashed static file.
      expect(res.text.match(/<script[^>]*>/g)).toEqual([expect.stringMatching(/^<script src="\/static\/nida\.js\?v&#x3D;[0-9a-f]{12}" defer>$/)]);
      expect(res.headers['content-security-policy']).toMatch(/script-src 'self'(;|$)/);
    });

    it('is sent compressed to a browser that accepts it', async () => {
      const res = await t.http().get(`/en/c/${encodeURIComponent(slug)}`).set('Accept-Encoding', 'br, gzip');
      expect(res.headers['content-encoding']).toBe('br');
      expect(res.headers.vary).toMatch(/accept-encoding/i);
    });

    it('answers 404 with a page for a draft or unknown campaign', async () => {
      const res = await t.http().get('/en/c/no-such-campaign').expect(404);
      expect(res.text).toContain(en.notFoundHeading);
    });
  });

  describe('counts and dates in words', () => {
    const setCount = (id: string, n: number) => t.db.query('UPDATE campaign_counters SET verified = $2 WHERE campaign_id = $1', [id, n]);
    const page = async (lang: 'ar' | 'en', s: string) => (await t.http().get(`/${lang}/c/${encodeURIComponent(s)}`).expect(200)).text;

    it('says the count in the form its number takes, in Arabic and in English, on the campaign and home pages', async () => {
      const petition = await createLiveCampaign(t, organiser.token, {
        locale: 'ar',
        title: 'أوقفوا تجفيف الأهوار',
        translations: { en: { title: 'Stop draining the marshes', summary: 's', body: 'b' } },
        goal: null,
      });
      const arabic: [number, string][] = [
        [0, 'لا توقيعات بعد'],
        [1, 'توقيع واحد'],
        [2, 'توقيعان'],
        [3, '٣ توقيعات'],
        [11, '١١ توقيعاً'],
        [100, '١٠٠ توقيع'],
      ];
      for (const [n, words] of arabic) {
        await setCount(petition.id, n);
        expect(shownCount(await page('ar', petition.slug))).toEqual({ value: n, text: words });
        const home = (await t.http().get('/ar').expect(200)).text;
        expect(home).toContain(`data-count="${n}"`);
        expect(home).toContain(`>${words}</strong>`);
      }
      for (const [n, words] of [[0, '0 signatures'], [1, '1 signature'], [2, '2 signatures']] as const) {
        await setCount(petition.id, n);
        expect(shownCount(await page('en', petition.slug))).toEqual({ value: n, text: words });
      }
      // The page script gets every form, to say a count it reads later.
      const forms = /data-count-forms="([^"]*)"/.exec(await page('ar', petition.slug))![1].replace(/&quot;/g, '"');
      expect(JSON.parse(forms)).toEqual(ar.signatureCount);
    });

    it("shows an urgent action's deadline in the campaign's time zone, named in the page's language", async () => {
      const day = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
      const baghdad = await createLiveCampaign(t, organiser.token, {
        kind: 'urgent_action',
        locale: 'ar',
        title: 'نداء عاجل بتوقيت بغداد',
        translations: { en: { title: 'An urgent action on Baghdad time', summary: 's', body: 'b' } },
        endsAt: `${day}T09:00:00.000Z`,
        timeZone: 'Asia/Baghdad',
      });
      const arPage = await page('ar', baghdad.slug);
      expect(arPage).toContain('توقيت العراق');
      expect(arPage).toMatch(/<time datetime="[^"]+">[^<]*١٢:٠٠[^<]*<\/time>/);
      expect(arPage).not.toContain('UTC');
      const enPage = await page('en', baghdad.slug);
      expect(enPage).toMatch(/<time datetime="[^"]+">[^<]* at 12:00 Iraq Time<\/time>/);

      // Without a zone of its own: PAGE_TIME_ZONE (UTC here), never the Latin abbreviation on an Arabic page.
      const plain = await createLiveCampaign(t, organiser.token, {
        kind: 'urgent_action',
        locale: 'ar',
        title: 'نداء عاجل بلا منطقة زمنية',
        endsAt: `${day}T09:00:00.000Z`,
      });
      const arPlain = await page('ar', plain.slug);
      expect(arPlain).toMatch(/<time datetime="[^"]+">[^<]*٩:٠٠[^<]*التوقيت العالمي المنسق<\/time>/);
      expect(arPlain).not.toContain('UTC');
      expect(await page('en', plain.slug)).toMatch(/<time datetime="[^"]+">[^<]* at 09:00 UTC<\/time>/);
    });

    it("shows the day a target replied, in the page's language and digits", async () => {
      const c = await createLiveCampaign(t, organiser.token, { locale: 'ar', title: 'حملة تلقّت رداً' });
      const target = await t.http().post(`/api/v1/campaigns/${c.id}/targets`).set(auth()).send({ name: 'وزارة الموارد المائية', email: 'water@example.org' }).expect(201);
      await t
        .http()
        .post(`/api/v1/campaigns/${c.id}/targets/${target.body.id}/replies`)
        .set(auth())
        .send({ receivedOn: '2026-03-05', summary: 'They answered.' })
        .expect(201);
      expect(await page('ar', c.slug)).toContain('ردّت في ٥ مارس ٢٠٢٦');
      expect(await page('en', c.slug)).toContain('Replied on 5 March 2026');
    });
  });

  describe('signing without JavaScript', () => {
    it('redirects to "check your email" and sends the confirmation in the page language', async () => {
      const before = await signatureRows();
      const res = await t
        .http()
        .post(`/ar/c/${encodeURIComponent(slug)}`)
        .set(SAME_ORIGIN)
        .type(FORM)
        .send({ name: 'ليلى حسن', email: 'layla@example.org', country: 'iq', city: 'البصرة', showName: 'on' })
        .expect(303);
      expect(res.headers.location).toBe(`/ar/c/${encodeURIComponent(slug)}/check-email`);
      expect(await signatureRows()).toBe(before + 1);
      const [mail] = await smtp.waitFor('layla@example.org');
      expect(mail.parsed.text).toContain('مرحباً ليلى حسن');
      // Numbers as the Arabic pages write them (SIGNATURE_TOKEN_TTL_HOURS 168: seven days, «٧ أيام», not «7 أيام»).
      expect(mail.parsed.text).toContain('يبقى الرابط صالحاً لمدة ٧ أيام.');
      expect(mail.parsed.html).toContain('يبقى الرابط صالحاً لمدة ٧ أيام.');
      expect(mail.parsed.text).toContain(`/confirm/`);
      const page = await t.http().get(res.headers.location).expect(200);
      expect(page.text).toContain(ar.checkEmailHeading);
      expect(page.text).not.toContain('layla@example.org');
    });

    it('tells a duplicate signer exactly what it tells a new one', async () => {
      const send = (email: string) =>
        t.http().post(`/en/c/${encodeURIComponent(slug)}`).set(SAME_ORIGIN).type(FORM).send({ name: 'Sam', email, country: 'GB' });
      const first = await send('dup@example.org');
      const again = await send('dup@example.org');
      expect([first.status, again.status]).toEqual([303, 303]);
      expect(again.headers.location).toBe(first.headers.location);
      expect(again.text).toBe(first.text);
      // The difference is only in the mail: a second confirmation, sent after the answer.
      expect(await smtp.waitFor('dup@example.org', 2)).toHaveLength(2);
    });

    it('shows each problem beside its field in Arabic, keeps what was typed, and records nothing', async () => {
      const before = await signatureRows();
      const outboxBefore = await outboxRows();
      const res = await t
        .http()
        .post(`/ar/c/${encodeURIComponent(slug)}`)
        .set(SAME_ORIGIN)
        .type(FORM)
        .send({ name: '', email: 'not-an-email', country: '', city: '=HYPERLINK("x")', comment: 'تعليق <b>غامق</b>' })
        .expect(400);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.text).toContain('role="alert"');
      expect(res.text).toContain(`<h2 id="error-summary-title">${ar.errorSummary}</h2>`);
      expect(res.text).toContain(`<p class="field-error" id="f-name-error">${ar.errorNameMissing}</p>`);
      expect(res.text).toContain(`<p class="field-error" id="f-email-error">${ar.errorEmailInvalid}</p>`);
      expect(res.text).toContain(`<p class="field-error" id="f-country-error">${ar.errorCountryMissing}</p>`);
      expect(res.text).toContain('id="f-city-error"');
      expect(res.text).toMatch(/id="f-email"[^>]*value="not-an-email"/);
      expect(res.text).toContain('>تعليق &lt;b&gt;غامق&lt;/b&gt;</textarea>');
      expect(res.text).toMatch(/id="f-name"[^>]*aria-invalid="true" aria-describedby="f-name-error"/);
      expect(await signatureRows()).toBe(before);
      expect(await outboxRows()).toBe(outboxBefore);
    });

    it('refuses a post from another site with 403 and records nothing', async () => {
      const before = await signatureRows();
      const body = { name: 'Forged', email: 'forged@example.org', country: 'IQ' };
      const crossSite = await t.http().post(`/en/c/${encodeURIComponent(slug)}`).set('Sec-Fetch-Site', 'cross-site').type(FORM).send(body);
      expect(crossSite.status).toBe(403);
      expect(crossSite.text).toContain(en.errorForm);
      const otherOrigin = await t.http().post(`/en/c/${encodeURIComponent(slug)}`).set('Origin', 'https://evil.example').type(FORM).send(body);
      expect(otherOrigin.status).toBe(403);
      expect(await signatureRows()).toBe(before);
    });

    it('survives hostile form bodies: repeated fields, over-long values, JSON', async () => {
      const before = await signatureRows();
      const repeated = await t.http().post(`/en/c/${encodeURIComponent(slug)}`).set(SAME_ORIGIN).type(FORM).send('name=a&name=b&email=x@example.org&country=IQ');
      expect(repeated.status).toBe(400);
      expect(repeated.text).toContain(en.errorNameMissing);
      const long = await t.http().post(`/en/c/${encodeURIComponent(slug)}`).set(SAME_ORIGIN).type(FORM).send({ name: 'n'.repeat(500), email: 'long@example.org', country: 'IQ' });
      expect(long.status).toBe(400);
      expect(long.text).toContain(en.errorNameTooLong);
      const json = await t.http().post(`/en/c/${encodeURIComponent(slug)}`).set(SAME_ORIGIN).send({ name: ['x'], email: { a: 1 }, country: 7 });
      expect(json.status).toBe(400);
      expect(await signatureRows()).toBe(before);
    });
  });

  describe('confirming', () => {
    it('shows one button, confirms on POST, thanks with share links, and the page count rises', async () => {
      await t.http().post(`/en/c/${encodeURIComponent(slug)}`).set(SAME_ORIGIN).type(FORM)
        .send({ name: 'Omar Ali', email: 'omar@example.org', country: 'IQ', city: 'Basra', showName: 'on' }).expect(303);
      const [mail] = await smtp.waitFor('omar@example.org');
      const link = new URL(confirmLink(mail));
      const token = link.pathname.split('/').pop()!;
      const before = await count();

      const page = await t.http().get(`/ar/confirm/${token}`).expect(200);
      expect(page.text).toContain(`<form method="post" action="/ar/confirm/${token}">`);
      expect(page.headers['cache-control']).toBe('no-store');
      expect(page.headers['referrer-policy']).toBe('no-referrer');
      expect(await count()).toBe(before); // GET never confirms

      const thanks = await t.http().post(`/ar/confirm/${token}`).expect(200);
      expect(thanks.text).toContain(ar.confirmedHeading);
      const shared = encodeURIComponent(`http://nida.test/ar/c/${encodeURIComponent(slug)}`);
      expect(thanks.text).toContain(`https://t.me/share/url?url&#x3D;${shared}`);
      expect(thanks.text).toContain('https://wa.me/?text&#x3D;');
      expect(thanks.text).not.toMatch(/<script(?! src="\/static\/)/);

      // The same link later shows the thanks again, without a button.
      const again = await t.http().get(`/en/confirm/${token}`).expect(200);
      expect(again.text).toContain(en.confirmedHeading);
      expect(again.text).not.toContain(en.confirmButton);

      await waitUntil(async () => (await count()) === before + 1);
      const campaignPage = await t.http().get(`/en/c/${encodeURIComponent(slug)}`).expect(200);
      expect(campaignPage.text).toContain(`data-count="${before + 1}"`);
      // Omar ticked "show my name": first name and city, nothing more.
      expect(campaignPage.text).toMatch(/<li><bdi>Omar<\/bdi> · <bdi>Basra<\/bdi><\/li>/);
      expect(campaignPage.text).not.toContain('Omar Ali');
      expect(campaignPage.text).not.toContain('omar@example.org');
    });

    it('lists as recent supporters only verified signers who agreed, escaped', async () => {
      await signAndConfirm(t, smtp, slug, { name: '<img src=x onerror=alert(1)> Eve', email: 'eve@example.org', country: 'IQ', showName: true });
      await signAndConfirm(t, smtp, slug, { name: 'Hidden Person', email: 'hidden@example.org', country: 'IQ', city: 'Mosul' });
      await t.http().post(`/en/c/${encodeURIComponent(slug)}`).set(SAME_ORIGIN).type(FORM)
        .send({ name: 'Pending Pat', email: 'pat@example.org', country: 'IQ', showName: 'on' }).expect(303);
      const res = await t.http().get(`/en/c/${encodeURIComponent(slug)}`).expect(200);
      const recent = res.text.slice(res.text.indexOf('id="recent-h"'));
      expect(recent).toContain('<li><bdi>&lt;img</bdi></li>');
      expect(recent).not.toContain('Hidden');
      expect(recent).not.toContain('Mosul');
      expect(recent).not.toContain('Pending');
    });
  });

  describe('closed and won campaigns', () => {
    it('shows a closed campaign as closed, without the form, and refuses a late post', async () => {
      const c = await createLiveCampaign(t, organiser.token, { title: 'Closing soon' });
      await t.http().post(`/api/v1/campaigns/${c.id}/close`).set(auth()).expect(200);
      const res = await t.http().get(`/en/c/${c.slug}`).expect(200);
      expect(res.text).toContain(en.closedBanner);
      expect(res.text).not.toContain('<form id="sign"');
      const late = await t.http().post(`/en/c/${c.slug}`).set(SAME_ORIGIN).type(FORM).send({ name: 'Late', email: 'late@example.org', country: 'IQ' });
      expect(late.status).toBe(409);
      expect(late.text).toContain(en.closedBanner);
    });

    it('shows a won campaign with its outcome', async () => {
      const c = await createLiveCampaign(t, organiser.token, { title: 'A victory' });
      await t.http().post(`/api/v1/campaigns/${c.id}/win`).set(auth()).send({ outcome: 'He was released' }).expect(200);
      const res = await t.http().get(`/en/c/${c.slug}`).expect(200);
      expect(res.text).toContain(en.wonBanner);
      expect(res.text).toContain('He was released');
      expect(res.text).not.toContain('<form id="sign"');
    });
  });

  describe('home', () => {
    it('lists live campaigns with their progress, in the chosen language, and not closed ones', async () => {
      const res = await t.http().get('/ar').expect(200);
      expect(res.text).toContain('<html lang="ar" dir="rtl">');
      expect(res.text).toContain(`href="/ar/c/${encodeURIComponent(slug)}"`);
      expect(res.text).toContain('role="progressbar"');
      expect(res.text).not.toContain('Closing soon');
      const english = await t.http().get('/').set('Accept-Language', 'en').expect(200);
      expect(english.text).toContain(en.homeHeading);
      expect(english.text).toContain('Where is Salim?');
    });
  });

  describe('embeds', () => {
    it('serves a frameable embed page whose form posts back into the frame', async () => {
      const res = await t.http().get(`/ar/embed/c/${encodeURIComponent(slug)}`).expect(200);
      expect(res.headers['x-frame-options']).toBeUndefined();
      expect(res.headers['content-security-policy']).toContain('frame-ancestors *');
      expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin');
      expect(res.text).toContain('class="embed"');
      expect(res.text).toContain(`action="/ar/embed/c/${encodeURIComponent(slug)}"`);
      // The full pages still refuse to be framed elsewhere.
      const full = await t.http().get(`/ar/c/${encodeURIComponent(slug)}`);
      expect(full.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(full.headers['content-security-policy']).toContain("frame-ancestors 'self'");

      const signed = await t.http().post(`/ar/embed/c/${encodeURIComponent(slug)}`).set(SAME_ORIGIN).type(FORM)
        .send({ name: 'Partner Reader', email: 'reader@example.org', country: 'JO' }).expect(303);
      expect(signed.headers.location).toBe(`/ar/embed/c/${encodeURIComponent(slug)}/check-email`);
      const next = await t.http().get(signed.headers.location).expect(200);
      expect(next.headers['x-frame-options']).toBeUndefined();
      expect(next.text).toContain(ar.checkEmailHeading);
    });

    it('serves the embed script to any site with a long cache, and the count JSON with CORS', async () => {
      const script = await t.http().get('/static/embed.js').expect(200);
      expect(script.headers['content-type']).toMatch(/javascript/);
      expect(script.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(script.headers['cross-origin-resource-policy']).toBe('cross-origin');
      expect(script.text).toContain('/embed/c/');
      const countRes = await t.http().get(`/api/v1/campaigns/${encodeURIComponent(slug)}/count`).set('Origin', 'https://partner.example').expect(200);
      expect(countRes.headers['access-control-allow-origin']).toBe('*');
    });
  });
});
