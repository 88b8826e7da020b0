import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONSOLE_PHOTO_STRINGS } from '../../src/modules/pages/console-photo-strings';
import { consoleCsrf, consoleSignIn, FORM, SAME_ORIGIN } from '../support/console';
import { createCampaign, createLiveCampaign, createOrganiserWithOrganisation, OrganiserLogin } from '../support/factories';
import { jpegWithGps, png, pngClaiming } from '../support/photos';
import { createTestApp, TestApp } from '../support/test-app';

const MAX_BYTES = 2 * 1024 * 1024;
const ALT_AR = 'سليم راضي في قارب في الأهوار';
const ALT_EN = 'Salim Radhi in a boat in the marshes';

/**
 * The console's Photo page: upload (multipart form, CSRF token inside it), what was typed kept
 * with each error beside its field, refused files said in both languages with their code, the
 * removal behind a confirmation, and another organisation's organiser sees 404 everywhere.
 */
describe('console photo page (e2e)', () => {
  let t: TestApp;
  let org: OrganiserLogin;
  let other: OrganiserLogin;
  let cookie: string;
  let otherCookie: string;
  let storageDir: string;
  let campaign: { id: string; slug: string };
  let photo: Buffer;

  beforeAll(async () => {
    storageDir = mkdtempSync(join(tmpdir(), 'nida-console-photo-'));
    t = await createTestApp({ STORAGE_DIR: storageDir, IMAGE_MAX_BYTES: String(MAX_BYTES) });
    org = await createOrganiserWithOrganisation(t, 'تحالف الأهوار');
    other = await createOrganiserWithOrganisation(t);
    campaign = await createLiveCampaign(t, org.token, { locale: 'ar', title: 'أين سليم راضي؟', summary: 'ملخص', body: 'نص' });
    cookie = await consoleSignIn(t, org.email);
    otherCookie = await consoleSignIn(t, other.email);
    photo = await jpegWithGps(1200, 900);
  }, 60000);

  afterAll(async () => {
    await t?.close();
    rmSync(storageDir, { recursive: true, force: true });
  });

  const path = (l: string, id = campaign.id) => `/${l}/console/campaigns/${id}/photo`;
  const stored = () => readdirSync(storageDir).sort();

  /** Posts the form; the file is named by its content (`photo.png` for a PNG, else `photo.jpg`) unless `filename` is given. */
  async function post(l: string, fields: Record<string, string>, file: Buffer | null, session = cookie, id = campaign.id, filename?: string) {
    const req = t.http().post(path(l, id)).set('Cookie', session).set(SAME_ORIGIN);
    for (const [name, value] of Object.entries(fields)) void req.field(name, value);
    if (file) void req.attach('image', file, filename ?? (file[0] === 0x89 ? 'photo.png' : 'photo.jpg'));
    return req;
  }

  it('shows the page in both languages with the tab current, no photo yet, and the form', async () => {
    for (const l of ['ar', 'en'] as const) {
      const s = CONSOLE_PHOTO_STRINGS[l];
      const page = await t.http().get(path(l)).set('Cookie', cookie).expect(200);
      expect(page.text).toContain(`href="/${l}/console/campaigns/${campaign.id}/photo" aria-current="page"`);
      expect(page.text).toContain('enctype="multipart/form-data"');
      expect(page.text).toContain(s.none);
      expect(page.text).toContain(s.cardNone);
      expect(page.headers['cache-control']).toContain('no-store');
    }
    const ar = (await t.http().get(path('ar')).set('Cookie', cookie)).text;
    const text = ar
      .replace(/<head>[\s\S]*?<\/head>/, '')
      .replace(/<[^>]+>/g, ' ')
      .replace(/Nida|English|JPEG|PNG|WebP/g, '');
    expect(text).not.toMatch(/[A-Za-z]{2,}/);
  });

  it('uploads a photo (303 back to the page, which shows it, its texts and sizes), then removes it after a confirmation', async () => {
    const csrf = await consoleCsrf(t, cookie, path('en'));
    const res = await post('en', { csrf, altAr: ALT_AR, altEn: ALT_EN, credit: 'Layla H.' }, photo);
    expect([res.status, res.headers.location]).toEqual([303, `${path('en')}?done=saved`]);
    expect(stored()).toHaveLength(6);
    const page = await t.http().get(`${path('ar')}?done=saved`).set('Cookie', cookie).expect(200);
    const s = CONSOLE_PHOTO_STRINGS.ar;
    expect(page.text).toContain(s.saved);
    expect(page.text).toContain(`alt="${ALT_AR}"`);
    expect(page.text).toContain('<bdi>Layla H.</bdi>');
    expect(page.text).toMatch(/بعرض ٤٨٠ بكسل: WebP ‏[٠-٩٫]+ كيلوبايت/);
    // The public page shows it.
    const pub = await t.http().get(`/ar/c/${encodeURIComponent(campaign.slug)}`).expect(200);
    expect(pub.text).toContain(`alt="${ALT_AR}"`);

    const confirm = await t.http().get(`${path('ar')}/remove`).set('Cookie', cookie).expect(200);
    expect(confirm.text).toContain(s.removeHeading);
    const token = /name="csrf" value="([^"]+)"/.exec(confirm.text)![1];
    // Without the token: refused, nothing removed.
    await t.http().post(`${path('ar')}/remove`).set('Cookie', cookie).set(SAME_ORIGIN).type(FORM).send({}).expect(403);
    expect(stored()).toHaveLength(6);
    const removed = await t.http().post(`${path('ar')}/remove`).set('Cookie', cookie).set(SAME_ORIGIN).type(FORM).send({ csrf: token });
    expect([removed.status, removed.headers.location]).toEqual([303, `${path('ar')}?done=removed`]);
    expect(stored()).toEqual([]);
    expect((await t.http().get(`${path('ar')}?done=removed`).set('Cookie', cookie)).text).toContain(s.removed);
    // Nothing to remove: the confirmation page is 404.
    await t.http().get(`${path('ar')}/remove`).set('Cookie', cookie).expect(404);
  }, 60000);

  it('changes the descriptions and credit without a new file: the form shows the current ones, the files stay, the page says so', async () => {
    const csrf = await consoleCsrf(t, cookie, path('en'));
    expect((await post('en', { csrf, altAr: ALT_AR, altEn: ALT_EN, credit: 'Layla H.' }, photo)).status).toBe(303);
    const files = stored();
    for (const l of ['ar', 'en'] as const) {
      const s = CONSOLE_PHOTO_STRINGS[l];
      const form = (await t.http().get(path(l)).set('Cookie', cookie).expect(200)).text;
      expect(form).toContain(`${ALT_AR}</textarea>`);
      expect(form).toContain(`${ALT_EN}</textarea>`);
      // A Latin credit in an Arabic page keeps its own direction (its full stop after the name).
      expect(form).toMatch(/<input id="f-credit"[^>]* dir="auto"[^>]* value="Layla H."/);
      expect(form).toContain(s.fieldImageKeep);
      expect(form).not.toMatch(/<input id="f-image"[^>]* required/);
      expect(form).toContain(`<button type="submit">${s.save}</button>`);
    }
    const altEn = 'Salim Radhi at the oars of his boat';
    const res = await post('ar', { csrf, altAr: ALT_AR, altEn, credit: '' }, null);
    expect([res.status, res.headers.location]).toEqual([303, `${path('ar')}?done=texts`]);
    expect(stored()).toEqual(files);
    const page = (await t.http().get(`${path('ar')}?done=texts`).set('Cookie', cookie).expect(200)).text;
    expect(page).toContain(CONSOLE_PHOTO_STRINGS.ar.textsSaved);
    expect(page).toContain(`<dd lang="en" dir="ltr">${altEn}</dd>`);
    expect(page).not.toContain('Layla H.');
    // An empty description is refused beside its field, the texts typed kept; nothing changes.
    const empty = await post('en', { csrf, altAr: '', altEn: 'Typed', credit: '' }, null);
    expect(empty.status).toBe(400);
    expect(empty.text).toContain(`<p class="field-error" id="f-alt-ar-error">${CONSOLE_PHOTO_STRINGS.en.errorAltAr}</p>`);
    expect(empty.text).toContain('>Typed</textarea>');
    const kept = await t.http().get(`/api/v1/campaigns/${encodeURIComponent(campaign.slug)}`).expect(200);
    expect(kept.body.image.alt).toEqual({ ar: ALT_AR, en: altEn });
    // Clean up for the tests after this one, which expect no photo.
    const token = /name="csrf" value="([^"]+)"/.exec((await t.http().get(`${path('en')}/remove`).set('Cookie', cookie)).text)![1];
    await t.http().post(`${path('en')}/remove`).set('Cookie', cookie).set(SAME_ORIGIN).type(FORM).send({ csrf: token }).expect(303);
    expect(stored()).toEqual([]);
  }, 60000);

  it('keeps what was typed and says each error beside its field, in both languages, with the code of a refused file; nothing stored', async () => {
    for (const l of ['ar', 'en'] as const) {
      const s = CONSOLE_PHOTO_STRINGS[l];
      const csrf = await consoleCsrf(t, cookie, path(l));
      const missing = await post(l, { csrf, altAr: '', altEn: 'Typed <b>text</b>', credit: 'x'.repeat(201) }, photo);
      expect(missing.status).toBe(400);
      expect(missing.text).toContain(`<p class="field-error" id="f-alt-ar-error">${s.errorAltAr}</p>`);
      expect(missing.text).toContain(`<p class="field-error" id="f-credit-error">${s.errorCreditLong}</p>`);
      expect(missing.text).toContain('Typed &lt;b&gt;text&lt;/b&gt;</textarea>');
      expect(missing.text).toContain('href="#f-alt-ar"');
      const cases: [Buffer | null, number, string][] = [
        [Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), 415, 'IMAGE_TYPE_UNSUPPORTED'],
        [pngClaiming(20000, 20000), 422, 'IMAGE_TOO_MANY_PIXELS'],
        [photo.subarray(0, photo.length >> 1), 422, 'IMAGE_UNREADABLE'],
        [Buffer.concat([photo, Buffer.alloc(MAX_BYTES)]), 413, 'IMAGE_TOO_LARGE'],
      ];
      for (const [file, status, code] of cases) {
        const res = await post(l, { csrf, altAr: ALT_AR, altEn: ALT_EN, credit: '' }, file);
        expect([code, res.status]).toEqual([code, status]);
        expect(res.text).toMatch(new RegExp(`<p class="field-error" id="f-image-error">[^<]+\\(${s.errorCode}: ${code}\\)</p>`));
        expect(res.text).toContain(`${ALT_AR}</textarea>`);
      }
      const renamed = await post(l, { csrf, altAr: ALT_AR, altEn: ALT_EN, credit: '' }, await png(), cookie, campaign.id, 'holiday.jpg');
      expect(renamed.status).toBe(415);
      expect(renamed.text).toContain(`<p class="field-error" id="f-image-error">${s.errorTypeMismatch.replace(/'/g, '&#x27;')} (${s.errorCode}: IMAGE_TYPE_MISMATCH)</p>`);
      const none = await post(l, { csrf, altAr: ALT_AR, altEn: ALT_EN }, null);
      expect(none.status).toBe(400);
      expect(none.text).toContain(s.errorFileMissing);
    }
    expect(stored()).toEqual([]);
  }, 90000);

  it('refuses a post without the CSRF token or from another site (403); a non-multipart post gets the page again (415)', async () => {
    const csrf = await consoleCsrf(t, cookie, path('en'));
    const noToken = await post('en', { altAr: ALT_AR, altEn: ALT_EN }, await png());
    expect([noToken.status, noToken.headers['x-error-code']]).toEqual([403, 'CONSOLE_CSRF_INVALID']);
    const wrong = await post('en', { csrf: 'nope', altAr: ALT_AR, altEn: ALT_EN }, await png());
    expect(wrong.status).toBe(403);
    const crossSite = await t.http().post(path('en')).set('Cookie', cookie).set('sec-fetch-site', 'cross-site').field('csrf', csrf).field('altAr', ALT_AR).field('altEn', ALT_EN).attach('image', await png(), 'p.png');
    expect(crossSite.status).toBe(403);
    // A urlencoded post carries no file: the page again (415) with the reason, nothing changed.
    const form = await t.http().post(path('en')).set('Cookie', cookie).set(SAME_ORIGIN).type(FORM).send({ csrf, altAr: ALT_AR });
    expect(form.status).toBe(415);
    expect(form.text).toContain('IMAGE_NOT_MULTIPART');
    // Without a session: to the login page.
    const anonymous = await t.http().get(path('en'));
    expect([anonymous.status, anonymous.headers.location]).toEqual([303, '/en/console/login']);
    expect(stored()).toEqual([]);
  });

  it("answers another organisation's organiser, an unknown and a malformed id 404 on every photo URL, and changes nothing", async () => {
    const draft = await createCampaign(t, org.token);
    const csrf = await consoleCsrf(t, otherCookie, '/en/console');
    const mine = await consoleCsrf(t, cookie, path('en'));
    // A photo to protect.
    expect((await post('en', { csrf: mine, altAr: ALT_AR, altEn: ALT_EN }, await png(), cookie, draft.id)).status).toBe(303);
    const before = stored();
    for (const id of [draft.id, '00000000-0000-4000-8000-000000000000', 'not-a-uuid', '%00', 'x'.repeat(300)]) {
      for (const l of ['ar', 'en']) {
        const session = id === draft.id ? otherCookie : cookie;
        const token = id === draft.id ? csrf : mine;
        expect([id, (await t.http().get(path(l, id)).set('Cookie', session)).status]).toEqual([id, id === '%00' ? 400 : 404]);
        expect([id, (await t.http().get(`${path(l, id)}/remove`).set('Cookie', session)).status]).toEqual([id, id === '%00' ? 400 : 404]);
        const up = await post(l, { csrf: token, altAr: ALT_AR, altEn: ALT_EN }, await png(), session, id);
        expect([id, up.status]).toEqual([id, id === '%00' ? 400 : 404]);
        const rm = await t.http().post(`${path(l, id)}/remove`).set('Cookie', session).set(SAME_ORIGIN).type(FORM).send({ csrf: token });
        expect([id, rm.status]).toEqual([id, id === '%00' ? 400 : 404]);
      }
    }
    expect(stored()).toEqual(before);
  }, 60000);
});
