import * as QRCode from 'qrcode';
import { HttpSettings } from '../../src/config/environment';
import { CONSOLE_STRINGS } from '../../src/modules/pages/console-strings';
import { createCampaign, createLiveCampaign, createOrganiserWithOrganisation, OrganiserLogin } from '../support/factories';
import { createTestApp, TestApp } from '../support/test-app';

const FORM = 'application/x-www-form-urlencoded';
const SAME_ORIGIN = { 'sec-fetch-site': 'same-origin' };
const PASSWORD = 'a-long-enough-password';
const TITLE = 'Rivers & "reeds" of the marshes';
const AR_TITLE = 'أنهار الأهوار وقصبها';

/** The console's Share page: links in both languages, the embed snippet and a server-rendered QR code. */
describe('console share page (e2e)', () => {
  let t: TestApp;
  let org: OrganiserLogin;
  let other: OrganiserLogin;
  let cookie: string;
  let otherCookie: string;
  let publicUrl: string;
  let live: { id: string; slug: string };
  let draft: { id: string; slug: string };

  async function signIn(email: string, password = PASSWORD): Promise<string> {
    const page = await t.http().get('/en/console/login');
    const login = [page.headers['set-cookie']].flat().find((c: string) => c?.startsWith('nida_login='))!.split(';')[0];
    const csrf = /name="csrf" value="([^"]+)"/.exec(page.text)![1];
    const res = await t.http().post('/en/console/login').set(SAME_ORIGIN).set('Cookie', login).type(FORM).send({ csrf, email, password });
    expect(res.status).toBe(303);
    return [res.headers['set-cookie']].flat().find((c: string) => c?.startsWith('nida_session='))!.split(';')[0];
  }

  const share = (locale: string, id: string, session = cookie) => t.http().get(`/${locale}/console/campaigns/${id}/share`).set('Cookie', session);
  const qr = (locale: string, id: string, session = cookie) => t.http().get(`/${locale}/console/campaigns/${id}/qr.svg`).set('Cookie', session).buffer(true).parse((res, done) => {
    let body = '';
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => (body += chunk));
    res.on('end', () => done(null, body));
  });
  /** What the browser shows of escaped text (the entities Handlebars writes). */
  const unescape = (s: string) =>
    s.replace(/&(lt|gt|quot|#x27|#x60|#x3D|amp);/g, (_, e: string) => ({ lt: '<', gt: '>', quot: '"', '#x27': "'", '#x60': '`', '#x3D': '=', amp: '&' })[e]!);
  const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

  beforeAll(async () => {
    t = await createTestApp();
    publicUrl = t.app.get(HttpSettings).PUBLIC_URL.replace(/\/+$/, '');
    org = await createOrganiserWithOrganisation(t);
    other = await createOrganiserWithOrganisation(t);
    const created = await createLiveCampaign(t, org.token, { title: TITLE, translations: { ar: { title: AR_TITLE, summary: 'ملخص', body: 'نص' } } });
    live = { id: created.id, slug: created.slug };
    const drafted = await createCampaign(t, org.token, { title: 'A campaign still in draft' });
    draft = { id: drafted.id, slug: drafted.slug };
    cookie = await signIn(org.email);
    otherCookie = await signIn(other.email);
  });

  afterAll(async () => {
    await t?.close();
  });

  it('is linked from each campaign on the dashboard', async () => {
    const page = (await t.http().get('/en/console').set('Cookie', cookie)).text;
    expect(page).toContain(`href="/en/console/campaigns/${live.id}/share"`);
    expect(page).toContain(`href="/en/console/campaigns/${draft.id}/share"`);
  });

  it.each(['en', 'ar'] as const)('shows the links, the embed snippet and the QR code (%s)', async (locale) => {
    const res = await share(locale, live.id);
    expect(res.status).toBe(200);
    const page = res.text;
    expect(page).toContain(`<html lang="${locale}" dir="${locale === 'ar' ? 'rtl' : 'ltr'}">`);
    for (const url of [`${publicUrl}/ar/c/${live.slug}`, `${publicUrl}/en/c/${live.slug}`, `${publicUrl}/c/${live.slug}`]) {
      expect(page).toContain(`<a href="${url}" dir="ltr">${url}</a>`);
    }
    // The snippet: an iframe of the embed page in the page's language, escaped once for the textarea.
    const title = locale === 'ar' ? AR_TITLE : TITLE;
    const snippet = `<iframe src="${publicUrl}/${locale}/embed/c/${live.slug}" title="${escape(title)}" width="100%" height="560" style="border:0" loading="lazy"></iframe>`;
    const textarea = /<textarea id="embed-code"[^>]*readonly[^>]*dir="ltr"[^>]*>([^<]*)<\/textarea>/.exec(page);
    expect(textarea).not.toBeNull();
    expect(textarea![1]).not.toContain('<');
    expect(unescape(textarea![1])).toBe(snippet);
    expect(page).not.toContain('<iframe');
    // The QR code: inline, of the page's language link, the same as qrcode renders it.
    const url = `${publicUrl}/${locale}/c/${live.slug}`;
    const expected = await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
    expect(page).toContain(expected);
    const size = QRCode.create(url, { errorCorrectionLevel: 'M' }).modules.size;
    expect(page).toContain(`viewBox="0 0 ${size + 4} ${size + 4}"`);
    expect(page).toContain(`href="/${locale}/console/campaigns/${live.id}/qr.svg"`);
  });

  it('is in Arabic with no English word outside the URLs, the embed code and the campaign data', async () => {
    const ar = CONSOLE_STRINGS.ar;
    const page = (await share('ar', live.id)).text;
    expect(page).toContain(`<h2 id="embed-heading">${ar.shareEmbedHeading}</h2>`);
    const text = page
      .replace(/<head>[\s\S]*?<\/head>/, '')
      .replace(/<svg[\s\S]*?<\/svg>/g, '')
      .replace(/<textarea[\s\S]*?<\/textarea>/g, '')
      .replace(/<a [^>]*dir="ltr"[^>]*>[^<]*<\/a>/g, '')
      .replace(/<[^>]+>/g, ' ')
      .replace(/Nida/g, '')
      .replace(/English/g, ''); // the language switch names English in English
    expect(text).not.toMatch(/[A-Za-z]{2,}/);
  });

  it('serves the QR code as an SVG file to download, private', async () => {
    const res = await qr('ar', live.id);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^image\/svg\+xml/);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename=/);
    expect(res.headers['cache-control']).toMatch(/private/);
    expect(res.body).toBe(await QRCode.toString(`${publicUrl}/ar/c/${live.slug}`, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }));
  });

  it("answers 404 for another organisation's campaign, a missing one or a malformed id, never showing the campaign", async () => {
    for (const locale of ['en', 'ar']) {
      const theirs = await share(locale, live.id, otherCookie);
      expect(theirs.status).toBe(404);
      expect(theirs.text).not.toContain(live.slug);
      expect(theirs.text).not.toContain('reeds');
      expect(theirs.text).not.toContain(AR_TITLE);
      const file = await qr(locale, live.id, otherCookie);
      expect(file.status).toBe(404);
      expect(file.body).not.toContain('<svg');
    }
    expect((await share('en', '00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await share('en', 'not-a-uuid')).status).toBe(404);
    expect((await qr('en', 'not-a-uuid')).status).toBe(404);
  });

  it('opens for an admin too (admins act for every organisation, as in the API)', async () => {
    const admin = await signIn(t.env.ADMIN_EMAIL!, t.env.ADMIN_PASSWORD!);
    const res = await share('en', live.id, admin);
    expect(res.status).toBe(200);
    expect(res.text).toContain(`${publicUrl}/en/c/${live.slug}`);
  });

  it('sends a signed-out visitor to the login page', async () => {
    for (const path of [`/en/console/campaigns/${live.id}/share`, `/ar/console/campaigns/${live.id}/qr.svg`]) {
      const res = await t.http().get(path);
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(path.startsWith('/ar') ? '/ar/console/login' : '/en/console/login');
    }
  });

  it('says a draft has no public address yet, with no QR code', async () => {
    const res = await share('en', draft.id);
    expect(res.status).toBe(200);
    expect(res.text).toContain(CONSOLE_STRINGS.en.shareDraft);
    expect(res.text).not.toContain('<svg');
    expect(res.text).not.toContain('qr.svg');
    expect((await qr('en', draft.id)).status).toBe(404);
    const ar = await share('ar', draft.id);
    expect(ar.text).toContain(CONSOLE_STRINGS.ar.shareDraft);
    expect(ar.text).not.toContain('<svg');
  });
});
