import { CONSOLE_CAMPAIGN_STRINGS } from '../../src/modules/pages/console-campaigns-strings';
import { CONSOLE_STRINGS } from '../../src/modules/pages/console-strings';
import { renderRichText } from '../../src/modules/pages/rich-text';
import { createCampaign, createLiveCampaign, createOrganiserWithOrganisation, OrganiserLogin } from '../support/factories';
import { createTestApp, TestApp } from '../support/test-app';

const FORM = 'application/x-www-form-urlencoded';
const SAME_ORIGIN = { 'sec-fetch-site': 'same-origin' };
const PASSWORD = 'a-long-enough-password';
const en = CONSOLE_CAMPAIGN_STRINGS.en;
const ar = CONSOLE_CAMPAIGN_STRINGS.ar;
const DAY_MS = 86_400_000;

/** A campaign form post: both languages, every field, overridable. */
function formFields(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    locale: 'en',
    kind: 'urgent_action',
    title_en: 'Free the reporter Salim',
    summary_en: 'Salim was taken from his home in Basra.',
    body_en: 'He is held **without charge**.\n\nWrite to the *minister*: [more](https://example.org/salim)',
    title_ar: 'أطلقوا سراح الصحفي سالم',
    summary_ar: 'اعتُقل سالم من بيته في البصرة.',
    body_ar: 'هو محتجز **دون تهمة**.',
    goal: '5000',
    endsAt: '',
    timeZone: 'Asia/Baghdad',
    slug: '',
    ...overrides,
  };
}

/** A local date-time (YYYY-MM-DDTHH:MM) in Baghdad (UTC+3, no daylight saving), `days` from now. */
function baghdadLocal(days: number): { local: string; iso: string } {
  const at = new Date(Math.floor((Date.now() + days * DAY_MS) / 60000) * 60000);
  const local = new Date(at.getTime() + 3 * 3600_000).toISOString().slice(0, 16);
  return { local, iso: at.toISOString() };
}

/**
 * The console's campaign pages: create a draft, edit it, preview its text and its public page,
 * and change its status through the confirmation pages — all through the campaigns service, with
 * the API's validation and refusals shown as sentences beside the fields.
 */
