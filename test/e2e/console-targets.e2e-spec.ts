import { createTransport } from 'nodemailer';
import { LETTER_PLACEHOLDERS } from '../../src/common/letter-template';
import { CONSOLE_TARGETS_STRINGS } from '../../src/modules/pages/console-targets-strings';
import { createLiveCampaign, createOrganiserWithOrganisation, OrganiserLogin } from '../support/factories';
import { dsn } from '../support/dsn';
import { freePort } from '../support/processes';
import { signAndConfirm } from '../support/signing';
import { SmtpSink } from '../support/smtp-sink';
import { createTestApp, TestApp } from '../support/test-app';
import { waitUntil } from '../support/wait';

const FORM = 'application/x-www-form-urlencoded';
const SAME_ORIGIN = { 'sec-fetch-site': 'same-origin' };
const PASSWORD = 'a-long-enough-password';
const EN = CONSOLE_TARGETS_STRINGS.en;
const AR = CONSOLE_TARGETS_STRINGS.ar;
const AR_DIGITS = /[٠-٩]/;

type Fields = Record<string, string | string[]>;

/** A urlencoded body as a browser sends it (repeated names for checkboxes). */
function encode(fields: Fields): string {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) for (const v of [value].flat()) body.append(name, v);
  return body.toString();
}