describe('console campaigns (e2e)', () => {
  let t: TestApp;
  let org: OrganiserLogin;
  let other: OrganiserLogin;
  let cookie: string;
  let otherCookie: string;
  let csrf: string;
  let otherCsrf: string;

  async function signIn(email: string): Promise<{ cookie: string; csrf: string }> {
    const page = await t.http().get('/en/console/login');
    const login = [page.headers['set-cookie']].flat().find((c: string) => c?.startsWith('nida_login='))!.split(';')[0];
    const token = /name="csrf" value="([^"]+)"/.exec(page.text)![1];
    const res = await t.http().post('/en/console/login').set(SAME_ORIGIN).set('Cookie', login).type(FORM).send({ csrf: token, email, password: PASSWORD });
    expect(res.status).toBe(303);
    const session = [res.headers['set-cookie']].flat().find((c: string) => c?.startsWith('nida_session='))!.split(';')[0];
    const home = await t.http().get('/en/console').set('Cookie', session);
    return { cookie: session, csrf: /name="csrf" value="([^"]+)"/.exec(home.text)![1] };
  }

  const get = (path: string, session = cookie) => t.http().get(path).set('Cookie', session);
  const post = (path: string, fields: Record<string, string>, session = cookie, token = csrf) =>
    t.http().post(path).set(SAME_ORIGIN).set('Cookie', session).type(FORM).send({ csrf: token, ...fields });
  const api = (token: string) => ({ Authorization: `Bearer ${token}` });
  const read = async (id: string) => (await t.http().get(`/api/v1/organisations/${org.organisationId}/campaigns`).set(api(org.token))).body.items.find((c: { id: string }) => c.id === id);
  /** What a browser shows of escaped text. */
  const unescape = (s: string) =>
    s.replace(/&(lt|gt|quot|#x27|#x60|#x3D|amp);/g, (_, e: string) => ({ lt: '<', gt: '>', quot: '"', '#x27': "'", '#x60': '`', '#x3D': '=', amp: '&' })[e]!);
  const idFrom = (location: string) => /\/console\/campaigns\/([0-9a-f-]{36})\?done=created$/.exec(location)![1];

  beforeAll(async () => {
    t = await createTestApp();
    org = await createOrganiserWithOrganisation(t);
    other = await createOrganiserWithOrganisation(t);
    ({ cookie, csrf } = await signIn(org.email));
    ({ cookie: otherCookie, csrf: otherCsrf } = await signIn(other.email));
  });

  afterAll(async () => {
    await t?.close();
  });

  it('links a new campaign and each campaign to its console page from the dashboard', async () => {
    const live = await createLiveCampaign(t, org.token, { title: 'On the dashboard' });
    const page = (await get('/en/console')).text;
    expect(page).toContain('<a class="button" id="new-campaign" href="/en/console/campaigns/new">New campaign</a>');
    expect(page).toContain(`<h3><a href="/en/console/campaigns/${live.id}">On the dashboard</a></h3>`);
    const arPage = (await get('/ar/console')).text;
    expect(arPage).toContain(`href="/ar/console/campaigns/new">${CONSOLE_STRINGS.ar.newCampaign}</a>`);
  });

  it.each(['en', 'ar'] as const)('shows the new campaign form with both languages, the formatting help and every field (%s)', async (locale) => {
    const s = CONSOLE_CAMPAIGN_STRINGS[locale];
    const res = await get(`/${locale}/console/campaigns/new`);
    expect(res.status).toBe(200);
    const page = res.text;
    expect(page).toContain(`<html lang="${locale}" dir="${locale === 'ar' ? 'rtl' : 'ltr'}">`);
    // Each language's fields and preview are marked with their language and direction; the labels are in the page's.
    expect(page).toContain(`<fieldset class="text-column" id="column-ar">\n<legend>${s.textsIn.ar}</legend>`);
    expect(page).toMatch(/<textarea id="f-body-ar" name="body_ar" rows="12" lang="ar" dir="rtl"/);
    expect(page).toMatch(/<input id="f-title-en" name="title_en" type="text" lang="en" dir="ltr"/);
    expect(page).toContain('<div class="body" id="preview-ar" lang="ar" dir="rtl" aria-live="polite"');
    for (const name of ['title_ar', 'summary_ar', 'body_ar', 'title_en', 'summary_en', 'body_en', 'goal', 'endsAt', 'timeZone', 'slug', 'kind', 'locale', 'csrf']) {
      expect(page).toContain(`name="${name}"`);
    }
    expect(page).toContain(`<summary>${s.formattingHeading}</summary>`);
    expect(page).toContain(s.formattingExampleLink.replace(/"/g, '&quot;'));
    expect(page).toContain('<option value="Asia/Baghdad">');
    expect(page).toContain('type="datetime-local"');
    expect(page).toContain(`>${s.previewButton}</button>`);
    // Nothing typed yet: each preview says so, in the page's language.
    expect(page).toContain(`<p class="muted" lang="${locale}" dir="auto">${s.previewEmpty}</p>`);
    expect(page).toContain(`>${s.saveDraft}</button>`);
  });

  it('creates a bilingual urgent action as a draft, its deadline read in its time zone', async () => {
    const deadline = baghdadLocal(5);
    const res = await post('/en/console/campaigns/new', formFields({ endsAt: deadline.local, slug: 'free-salim' }));
    expect(res.status).toBe(303);
    const id = idFrom(res.headers.location);
    const saved = await read(id);
    expect(saved).toMatchObject({
      status: 'draft',
      kind: 'urgent_action',
      locale: 'en',
      slug: 'free-salim',
      title: 'Free the reporter Salim',
      goal: 5000,
      timeZone: 'Asia/Baghdad',
      endsAt: deadline.iso,
      translations: { ar: { title: 'أطلقوا سراح الصحفي سالم', summary: 'اعتُقل سالم من بيته في البصرة.', body: 'هو محتجز **دون تهمة**.' } },
    });
    const page = await get(res.headers.location);
    expect(page.status).toBe(200);
    expect(page.text).toContain(`<p class="notice" role="status" id="notice">${en.created}</p>`);
    // Only the known notices: anything else in `done` shows nothing.
    for (const done of ['<script>alert(1)</script>', 'toString', '__proto__', '']) {
      const odd = await get(`/en/console/campaigns/${id}?done=${encodeURIComponent(done)}`);
      expect(odd.status).toBe(200);
      expect(odd.text).not.toContain('id="notice"');
      expect(odd.text).not.toContain('<script>alert');
    }
    // The form shows the deadline as it was typed, in its zone; the zone stays selected.
    expect(page.text).toContain(`value="${deadline.local}"`);
    expect(page.text).toContain('<option value="Asia/Baghdad" selected>');
    expect(page.text).toContain('aria-current="page">Campaign</a>');
    // A draft can only be published, and previewed.
    expect(page.text).toContain(`href="/en/console/campaigns/${id}/status/publish">${en.action.publish}</a>`);
    expect(page.text).not.toContain('/status/close');
    expect(page.text).toContain(`href="/en/console/campaigns/${id}/preview"`);
  });

  it('takes both texts at their longest (20,000 characters each, Arabic percent-encoded six characters a letter) from the form', async () => {
    const bodyAr = 'ب'.repeat(20000);
    const bodyEn = 'b'.repeat(20000);
    const res = await post('/ar/console/campaigns/new', formFields({ slug: 'long-texts', body_ar: bodyAr, body_en: bodyEn }));
    expect(res.status).toBe(303);
    const saved = await read(idFrom(res.headers.location));
    expect(saved.translations.ar.body).toBe(bodyAr);
    expect(saved.body).toBe(bodyEn);
  });

  it('makes the slug from the title when it is left empty, trims the texts and leaves out an empty translation', async () => {
    const res = await post(
      '/ar/console/campaigns/new',
      formFields({ locale: 'ar', kind: 'petition', title_ar: '  أنقذوا الأهوار  ', title_en: '', summary_en: '', body_en: '', goal: '١٢٠٠', timeZone: '' }),
    );
    expect(res.status).toBe(303);
    const saved = await read(idFrom(res.headers.location));
    expect(saved).toMatchObject({ locale: 'ar', kind: 'petition', title: 'أنقذوا الأهوار', slug: 'أنقذوا-الأهوار', goal: 1200, timeZone: null, endsAt: null, translations: {} });
  });

  it('keeps what was typed and shows each API error beside its field, in both languages', async () => {
    const typed = formFields({
      title_en: 'No',
      summary_en: '',
      title_ar: 'عنوان عربي',
      summary_ar: '',
      body_ar: '',
      goal: 'lots',
      slug: 'Not A Slug!',
      body_en: 'Kept <b>as typed</b> & "quoted"',
    });
    for (const locale of ['en', 'ar'] as const) {
      const s = CONSOLE_CAMPAIGN_STRINGS[locale];
      const res = await post(`/${locale}/console/campaigns/new`, typed);
      expect(res.status).toBe(400);
      const page = res.text;
      expect(page).toContain('id="error-summary"');
      expect(page).toContain(`<p class="field-error" id="f-title-en-error">${s.errorTitle}</p>`);
      expect(page).toContain(`<p class="field-error" id="f-summary-en-error">${s.errorSummary}</p>`);
      expect(page).toContain(`<p class="field-error" id="f-goal-error">${s.errorGoal}</p>`);
      expect(page).toContain(`<p class="field-error" id="f-slug-error">${s.errorSlug}</p>`);
      // The half-filled Arabic translation: its summary and text are asked for, or all three left empty.
      expect(page).toMatch(/<p class="field-error" id="f-summary-ar-error">[^<]+<\/p>/);
      expect(page).toContain(s.errorTranslation.replace('{lang}', s.language.ar));
      expect(page).toContain('href="#f-title-en"');
      // What was typed is still there, escaped.
      expect(page).toContain('value="No"');
      expect(page).toContain('value="عنوان عربي"');
      expect(page).toContain('value="lots"');
      expect(page).toContain('value="Not A Slug!"');
      expect(page).toContain('>Kept &lt;b&gt;as typed&lt;/b&gt; &amp; &quot;quoted&quot;</textarea>');
      expect(page).toContain('<option value="Asia/Baghdad" selected>');
    }
    const count = await t.db.query(`SELECT count(*)::int AS n FROM campaigns WHERE organisation_id = $1 AND title = 'No'`, [org.organisationId]);
    expect(count[0].n).toBe(0);
  });

  it('refuses a deadline in the past, a date that is no date, an unknown time zone and a taken slug, beside their fields', async () => {
    const past = baghdadLocal(-1);
    let res = await post('/en/console/campaigns/new', formFields({ endsAt: past.local }));
    expect(res.status).toBe(400);
    expect(res.text).toContain(`<p class="field-error" id="f-ends-at-error">${en.errorEndsAtPast}</p>`);
    expect(res.text).toContain(`value="${past.local}"`);

    res = await post('/ar/console/campaigns/new', formFields({ endsAt: '2031-02-30T10:00' }));
    expect(res.status).toBe(400);
    expect(res.text).toContain(`<p class="field-error" id="f-ends-at-error">${ar.errorEndsAtFormat}</p>`);

    res = await post('/en/console/campaigns/new', formFields({ timeZone: 'Mars/Olympus', endsAt: baghdadLocal(3).local }));
    expect(res.status).toBe(400);
    expect(res.text).toContain(`<p class="field-error" id="f-time-zone-error">${en.errorTimeZone}</p>`);
    expect(res.text).toContain('<option value="Mars/Olympus" selected>Mars/Olympus</option>');

    await createCampaign(t, org.token, { slug: 'taken-slug' });
    res = await post('/en/console/campaigns/new', formFields({ slug: 'taken-slug' }));
    expect(res.status).toBe(409);
    expect(res.text).toContain(`<p class="field-error" id="f-slug-error">${en.errorSlugTaken}</p>`);
  });

  it('previews the text without saving: the Preview button re-renders the form with the text as the public page shows it', async () => {
    const before = (await t.db.query(`SELECT count(*)::int AS n FROM campaigns`))[0].n;
    const body = 'First **bold** line\nsecond line\n\n[a link](https://example.org) <script>alert(1)</script> [bad](javascript:alert(1))';
    const res = await post('/en/console/campaigns/new', formFields({ body_en: body, intent: 'preview' }));
    expect(res.status).toBe(200);
    expect(res.text).toContain(renderRichText(body));
    expect(res.text).toContain('<strong>bold</strong>');
    expect(res.text).not.toContain('<script>alert');
    expect(res.text).not.toContain('href="javascript:');
    expect(res.text).not.toContain('id="error-summary"');
    expect((await t.db.query(`SELECT count(*)::int AS n FROM campaigns`))[0].n).toBe(before);
  });

  it('answers the live preview endpoint with the rendered text, and refuses it without the CSRF token', async () => {
    const text = 'A *short* text\n\nwith [a link](https://example.org/x?a=1&b=2) and <img src=x onerror=alert(1)>';
    const res = await post('/ar/console/campaigns/preview-text', { text });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toEqual({ html: renderRichText(text) });
    expect(res.body.html).toContain('<em>short</em>');
    expect(res.body.html).not.toContain('<img');
    const refused = await t.http().post('/en/console/campaigns/preview-text').set(SAME_ORIGIN).set('Cookie', cookie).type(FORM).send({ text });
    expect(refused.status).toBe(403);
    expect(refused.headers['x-error-code']).toBe('CONSOLE_CSRF_INVALID');
    const crossSite = await t.http().post('/en/console/campaigns/preview-text').set({ 'sec-fetch-site': 'cross-site' }).set('Cookie', cookie).type(FORM).send({ csrf, text });
    expect(crossSite.status).toBe(403);
    const signedOut = await t.http().post('/en/console/campaigns/preview-text').set(SAME_ORIGIN).type(FORM).send({ csrf, text });
    expect(signedOut.status).toBe(303);
    expect(signedOut.headers.location).toBe('/en/console/login');
  });

  it('edits a draft: texts, kind, goal cleared, deadline and zone changed, translation removed', async () => {
    const draft = await createCampaign(t, org.token, {
      title: 'Edit me please',
      translations: { ar: { title: 'عدّلني', summary: 'ملخص', body: 'نص' } },
    });
    const page = await get(`/en/console/campaigns/${draft.id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('value="Edit me please"');
    expect(page.text).toContain('value="عدّلني"');
    expect(page.text).toContain('<div class="body" id="preview-ar" lang="ar" dir="rtl" aria-live="polite" data-empty="No text to show yet."><p>نص</p></div>'.replace('No text to show yet.', en.previewEmpty));
    const deadline = baghdadLocal(10);
    const res = await post(
      `/en/console/campaigns/${draft.id}`,
      formFields({ title_en: 'Edited title', kind: 'petition', goal: '', endsAt: deadline.local, title_ar: '', summary_ar: '', body_ar: '', slug: 'edited-slug' }),
    );
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/en/console/campaigns/${draft.id}?done=saved`);
    expect(await read(draft.id)).toMatchObject({ title: 'Edited title', kind: 'petition', goal: null, endsAt: deadline.iso, timeZone: 'Asia/Baghdad', translations: {}, slug: 'edited-slug' });
    const after = await get(res.headers.location);
    expect(after.text).toContain(`<p class="notice" role="status" id="notice">${en.saved}</p>`);
    // Cleared again: no deadline, the platform's zone.
    await post(`/en/console/campaigns/${draft.id}`, formFields({ title_en: 'Edited title', endsAt: '', timeZone: '', slug: 'edited-slug' })).expect(303);
    expect(await read(draft.id)).toMatchObject({ endsAt: null, timeZone: null });
  });

  it('keeps errors of an edit beside the fields, and never changes the campaign', async () => {
    const draft = await createCampaign(t, org.token, { title: 'Stays as it is' });
    const res = await post(`/ar/console/campaigns/${draft.id}`, formFields({ title_en: 'x', goal: '0' }));
    expect(res.status).toBe(400);
    expect(res.text).toContain(`<p class="field-error" id="f-title-en-error">${ar.errorTitle}</p>`);
    expect(res.text).toContain(`<p class="field-error" id="f-goal-error">${ar.errorGoal}</p>`);
    expect(res.text).toContain('value="x"');
    // The service's own rule (as the API answers it, once the fields are well-formed): the deadline is in the past.
    const past = baghdadLocal(-2);
    const late = await post(`/ar/console/campaigns/${draft.id}`, formFields({ title_en: 'Changed in vain', endsAt: past.local }));
    expect(late.status).toBe(400);
    expect(late.text).toContain(`<p class="field-error" id="f-ends-at-error">${ar.errorEndsAtPast}</p>`);
    expect(late.text).toContain(`value="${past.local}"`);
    expect(late.text).toContain('value="Changed in vain"');
    expect((await read(draft.id)).title).toBe('Stays as it is');
  });

  it('locks kind and slug once published, and keeps a passed deadline when it is not edited', async () => {
    const live = await createLiveCampaign(t, org.token, { title: 'Live and locked', endsAt: new Date(Date.now() + DAY_MS).toISOString() });
    const page = (await get(`/en/console/campaigns/${live.id}`)).text;
    expect(page).not.toContain('name="slug"');
    expect(page).not.toContain('name="kind"');
    expect(page).toContain(en.slugLocked);
    expect(page).toContain(en.kindLocked);
    // The deadline passes (as the sweep would find it), then the organiser fixes a typo.
    await t.db.query(`UPDATE campaigns SET ends_at = now() - interval '1 hour', status = 'closed', closed_at = now() WHERE id = $1`, [live.id]);
    const closedPage = (await get(`/en/console/campaigns/${live.id}`)).text;
    const endsAt = /name="endsAt" type="datetime-local" class="short" value="([^"]+)"/.exec(closedPage)![1];
    const zone = /<option value="([^"]*)" selected>/.exec(closedPage.slice(closedPage.indexOf('id="f-time-zone"')))![1];
    const res = await post(
      `/en/console/campaigns/${live.id}`,
      formFields({ kind: 'urgent_action', slug: 'hijack', title_en: 'Live and locked, fixed', title_ar: '', summary_ar: '', body_ar: '', endsAt, timeZone: zone }),
    );
    expect(res.status).toBe(303);
    expect(await read(live.id)).toMatchObject({ title: 'Live and locked, fixed', kind: 'petition', slug: live.slug });
  });

  it('previews the public page of a draft as it will look once published: marked, noindex, its sign form inert', async () => {
    const draft = await createCampaign(t, org.token, {
      kind: 'urgent_action',
      title: 'Preview this draft',
      body: 'Draft text with **strength**.',
      endsAt: new Date(Date.now() + 3 * DAY_MS).toISOString(),
      translations: { ar: { title: 'عاين هذه المسودة', summary: 'ملخص المسودة', body: 'نص المسودة' } },
    });
    for (const locale of ['en', 'ar'] as const) {
      const s = CONSOLE_CAMPAIGN_STRINGS[locale];
      const res = await get(`/${locale}/console/campaigns/${draft.id}/preview`);
      expect(res.status).toBe(200);
      expect(res.headers['x-robots-tag']).toBe('noindex');
      expect(res.headers['cache-control']).toBe('no-store');
      const page = res.text;
      expect(page).toContain(`<strong>${s.previewBannerDraft}</strong>`);
      expect(page).toContain('<div class="public-preview" inert>');
      // The public page's own template: title, the body rendered, the deadline, the sign form.
      expect(page).toContain(locale === 'en' ? '<h1>Preview this draft</h1>' : '<h1>عاين هذه المسودة</h1>');
      if (locale === 'en') expect(page).toContain('<strong>strength</strong>');
      expect(page).toContain('<p class="deadline">');
      expect(page).toContain('<form id="sign" class="sign" method="post"');
      expect(page).toContain(`action="/${locale}/console/campaigns/${draft.id}/preview"`);
      // No count polling (the draft has no public count).
      expect(page).not.toContain('data-slug=');
    }
    // Nothing public yet.
    expect((await t.http().get(`/en/c/${draft.slug}`)).status).toBe(404);
    // The form inside goes nowhere: there is no such post.
    const sent = await post(`/en/console/campaigns/${draft.id}/preview`, { name: 'x' });
    expect(sent.status).toBe(404);
    expect(await t.db.query(`SELECT 1 FROM signatures WHERE campaign_id = $1`, [draft.id])).toHaveLength(0);
  });

  describe('status changes', () => {
    let id: string;
    let slug: string;

    beforeAll(async () => {
      const created = await createCampaign(t, org.token, {
        kind: 'urgent_action',
        title: 'Status journey',
        endsAt: new Date(Date.now() + 2 * DAY_MS).toISOString(),
        timeZone: 'Asia/Baghdad',
      });
      id = created.id;
      slug = created.slug;
    });

    const status = (action: string, locale = 'en') => `/${locale}/console/campaigns/${id}/status/${action}`;

    it('asks before publishing, saying what will happen, then publishes and says so', async () => {
      const confirm = await get(status('publish'));
      expect(confirm.status).toBe(200);
      expect(confirm.text).toContain(`<h1><bdi>${en.confirmHeading.publish.replace('{title}', 'Status journey')}</bdi></h1>`);
      expect(confirm.text).toContain(en.confirmText.publish.replace('{url}', `/en/c/${slug}`));
      expect(confirm.text).toMatch(/Signing stops on [^<]*GMT\+3\./);
      expect(confirm.text).toContain(`<button type="submit">${en.confirmYes.publish}</button>`);
      expect(confirm.text).toContain(`<a class="cancel" href="/en/console/campaigns/${id}">`);
      expect((await read(id)).status).toBe('draft');

      const res = await post(status('publish'), {});
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(`/en/console/campaigns/${id}?done=publish`);
      expect((await read(id)).status).toBe('live');
      const page = (await get(res.headers.location)).text;
      expect(page).toContain(`<p class="notice" role="status" id="notice">${en.done.publish}</p>`);
      expect(page).toContain(`href="/en/c/${slug}"`);
      expect(page).toContain(`href="/en/console/campaigns/${id}/status/close"`);
      expect(page).toContain(`href="/en/console/campaigns/${id}/status/win"`);
      expect(page).not.toContain('/status/publish"');
      expect(page).not.toContain('/status/reopen"');
      const audit = await t.db.query(`SELECT action FROM audit_events WHERE campaign_id = $1 ORDER BY at`, [id]);
      expect(audit.map((r: { action: string }) => r.action)).toEqual(['campaign.publish']);
    });

    it('refuses an action that is not valid for the status, in the page language with its code', async () => {
      for (const locale of ['en', 'ar'] as const) {
        const s = CONSOLE_CAMPAIGN_STRINGS[locale];
        const shown = await get(status('reopen', locale));
        expect(shown.status).toBe(409);
        expect(shown.text).toContain(s.refusedTransition.replace('{status}', s.status.live));
        expect(shown.text).toContain('<code>CAMPAIGN_INVALID_TRANSITION</code>');
        expect(shown.text).not.toContain('<form class="console status-form"');
        const posted = await post(status('publish', locale), {});
        expect(posted.status).toBe(409);
        expect(posted.text).toContain('<code>CAMPAIGN_INVALID_TRANSITION</code>');
      }
      expect((await read(id)).status).toBe('live');
    });

    it('closes, then refuses to reopen past the deadline with a clear sentence, then reopens once the deadline is later', async () => {
      expect((await get(status('close'))).text).toContain(en.confirmText.close);
      const closed = await post(status('close'), {});
      expect(closed.status).toBe(303);
      expect((await read(id)).status).toBe('closed');

      await t.db.query(`UPDATE campaigns SET ends_at = now() - interval '1 hour' WHERE id = $1`, [id]);
      // The confirmation page says it before the organiser tries, with no button that would fail.
      const told = await get(status('reopen', 'ar'));
      expect(told.status).toBe(409);
      expect(told.text).toContain(`${ar.refusedDeadline} (${CONSOLE_STRINGS.ar.errorCode}: <code>CAMPAIGN_DEADLINE_PASSED</code>)`);
      expect(told.text).not.toContain('<form class="console status-form"');
      for (const locale of ['en', 'ar'] as const) {
        const s = CONSOLE_CAMPAIGN_STRINGS[locale];
        const refused = await post(status('reopen', locale), {});
        expect(refused.status).toBe(409);
        expect(refused.text).toContain(`${s.refusedDeadline} (${CONSOLE_STRINGS[locale].errorCode}: <code>CAMPAIGN_DEADLINE_PASSED</code>)`);
        expect(refused.text).toContain('role="alert" id="refusal"');
      }
      expect((await read(id)).status).toBe('closed');

      // The organiser sets a later deadline in the form, then reopens.
      const later = baghdadLocal(4);
      await post(`/en/console/campaigns/${id}`, formFields({ title_en: 'Status journey', title_ar: '', summary_ar: '', body_ar: '', endsAt: later.local })).expect(303);
      expect((await read(id)).endsAt).toBe(later.iso);
      const reopened = await post(status('reopen'), {});
      expect(reopened.status).toBe(303);
      expect(reopened.headers.location).toBe(`/en/console/campaigns/${id}?done=reopen`);
      expect((await read(id)).status).toBe('live');
    });

    it('marks it won with its outcome, keeping a too-long outcome with its error first', async () => {
      const confirm = await get(status('win', 'ar'));
      expect(confirm.text).toContain(`<label for="f-outcome">${ar.fieldOutcome}</label>`);
      const tooLong = 'ن'.repeat(201);
      const refused = await post(status('win', 'ar'), { outcome: tooLong });
      expect(refused.status).toBe(400);
      expect(refused.text).toContain(`<p class="field-error" id="f-outcome-error">${ar.errorOutcome}</p>`);
      expect(refused.text).toContain(`value="${tooLong}"`);
      expect((await read(id)).status).toBe('live');

      const won = await post(status('win', 'ar'), { outcome: '  أُطلق سراحه  ' });
      expect(won.status).toBe(303);
      expect(await read(id)).toMatchObject({ status: 'won', outcome: 'أُطلق سراحه' });
      const page = (await get(won.headers.location)).text;
      expect(page).toContain(ar.done.win);
      expect(page).toContain(ar.noActions);
      expect(page).not.toContain('/status/');
      const publicPage = await t.http().get(`/en/c/${slug}`);
      expect(publicPage.text).toContain('أُطلق سراحه');
    });
  });

  it('refuses every post without the CSRF token, changing nothing', async () => {
    const draft = await createCampaign(t, org.token, { title: 'CSRF target' });
    const paths: [string, Record<string, string>][] = [
      ['/en/console/campaigns/new', formFields()],
      [`/en/console/campaigns/${draft.id}`, formFields({ title_en: 'Hijacked' })],
      [`/en/console/campaigns/${draft.id}/status/publish`, {}],
      ['/en/console/campaigns/preview-text', { text: 'x' }],
    ];
    for (const [path, fields] of paths) {
      for (const token of ['', 'wrong-token']) {
        const res = await t.http().post(path).set(SAME_ORIGIN).set('Cookie', cookie).type(FORM).send({ ...fields, csrf: token });
        expect(res.status).toBe(403);
        expect(res.text).toContain('CONSOLE_CSRF_INVALID');
      }
      // The right token from another site.
      const crossSite = await t.http().post(path).set({ 'sec-fetch-site': 'cross-site' }).set('Cookie', cookie).type(FORM).send({ ...fields, csrf });
      expect(crossSite.status).toBe(403);
    }
    expect(await read(draft.id)).toMatchObject({ title: 'CSRF target', status: 'draft' });
  });

  it("answers 404 for another organisation's campaign on every URL, never showing it or changing it", async () => {
    const theirs = await createCampaign(t, org.token, { title: 'Not for the other coalition', translations: { ar: { title: 'ليست للتحالف الآخر', summary: 'م', body: 'ن' } } });
    const urls = [
      `/en/console/campaigns/${theirs.id}`,
      `/ar/console/campaigns/${theirs.id}`,
      `/en/console/campaigns/${theirs.id}/preview`,
      `/ar/console/campaigns/${theirs.id}/preview`,
      ...['publish', 'close', 'win', 'reopen'].map((a) => `/en/console/campaigns/${theirs.id}/status/${a}`),
    ];
    for (const url of urls) {
      const res = await get(url, otherCookie);
      expect(res.status).toBe(404);
      expect(res.text).not.toContain('Not for the other coalition');
      expect(res.text).not.toContain('ليست للتحالف الآخر');
      expect(res.text).not.toContain(theirs.slug);
    }
    const posts: [string, Record<string, string>][] = [
      [`/en/console/campaigns/${theirs.id}`, formFields({ title_en: 'Taken over' })],
      ...['publish', 'close', 'win', 'reopen'].map((a): [string, Record<string, string>] => [`/en/console/campaigns/${theirs.id}/status/${a}`, { outcome: 'x' }]),
    ];
    for (const [url, fields] of posts) {
      const res = await post(url, fields, otherCookie, otherCsrf);
      expect(res.status).toBe(404);
      expect(res.text).not.toContain('Not for the other coalition');
    }
    expect(await read(theirs.id)).toMatchObject({ title: 'Not for the other coalition', status: 'draft' });
  });

  it('answers 404 for unknown and malformed ids and unknown actions, and sends a signed-out visitor to the login page', async () => {
    const mine = await createCampaign(t, org.token, { title: 'Mine for bad actions' });
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid', "1' OR '1'='1", '%E2%80%AE', 'x'.repeat(500)]) {
      for (const suffix of ['', '/preview', '/status/publish']) {
        const res = await get(`/en/console/campaigns/${id}${suffix}`);
        expect(res.status).toBe(404);
      }
      expect((await post(`/en/console/campaigns/${id}`, formFields())).status).toBe(404);
      expect((await post(`/en/console/campaigns/${id}/status/close`, {})).status).toBe(404);
    }
    for (const action of ['delete', 'PUBLISH', 'win%00', '..']) {
      const res = await get(`/en/console/campaigns/${mine.id}/status/${action}`);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
    }
    expect((await post(`/en/console/campaigns/${mine.id}/status/delete`, {})).status).toBe(404);
    for (const path of ['/en/console/campaigns/new', `/ar/console/campaigns/${mine.id}`, `/en/console/campaigns/${mine.id}/preview`, `/ar/console/campaigns/${mine.id}/status/publish`]) {
      const res = await t.http().get(path);
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(path.startsWith('/ar') ? '/ar/console/login' : '/en/console/login');
    }
  });

  it('answers hostile input with a 4xx, never a 500, and stores nothing from it', async () => {
    const mine = await createCampaign(t, org.token, { title: 'Hostile target' });
    const hostile: Record<string, string>[] = [
      formFields({ title_en: 'x'.repeat(100_000).slice(0, 30_000) }),
      formFields({ body_en: 'b'.repeat(30_000) }),
      formFields({ locale: 'fr' }),
      formFields({ locale: '' }),
      formFields({ kind: 'referendum' }),
      formFields({ goal: '99999999999999999999' }),
      formFields({ goal: '-5' }),
      formFields({ goal: '1e3' }),
      formFields({ endsAt: '9999-99-99T99:99' }),
      formFields({ endsAt: '2030-01-01T10:00', timeZone: '+03:00' }),
      formFields({ endsAt: '2030-01-01T10:00', timeZone: '../../etc/passwd' }),
      formFields({ slug: '-'.repeat(300) }),
      formFields({ slug: 'a\u202eb' }),
      formFields({ title_en: '{{constructor.constructor}}', slug: '__proto__' }),
      // One letter over the body's 20,000 (400), and a form over six times BODY_LIMIT_BYTES (413).
      formFields({ body_ar: 'ن'.repeat(20_001) }),
      formFields({ body_ar: 'ن'.repeat(110_000) }),
    ];
    for (const fields of hostile) {
      for (const path of ['/en/console/campaigns/new', `/ar/console/campaigns/${mine.id}`]) {
        const res = await post(path, fields);
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
      }
    }
    // Arrays for fields (a repeated name), and a NUL byte.
    const repeated = await t.http().post('/en/console/campaigns/new').set(SAME_ORIGIN).set('Cookie', cookie).type(FORM).send(`csrf=${encodeURIComponent(csrf)}&title_en=a&title_en=b&locale=en&locale=ar`);
    expect(repeated.status).toBe(400);
    const nul = await t.http().post('/en/console/campaigns/new').set(SAME_ORIGIN).set('Cookie', cookie).type(FORM).send(`csrf=${encodeURIComponent(csrf)}&title_en=a%00b`);
    expect(nul.status).toBe(400);
    const outcome = await post(`/en/console/campaigns/${mine.id}/status/win`, { outcome: '\u202e'.repeat(5000) });
    expect(outcome.status).toBeGreaterThanOrEqual(400);
    expect(outcome.status).toBeLessThan(500);
    expect(await read(mine.id)).toMatchObject({ title: 'Hostile target', status: 'draft' });
    const stored = await t.db.query(`SELECT count(*)::int AS n FROM campaigns WHERE slug IN ('__proto__') OR title LIKE 'xxxx%' OR title = '{{constructor.constructor}}'`);
    expect(stored[0].n).toBe(0);
  });

  it('is in Arabic with no English word outside the campaign data, the zone names and the formatting examples', async () => {
    const draft = await createCampaign(t, org.token, { locale: 'ar', title: 'حملة عربية فقط', summary: 'ملخص', body: 'نص' });
    for (const path of [`/ar/console/campaigns/${draft.id}`, '/ar/console/campaigns/new', `/ar/console/campaigns/${draft.id}/status/publish`, `/ar/console/campaigns/${draft.id}/preview`]) {
      const page = (await get(path)).text;
      const text = unescape(
        page
          .replace(/<head>[\s\S]*?<\/head>/, '')
          .replace(/<select[\s\S]*?<\/select>/g, '')
          .replace(/<code[^>]*>[\s\S]*?<\/code>/g, '')
          .replace(/<a [^>]*dir="ltr"[^>]*>[^<]*<\/a>/g, '')
          .replace(/<bdi dir="ltr">[^<]*<\/bdi>/g, '')
          .replace(/<[^>]+>/g, ' ')
          .replace(/Nida|English|Coalition \w+/g, ''),
      ).replace(/\/ar\/c\/\S+/g, '');
      expect(text).not.toMatch(/[A-Za-z]{2,}/);
    }
  });
});