/** What the browser shows of escaped text (the entities Handlebars writes). */
const unescape = (s: string) =>
  s.replace(/&(lt|gt|quot|#x27|#x60|#x3D|amp);/g, (_, e: string) => ({ lt: '<', gt: '>', quot: '"', '#x27': "'", '#x60': '`', '#x3D': '=', amp: '&' })[e]!);

/** The console's officials, letter and letters pages (issue 12, item 4), through HTTP as a browser without JavaScript uses them. */
describe('console officials and letters (e2e)', () => {
  let t: TestApp;
  let org: OrganiserLogin;
  let other: OrganiserLogin;
  let cookie: string;
  let otherCookie: string;
  let bouncePort: number;
  const smtp = new SmtpSink();
  /** An Arabic campaign with an English translation and a per-supporter letter. */
  let campaign: { id: string; slug: string };

  async function signIn(email: string): Promise<string> {
    const page = await t.http().get('/en/console/login');
    const login = [page.headers['set-cookie']].flat().find((c: string) => c?.startsWith('nida_login='))!.split(';')[0];
    const csrf = /name="csrf" value="([^"]+)"/.exec(page.text)![1];
    const res = await t.http().post('/en/console/login').set(SAME_ORIGIN).set('Cookie', login).type(FORM).send({ csrf, email, password: PASSWORD });
    expect(res.status).toBe(303);
    return [res.headers['set-cookie']].flat().find((c: string) => c?.startsWith('nida_session='))!.split(';')[0];
  }

  const get = (path: string, session = cookie) => t.http().get(path).set('Cookie', session);
  async function csrfOf(session = cookie): Promise<string> {
    const page = await get('/en/console/password', session);
    return /name="csrf" value="([^"]+)"/.exec(page.text)![1];
  }
  async function post(path: string, fields: Fields, session = cookie, withCsrf = true) {
    const csrf = withCsrf ? await csrfOf(session) : undefined;
    return t.http().post(path).set(SAME_ORIGIN).set('Cookie', session).type(FORM).send(encode({ ...(csrf ? { csrf } : {}), ...fields }));
  }
  const api = (login: OrganiserLogin) => ({ Authorization: `Bearer ${login.token}` });
  const page = (locale: string, id: string, sub: string) => `/${locale}/console/campaigns/${id}/${sub}`;
  const targetsOf = async (id: string) => (await t.http().get(`/api/v1/campaigns/${id}/targets`).set(api(org)).expect(200)).body as { id: string; name: string; [k: string]: unknown }[];
  const fieldError = (html: string, id: string) => {
    const found = new RegExp(`<p class="field-error" id="${id}-error"[^>]*>([^<]*)</p>`).exec(html);
    return found ? unescape(found[1]) : undefined;
  };
  const valueOf = (html: string, id: string) => unescape(new RegExp(`<input id="${id}"[^>]* value="([^"]*)"`).exec(html)?.[1] ?? '<none>');

  const window = { timeZone: 'Asia/Baghdad', start: '08:00', end: '15:00', days: ['7', '1', '2', '3', '4'] };
  const targetFields = (over: Fields = {}): Fields => ({
    name: 'Minister of Water Resources',
    email: 'Minister@Water.example.org',
    title: 'Minister',
    organisation: 'Ministry of Water Resources',
    locale: 'ar',
    country: 'IQ',
    windowOn: 'on',
    ...window,
    ...over,
  });

  async function addTarget(id: string, fields: Fields): Promise<string> {
    const before = new Set((await targetsOf(id)).map((x) => x.id));
    const res = await post(page('en', id, 'targets'), fields);
    expect(res.status).toBe(303);
    return (await targetsOf(id)).find((x) => !before.has(x.id))!.id;
  }

  beforeAll(async () => {
    bouncePort = await freePort();
    t = await createTestApp({
      SMTP_URL: await smtp.start(),
      MAIL_FROM: 'Nida <letters@nida.test>',
      LETTER_DISPATCH_INTERVAL_MS: '100',
      BOUNCE_SMTP_PORT: String(bouncePort),
      BOUNCE_SMTP_HOST: '127.0.0.1',
      BOUNCE_SUPPRESS_AFTER: '1',
    });
    org = await createOrganiserWithOrganisation(t);
    other = await createOrganiserWithOrganisation(t);
    const created = await createLiveCampaign(t, org.token, {
      locale: 'ar',
      title: 'أنقذوا الأهوار من الجفاف',
      summary: 'ملخص',
      body: 'نص',
      translations: { en: { title: 'Save the marshes from drought', summary: 's', body: 'b' } },
      letter: { mode: 'per_signature', subject: 'رسالة من {{supporter.name}}', body: 'حضرة {{target.name}}،\n\nنحن {{count}} موقّعاً.' },
    });
    campaign = { id: created.id, slug: created.slug };
    cookie = await signIn(org.email);
    otherCookie = await signIn(other.email);
  }, 60000);

  afterAll(async () => {
    await t?.close();
    await smtp.stop();
  });

  describe('officials', () => {
    it('adds an official with a sending window, exactly as the API takes it, and lists it in both languages', async () => {
      const empty = await get(page('en', campaign.id, 'targets'));
      expect(empty.status).toBe(200);
      expect(empty.text).toContain(EN.noTargets);
      expect(empty.text).toContain('aria-current="page"');

      const res = await post(page('en', campaign.id, 'targets'), targetFields());
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(`${page('en', campaign.id, 'targets')}?done=added`);
      const [target] = await targetsOf(campaign.id);
      expect(target).toMatchObject({
        name: 'Minister of Water Resources',
        email: 'minister@water.example.org',
        title: 'Minister',
        organisation: 'Ministry of Water Resources',
        locale: 'ar',
        country: 'IQ',
        emailPublic: false,
        sendingWindow: { timeZone: 'Asia/Baghdad', start: '08:00', end: '15:00', days: [1, 2, 3, 4, 7] },
        suppressedAt: null,
      });

      const en = (await get(res.headers.location)).text;
      expect(en).toContain(EN.targetAdded);
      const row = /<tr><th scope="row"><a href="([^"]+)">Minister of Water Resources<\/a><\/th>(.*?)<\/tr>/.exec(en)!;
      expect(row[1]).toBe(`/en/console/campaigns/${campaign.id}/targets/${target.id}`);
      expect(row[2]).toContain('Minister · Ministry of Water Resources');
      expect(row[2]).toContain(`<td>${EN.language.ar}</td>`);
      expect(row[2]).toContain('Mon, Tue, Wed, Thu, Sun, 08:00–15:00 (Asia/Baghdad)');
      expect(row[2]).toContain(`<td>${EN.no}</td>`);
      expect(row[2]).toContain(EN.active);
      expect(row[2]).toContain('<td class="num bounces">0</td>');

      const ar = (await get(page('ar', campaign.id, 'targets'))).text;
      expect(ar).toContain('<html lang="ar" dir="rtl">');
      expect(ar).toContain('٠٨:٠٠–١٥:٠٠ (Asia/Baghdad)');
      expect(ar).toContain('<td class="num bounces">٠</td>');
      expect(ar).toContain(AR.language.ar);
      const words = ar
        .replace(/<head>[\s\S]*?<\/head>/, '')
        .replace(/<select id="f-country"[\s\S]*?<\/select>/, '')
        .replace(/<[^>]+>/g, ' ')
        .replace(/Nida|English|Asia\/Baghdad|Europe\/Paris|Minister of Water Resources|Minister|Ministry of Water Resources/g, '');
      expect(words).not.toMatch(/[A-Za-z]{2,}/);
    });

    it('keeps what was typed and shows each error beside its field, in the summary too', async () => {
      const before = (await targetsOf(campaign.id)).length;
      const res = await post(
        page('en', campaign.id, 'targets'),
        targetFields({ name: '  ', email: 'not-an-address', timeZone: 'Mars/Olympus_Mons', start: '25:00', end: '16:00', days: [] }),
      );
      expect(res.status).toBe(400);
      const html = res.text;
      expect(html).toContain('id="error-summary"');
      expect(fieldError(html, 'f-name')).toBe(EN.errName);
      expect(fieldError(html, 'f-email')).toBe(EN.errTargetEmail);
      expect(fieldError(html, 'f-zone')).toBe(EN.errTimeZone);
      expect(fieldError(html, 'f-start')).toBe(EN.errStart);
      expect(fieldError(html, 'f-days')).toBe(EN.errDays);
      expect(html).toContain(`<a href="#f-email">${EN.errTargetEmail}</a>`);
      expect(valueOf(html, 'f-email')).toBe('not-an-address');
      expect(valueOf(html, 'f-zone')).toBe('Mars/Olympus_Mons');
      expect(valueOf(html, 'f-title')).toBe('Minister');
      expect(html).toMatch(/<input id="f-window" name="windowOn" type="checkbox" value="on" checked>/);
      expect(html).toMatch(/<option value="IQ" selected>/);

      // The end before the start, and a zone Node knows but PostgreSQL does not (the service's own check).
      const order = await post(page('en', campaign.id, 'targets'), targetFields({ start: '15:00', end: '08:00' }));
      expect(order.status).toBe(400);
      expect(fieldError(order.text, 'f-end')).toBe(EN.errEndBefore);
      const unknown = await post(page('ar', campaign.id, 'targets'), targetFields({ timeZone: 'US/Pacific-New' }));
      expect(unknown.status).toBe(400);
      expect(fieldError(unknown.text, 'f-zone')).toBe(AR.errTimeZoneUnknown);
      expect(valueOf(unknown.text, 'f-zone')).toBe('US/Pacific-New');
      expect((await targetsOf(campaign.id)).length).toBe(before);
    });

    it('edits an official: language, public address and no sending window any more', async () => {
      const id = await addTarget(campaign.id, targetFields({ name: 'Governor of Basra', email: 'governor@basra.example.org' }));
      const path = page('en', campaign.id, `targets/${id}`);
      const form = (await get(path)).text;
      expect(valueOf(form, 'f-name')).toBe('Governor of Basra');
      expect(valueOf(form, 'f-zone')).toBe('Asia/Baghdad');
      expect(valueOf(form, 'f-start')).toBe('08:00');
      expect(form).toMatch(/id="f-day-7" name="days" type="checkbox" value="7" checked/);
      expect(form).toMatch(/id="f-day-5" name="days" type="checkbox" value="5">/);

      const bad = await post(path, { name: 'Governor of Basra', email: 'governor@basra.example.org', locale: 'fr', title: '', organisation: '', country: '' });
      expect(bad.status).toBe(400);
      expect(fieldError(bad.text, 'f-locale')).toBe(EN.errLocale);

      const res = await post(path, { name: 'Governor of Basra Province', email: 'governor@basra.example.org', title: '', organisation: 'Basra', locale: 'en', country: '', emailPublic: 'on' });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(`${path}?done=saved`);
      const target = (await targetsOf(campaign.id)).find((x) => x.id === id)!;
      expect(target).toMatchObject({ name: 'Governor of Basra Province', title: null, organisation: 'Basra', locale: 'en', country: null, emailPublic: true, sendingWindow: null });
      expect((await get(res.headers.location)).text).toContain(EN.targetSaved);
    });

    it('removes an official only after the confirmation step', async () => {
      const id = await addTarget(campaign.id, targetFields({ name: 'Official to remove', email: 'remove@example.org', windowOn: [] }));
      const detail = (await get(page('en', campaign.id, `targets/${id}`))).text;
      expect(detail).toContain(`href="/en/console/campaigns/${campaign.id}/targets/${id}/remove"`);
      const confirm = await get(page('en', campaign.id, `targets/${id}/remove`));
      expect(confirm.status).toBe(200);
      expect(confirm.text).toContain(EN.removeHeading);
      expect(confirm.text).toContain(`action="/en/console/campaigns/${campaign.id}/targets/${id}/remove"`);
      expect((await targetsOf(campaign.id)).some((x) => x.id === id)).toBe(true);

      const res = await post(page('en', campaign.id, `targets/${id}/remove`), {});
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(`${page('en', campaign.id, 'targets')}?done=removed`);
      expect((await targetsOf(campaign.id)).some((x) => x.id === id)).toBe(false);
      expect((await get(res.headers.location)).text).toContain(EN.targetRemoved);
      expect((await get(page('en', campaign.id, `targets/${id}`))).status).toBe(404);
      expect((await post(page('en', campaign.id, `targets/${id}/remove`), {})).status).toBe(404);
    });

    it('records a reply with the API rules (a day not after today in the campaign zone), keeping what was typed', async () => {
      const [target] = await targetsOf(campaign.id);
      const path = page('en', campaign.id, `targets/${target.id}`);
      const future = await post(`${path}/replies`, { receivedOn: '2999-01-01', summary: 'Promised an inquiry.', publicText: '' });
      expect(future.status).toBe(400);
      expect(fieldError(future.text, 'f-received')).toBe(EN.errReceivedFuture);
      expect(valueOf(future.text, 'f-received')).toBe('2999-01-01');
      expect(future.text).toContain('>Promised an inquiry.</textarea>');
      const malformed = await post(`${path}/replies`, { receivedOn: '2026-02-30', summary: '' });
      expect(malformed.status).toBe(400);
      expect(fieldError(malformed.text, 'f-received')).toBe(EN.errReceivedOn);
      expect(fieldError(malformed.text, 'f-summary')).toBe(EN.errSummary);

      const res = await post(`${path}/replies`, { receivedOn: '2026-11-20', summary: 'Promised an inquiry; nothing concrete.', publicText: 'The minister promised an inquiry.' });
      expect(res.status).toBe(303);
      const replies = (await t.http().get(`/api/v1/campaigns/${campaign.id}/targets/${target.id}/replies`).set(api(org)).expect(200)).body;
      expect(replies).toEqual([expect.objectContaining({ receivedOn: '2026-11-20', summary: 'Promised an inquiry; nothing concrete.', publicText: 'The minister promised an inquiry.' })]);
      const shown = (await get(res.headers.location.replace(/#.*$/, ''))).text;
      expect(shown).toContain(EN.replyRecorded);
      expect(shown).toContain('20 November 2026');
      expect(shown).toContain('Promised an inquiry; nothing concrete.');
      expect((await get(page('ar', campaign.id, `targets/${target.id}`))).text).toContain('٢٠ نوفمبر ٢٠٢٦');
      const pub = (await t.http().get(`/api/v1/campaigns/${encodeURIComponent(campaign.slug)}`).expect(200)).body;
      expect(pub.targets.find((x: { name: string }) => x.name === 'Minister of Water Resources')).toMatchObject({ replyStatus: 'replied' });
    });
  });

  describe('the letter', () => {
    let arTarget: string;
    let enTarget: string;
    beforeAll(async () => {
      const targets = await targetsOf(campaign.id);
      arTarget = targets.find((x) => x.locale === 'ar')!.id;
      enTarget = targets.find((x) => x.locale === 'en')!.id;
    });

    it('lists the letters module\'s own placeholders and the mode, in the campaign\'s language first', async () => {
      const html = (await get(page('en', campaign.id, 'letter'))).text;
      const codes = [...html.matchAll(/<dt><code dir="ltr">([^<]+)<\/code><\/dt>/g)].map((m) => unescape(m[1]));
      expect(codes).toEqual(LETTER_PLACEHOLDERS.map((p) => `{{${p}}}`));
      expect(html).toMatch(/id="f-mode-per_signature" name="mode" type="radio" value="per_signature" checked/);
      expect(html.indexOf('id="f-subject-ar"')).toBeLessThan(html.indexOf('id="f-subject-en"'));
      expect(valueOf(html, 'f-subject-ar')).toBe('رسالة من {{supporter.name}}');
    });

    it('saves the mode and the letter in both languages, and previews it for an Arabic and an English official in their language', async () => {
      // No English letter yet: the English official would get the Arabic one, and the page says so.
      const fellBack = (await get(`${page('en', campaign.id, 'letter')}?target=${enTarget}`)).text;
      expect(fellBack).toContain(EN.previewFellBack.replace('{wanted}', 'English').replace('{used}', 'Arabic'));
      expect(fellBack).toMatch(/<div class="letter-sheet" lang="ar" dir="rtl"/);

      const res = await post(page('en', campaign.id, 'letter'), {
        mode: 'digest',
        subject_ar: 'رسالة بشأن {{campaign.title}}',
        body_ar: 'حضرة {{target.name}}،\n\nنحن {{count}} موقّعاً.',
        subject_en: 'A letter about {{campaign.title}}',
        body_en: 'Dear {{target.name}},\n\nWe are {{count}} signatories.',
        action: 'save',
      });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(`${page('en', campaign.id, 'letter')}?done=saved`);
      const letter = (await t.http().get(`/api/v1/campaigns/${campaign.id}/letter`).set(api(org)).expect(200)).body;
      expect(letter).toMatchObject({
        mode: 'digest',
        subject: 'رسالة بشأن {{campaign.title}}',
        translations: { en: { subject: 'A letter about {{campaign.title}}', body: 'Dear {{target.name}},\n\nWe are {{count}} signatories.' } },
      });

      const ar = (await get(`${page('en', campaign.id, 'letter')}?target=${arTarget}&done=saved`)).text;
      expect(ar).toContain(EN.letterSaved);
      expect(ar).toMatch(/<div class="letter-sheet" lang="ar" dir="rtl"/);
      expect(ar).toContain('<strong id="preview-subject">رسالة بشأن أنقذوا الأهوار من الجفاف</strong>');
      expect(ar).toContain('حضرة Minister of Water Resources،');
      expect(ar).toContain('نحن ٠ موقّعاً.');

      const en = (await get(`${page('ar', campaign.id, 'letter')}?target=${enTarget}`)).text;
      expect(en).toMatch(/<div class="letter-sheet" lang="en" dir="ltr"/);
      expect(en).toContain('<strong id="preview-subject">A letter about Save the marshes from drought</strong>');
      expect(en).toContain('Dear Governor of Basra Province,');
      expect(en).not.toContain('id="preview-fellback"');
    });

    it('previews what was typed without saving it (the Preview button), and live through the JSON endpoint', async () => {
      const typed = {
        mode: 'per_signature',
        subject_ar: 'مسودة',
        body_ar: 'نص المسودة {{target.name}}',
        subject_en: 'Draft for {{target.name}}',
        body_en: 'Unsaved words, {{supporter.name}}.',
        previewTarget: enTarget,
      };
      const res = await post(page('en', campaign.id, 'letter'), { ...typed, action: 'preview' });
      expect(res.status).toBe(200);
      expect(res.text).toContain('<strong id="preview-subject">Draft for Governor of Basra Province</strong>');
      expect(res.text).toContain('Unsaved words, Layla Hassan.');
      expect(valueOf(res.text, 'f-subject-en')).toBe('Draft for {{target.name}}');
      expect(res.text).toMatch(/<option value="[^"]+" selected>Governor of Basra Province/);
      expect((await t.http().get(`/api/v1/campaigns/${campaign.id}/letter`).set(api(org)).expect(200)).body.mode).toBe('digest');

      const live = await post(page('ar', campaign.id, 'letter/preview'), { ...typed, previewTarget: arTarget });
      expect(live.status).toBe(200);
      expect(live.headers['content-type']).toMatch(/^application\/json/);
      expect(live.body).toMatchObject({ error: '', locale: 'ar', dir: 'rtl', subject: 'مسودة', text: 'نص المسودة Minister of Water Resources' });
      const noTarget = await post(page('en', campaign.id, 'letter/preview'), { ...typed, previewTarget: 'not-a-target' });
      expect(noTarget.status).toBe(400);
      expect(noTarget.body).toEqual({ error: EN.errPreviewTarget });
    });

    it('refuses an unknown placeholder or half a translation beside the field, keeping the text', async () => {
      const res = await post(page('ar', campaign.id, 'letter'), {
        mode: 'per_signature',
        subject_ar: 'رسالة',
        body_ar: 'حضرة {{target.nam}} {{constructor}}',
        subject_en: 'Only a subject',
        body_en: '',
        action: 'save',
      });
      expect(res.status).toBe(400);
      expect(fieldError(res.text, 'f-body-ar')).toBe(AR.errPlaceholder.replace('{list}', '{{target.nam}} {{constructor}}'));
      expect(fieldError(res.text, 'f-body-en')).toBe(AR.errBodyPair);
      expect(res.text).toContain('>حضرة {{target.nam}} {{constructor}}</textarea>');
      expect((await t.http().get(`/api/v1/campaigns/${campaign.id}/letter`).set(api(org)).expect(200)).body.mode).toBe('digest');
    });
  });

  describe('letters', () => {
    it('lists letters sent through the SMTP sink with a status filter, and shows a letter\'s history with its bounce', async () => {
      const sent = await createLiveCampaign(t, org.token, {
        title: 'Letters that really leave',
        letter: { mode: 'per_signature', subject: 'From {{supporter.name}}', body: 'Dear {{target.name}}' },
      });
      const targetId = await addTarget(sent.id, targetFields({ name: 'Desk officer', email: 'desk@un.example.org', locale: 'en', windowOn: [] }));
      await signAndConfirm(t, smtp, sent.slug, { name: 'Supporter One', email: 'supporter.one@example.org', country: 'IQ' });
      const [mail] = await smtp.waitFor('desk@un.example.org');
      await waitUntil(async () => (await t.db.query(`SELECT status FROM letters WHERE target_id = $1`, [targetId]))[0]?.status === 'sent');

      const table = (await get(page('en', sent.id, 'letters'))).text;
      const row = /<tr class="letter-row status-sent"><th scope="row"><a href="([^"]+)">Desk officer<\/a><\/th>(.*?)<\/tr>/.exec(table)!;
      expect(row).not.toBeNull();
      expect(row[2]).toContain(EN.letterStatus.sent);
      expect(table).not.toContain('supporter.one@example.org');
      expect((await get(`${page('en', sent.id, 'letters')}?status=queued`)).text).toContain(EN.noLetters);
      expect((await get(`${page('en', sent.id, 'letters')}?status=sent`)).text).toContain('status-sent');

      // The receiving server reports a hard bounce to the letter's own address.
      const transport = createTransport({ host: '127.0.0.1', port: bouncePort, ignoreTLS: true });
      await transport.sendMail({ envelope: { from: '', to: mail.envelope.from }, raw: dsn('5.1.1', 'failed', mail.envelope.from) });
      transport.close();
      await waitUntil(async () => (await t.db.query(`SELECT status FROM letters WHERE target_id = $1`, [targetId]))[0].status === 'bounced');

      const bounced = (await get(`${page('en', sent.id, 'letters')}?status=bounced`)).text;
      expect(bounced).toContain('status-bounced');
      expect((await get(`${page('en', sent.id, 'letters')}?status=sent`)).text).toContain(EN.noLetters);

      const history = await get(row[1]);
      expect(history.status).toBe(200);
      expect(history.text).toContain(`<h1 id="letter-heading">${EN.letterDetailHeading.replace('{name}', '<bdi>Desk officer</bdi>')}</h1>`);
      expect(history.text).toContain(EN.timesIn.split('{zone}')[0]);
      for (const event of [EN.evCreated, EN.evReleased, EN.evEnqueued, EN.evSent, EN.evBounced.replace('{status}', '5.1.1')]) expect(history.text).toContain(event);
      expect(history.text).toContain('1 attempt to send');
      expect(history.text).not.toContain('supporter.one@example.org');
      // Times in the campaign's zone (PAGE_TIME_ZONE here), in the page's language and digits.
      const [{ sent_at: sentAt }] = await t.db.query(`SELECT sent_at FROM letters WHERE target_id = $1`, [targetId]);
      const zone = t.env.PAGE_TIME_ZONE;
      const format = (locale: string) =>
        new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', timeZone: zone }).format(sentAt);
      expect(history.text).toContain(`<time datetime="${new Date(sentAt).toISOString()}">${format('en-GB')}</time>: ${EN.evSent}`);
      const ar = (await get(row[1].replace('/en/', '/ar/'))).text;
      expect(ar).toContain(`<time datetime="${new Date(sentAt).toISOString()}">${format('ar-u-nu-arab')}</time>: ${AR.evSent}`);
      expect(ar).toContain(AR.evSent);
      const times = [...ar.matchAll(/<time datetime="[^"]+">([^<]+)<\/time>/g)].map((m) => m[1]);
      expect(times.length).toBeGreaterThanOrEqual(4);
      for (const time of times) {
        expect(time).toMatch(AR_DIGITS);
        expect(time).not.toMatch(/[0-9]/);
      }

      // The official: suppressed after the bounce (BOUNCE_SUPPRESS_AFTER=1), with the bounce history.
      const official = (await get(page('en', sent.id, `targets/${targetId}`))).text;
      expect(official).toMatch(/<p class="suppressed" id="suppression">Letters to this address stopped on /);
      expect(official).toContain('<code dir="ltr">5.1.1</code>');
      const list = (await get(page('en', sent.id, 'targets'))).text;
      expect(list).toContain(`<td class="delivery suppressed">${EN.suppressed}</td><td class="num bounces">1</td>`);
    }, 30000);

    it('pages the table by keyset, keeping the filter, and refuses a cursor it did not give', async () => {
      const paged = await createLiveCampaign(t, org.token, { title: 'Many letters' });
      const targetId = await addTarget(paged.id, targetFields({ name: 'Busy official', email: 'busy@example.org', windowOn: [] }));
      await t.db.query(
        `WITH s AS (
           INSERT INTO signatures (campaign_id, email, email_hash, name, country, locale, status, verified_at)
           SELECT $1::uuid, 'plain:p-' || g || '@example.org', 'paged-' || g, 'plain:Supporter ' || g, 'IQ', 'en', 'verified', now()
             FROM generate_series(1, 55) g
           RETURNING id)
         INSERT INTO letters (campaign_id, target_id, signature_id, status, created_at)
         SELECT $1::uuid, $2::uuid, s.id, 'failed', now() - make_interval(secs => row_number() OVER ()) FROM s`,
        [paged.id, targetId],
      );
      const first = (await get(`${page('en', paged.id, 'letters')}?status=failed`)).text;
      expect([...first.matchAll(/class="letter-row/g)].length).toBe(50);
      const next = unescape(/<a href="([^"]+)" id="next-page"/.exec(first)![1]);
      expect(next).toMatch(/\?status=failed&cursor=/);
      const second = await get(next);
      expect(second.status).toBe(200);
      expect([...second.text.matchAll(/class="letter-row/g)].length).toBe(5);
      expect(second.text).not.toContain('id="next-page"');
      expect(second.text).toContain('id="first-page"');
      const firstIds = new Set([...first.matchAll(/letters\/([0-9a-f-]{36})"/g)].map((m) => m[1]));
      for (const m of second.text.matchAll(/letters\/([0-9a-f-]{36})"/g)) expect(firstIds.has(m[1])).toBe(false);

      const forged = await get(`${page('en', paged.id, 'letters')}?cursor=bm90LWEtY3Vyc29y`);
      expect(forged.status).toBe(400);
      expect(forged.text).toContain(EN.errCursor);
    });
  });

  describe('safety', () => {
    it('refuses a post without the CSRF token (403, nothing changed)', async () => {
      const before = (await targetsOf(campaign.id)).length;
      for (const path of ['targets', 'letter', 'letter/preview']) {
        const res = await post(page('en', campaign.id, path), { ...targetFields(), mode: 'none' }, cookie, false);
        expect(res.status).toBe(403);
        expect(res.headers['x-error-code']).toBe('CONSOLE_CSRF_INVALID');
      }
      const [target] = await targetsOf(campaign.id);
      for (const sub of ['', '/replies', '/remove']) {
        const res = await post(page('en', campaign.id, `targets/${target.id}${sub}`), { ...targetFields(), receivedOn: '2026-11-20', summary: 'x' }, cookie, false);
        expect(res.status).toBe(403);
      }
      const csrf = await csrfOf();
      const crossSite = await t.http().post(page('en', campaign.id, 'targets')).set({ 'sec-fetch-site': 'cross-site' }).set('Cookie', cookie).type(FORM).send(encode({ csrf, ...targetFields() }));
      expect(crossSite.status).toBe(403);
      expect((await targetsOf(campaign.id)).length).toBe(before);
    });

    it("answers 404 on every URL for another organisation's organiser, changing nothing", async () => {
      const [target] = await targetsOf(campaign.id);
      const [{ id: letterId }] = await t.db.query(`SELECT id FROM letters LIMIT 1`);
      const [{ campaign_id: letterCampaign }] = await t.db.query(`SELECT campaign_id FROM letters WHERE id = $1`, [letterId]);
      const before = JSON.stringify(await targetsOf(campaign.id));
      for (const locale of ['en', 'ar']) {
        for (const sub of ['targets', `targets/${target.id}`, `targets/${target.id}/remove`, 'letter', `letter?target=${target.id}`, 'letters', 'letters?status=sent']) {
          const res = await get(page(locale, campaign.id, sub), otherCookie);
          expect(res.status).toBe(404);
          expect(res.text).not.toContain('Minister of Water Resources');
          expect(res.text).not.toContain('الأهوار');
        }
        expect((await get(page(locale, letterCampaign, `letters/${letterId}`), otherCookie)).status).toBe(404);
        for (const sub of ['targets', `targets/${target.id}`, `targets/${target.id}/replies`, `targets/${target.id}/remove`, 'letter', 'letter/preview']) {
          const res = await post(page(locale, campaign.id, sub), { ...targetFields(), receivedOn: '2026-11-20', summary: 'x', mode: 'none', previewTarget: target.id }, otherCookie);
          expect(res.status).toBe(404);
          expect(res.text).not.toContain('Minister of Water Resources');
        }
      }
      expect(JSON.stringify(await targetsOf(campaign.id))).toBe(before);
      // A letter of another campaign under this one's address is not found either.
      expect((await get(page('en', campaign.id, `letters/${letterId}`))).status).toBe(404);
    });

    it('answers hostile input with 4xx, never 500', async () => {
      const [target] = await targetsOf(campaign.id);
      const bad = ['not-a-uuid', '00000000-0000-4000-8000-000000000000', "1' OR '1'='1", '%E0%A4%A'];
      for (const id of bad) {
        for (const sub of ['targets', 'letter', 'letters', `targets/${target.id}`]) {
          const res = await get(`/en/console/campaigns/${id}/${sub}`);
          expect([400, 404]).toContain(res.status);
        }
        for (const sub of [`targets/${id}`, `targets/${id}/remove`, `letters/${id}`]) {
          expect([400, 404]).toContain((await get(page('en', campaign.id, sub))).status);
        }
        expect([400, 404]).toContain((await post(page('en', campaign.id, `targets/${id}`), targetFields())).status);
        expect([400, 404]).toContain((await post(page('en', campaign.id, `targets/${id}/replies`), { receivedOn: '2026-11-20', summary: 'x' })).status);
      }
      const hostile: Fields[] = [
        targetFields({ name: 'Nul\u0000name' }),
        targetFields({ timeZone: 'Asia/\u0000Baghdad' }),
        targetFields({ name: 'x'.repeat(100_000) }),
        targetFields({ days: ['0', '8', 'x', '1e3', '-1'] }),
        targetFields({ locale: ['ar', 'en'] }),
        targetFields({ start: '08:00:00.000000001', end: '9' }),
        targetFields({ timeZone: '../../etc/passwd' }),
      ];
      for (const fields of hostile) {
        const res = await post(page('en', campaign.id, 'targets'), fields);
        expect([400, 413]).toContain(res.status);
      }
      for (const fields of [{ receivedOn: '2026-11-20', summary: 'a\u0000b' }, { receivedOn: ['2026-11-20', 'x'], summary: 'y' }, { receivedOn: '0000-00-00', summary: 'z'.repeat(10_000) }]) {
        expect([400, 413]).toContain((await post(page('en', campaign.id, `targets/${target.id}/replies`), fields)).status);
      }
      for (const fields of [
        { mode: 'evil', action: 'save' },
        { mode: 'per_signature', subject_ar: 'a\u0000', body_ar: 'b', action: 'save' },
        { mode: ['digest', 'none'], subject_ar: 's', body_ar: 'b', action: 'save' },
        { mode: 'per_signature', subject_ar: 's'.repeat(5000), body_ar: 'b'.repeat(30_000), action: 'save' },
      ] as Fields[]) {
        expect([400, 413]).toContain((await post(page('en', campaign.id, 'letter'), fields)).status);
      }
      expect((await post(page('en', campaign.id, 'letter/preview'), { previewTarget: "' OR 1=1 --", subject_ar: '{{constructor}}' })).status).toBe(400);
      for (const query of ['status=evil', 'status[]=sent', 'cursor=', 'cursor=%00', `cursor=${'A'.repeat(5000)}`, 'status=sent&status=failed']) {
        expect((await get(`${page('en', campaign.id, 'letters')}?${query}`)).status).toBeLessThan(500);
      }
      expect((await get(`${page('en', campaign.id, 'letter')}?target=${'x'.repeat(5000)}`)).status).toBe(200);
    });

    it('writes every Arabic page in Arabic: no English word outside the data, codes and addresses', async () => {
      const [target] = await targetsOf(campaign.id);
      const [{ id: letterId, campaign_id: letterCampaign }] = await t.db.query(`SELECT id, campaign_id FROM letters LIMIT 1`);
      const english = (html: string) =>
        html
          .replace(/<head>[\s\S]*?<\/head>/, '')
          .replace(/<(code|textarea|select|bdi|option)[^>]*>[\s\S]*?<\/\1>/g, ' ')
          .replace(/<[^>]+>/g, ' ')
          .replace(/Nida|English|Asia\/Baghdad|Europe\/Paris|minister@example\.org|Minister of Water Resources|Minister|Ministry of Water Resources|Governor of Basra Province|Basra|Desk officer|Busy official|Layla Hassan|UNESCO|Promised an inquiry; nothing concrete\.|The minister promised an inquiry\./g, ' ')
          .match(/[A-Za-z]{2,}/g) ?? [];
      for (const sub of ['targets', `targets/${target.id}`, `targets/${target.id}/remove`, 'letter', 'letters']) {
        expect([sub, english((await get(page('ar', campaign.id, sub))).text)]).toEqual([sub, []]);
      }
      expect(english((await get(page('ar', letterCampaign, `letters/${letterId}`))).text)).toEqual([]);
    });

    it('sends a signed-out visitor to the login page', async () => {
      for (const sub of ['targets', 'letter', 'letters']) {
        const res = await t.http().get(page('ar', campaign.id, sub));
        expect(res.status).toBe(303);
        expect(res.headers.location).toBe('/ar/console/login');
      }
    });
  });
});
