import { CONSOLE_UPDATES_STRINGS } from '../../src/modules/pages/console-updates-strings';
import { insertVerifiedSupporters } from '../support/bulk-supporters';
import { consoleSignIn, FORM, SAME_ORIGIN } from '../support/console';
import { createCampaign, createLiveCampaign, createOrganiserWithOrganisation, type OrganiserLogin } from '../support/factories';
import { SmtpSink } from '../support/smtp-sink';
import { createTestApp, TestApp } from '../support/test-app';
import { waitUntil } from '../support/wait';

const EN = CONSOLE_UPDATES_STRINGS.en;
const AR = CONSOLE_UPDATES_STRINGS.ar;
const AR_DIGITS = /[٠-٩]/;
/** Slow enough that a send of SLOW_RECIPIENTS is still going while the test pauses it. */
const RATE = 20;
const SLOW_RECIPIENTS = 400;

type Fields = Record<string, string>;

/** What the browser shows of escaped text (the entities Handlebars writes). */
const unescape = (s: string) =>
  s.replace(/&(lt|gt|quot|#x27|#x60|#x3D|amp);/g, (_, e: string) => ({ lt: '<', gt: '>', quot: '"', '#x27': "'", '#x60': '`', '#x3D': '=', amp: '&' })[e]!);

/** The console's Updates tab (issue 13): through HTTP as a browser without JavaScript uses it. */
describe('console updates (e2e)', () => {
  let t: TestApp;
  let org: OrganiserLogin;
  let other: OrganiserLogin;
  let cookie: string;
  let otherCookie: string;
  const smtp = new SmtpSink();
  /** An Arabic urgent action with an English translation and three consenting supporters (one not). */
  let campaign: { id: string; slug: string };

  beforeAll(async () => {
    t = await createTestApp({
      SMTP_URL: await smtp.start(),
      MAIL_FROM: 'Nida <updates@nida.test>',
      BROADCAST_RATE_PER_SECOND: String(RATE),
      BROADCAST_CONCURRENCY: '4',
      UPDATE_DISPATCH_INTERVAL_MS: '100',
      UPDATE_FANOUT_CHUNK: '100',
      MAIL_BACKOFF_MS: '50',
    });
    org = await createOrganiserWithOrganisation(t, 'تحالف الأهوار');
    other = await createOrganiserWithOrganisation(t);
    cookie = await consoleSignIn(t, org.email);
    otherCookie = await consoleSignIn(t, other.email);
    campaign = await createLiveCampaign(t, org.token, {
      kind: 'urgent_action',
      locale: 'ar',
      title: 'أين سالم راضي؟',
      summary: 'اختفى سالم راضي منذ أسبوع.',
      body: 'نطالب بالكشف عن مصيره.',
      timeZone: 'Asia/Baghdad',
      translations: { en: { title: 'Where is Salim Radhi?', summary: 'Salim Radhi vanished a week ago.', body: 'We demand to know his fate.' } },
    });
    await insertVerifiedSupporters(t, campaign.id, [
      { email: 'layla@example.org', locale: 'ar', consent: true },
      { email: 'omar@example.org', locale: 'en', consent: true },
      { email: 'huda@example.org', locale: 'ar', consent: true },
      { email: 'quiet@example.org', locale: 'ar', consent: false },
    ]);
  }, 60000);

  afterAll(async () => {
    await t?.close();
    await smtp.stop();
  });

  const api = (login: OrganiserLogin) => ({ Authorization: `Bearer ${login.token}` });
  const page = (locale: string, id: string, sub = '') => `/${locale}/console/campaigns/${id}/updates${sub}`;
  const get = (path: string, session = cookie) => t.http().get(path).set('Cookie', session);
  async function csrfOf(session = cookie): Promise<string> {
    const res = await get('/en/console/password', session);
    return /name="csrf" value="([^"]+)"/.exec(res.text)![1];
  }
  async function post(path: string, fields: Fields, session = cookie, withCsrf = true) {
    const csrf = withCsrf ? await csrfOf(session) : undefined;
    return t.http().post(path).set(SAME_ORIGIN).set('Cookie', session).type(FORM).send(new URLSearchParams({ ...(csrf ? { csrf } : {}), ...fields }).toString());
  }
  const fieldError = (html: string, id: string) => {
    const found = new RegExp(`<p class="field-error" id="${id}-error"[^>]*>([^<]*)</p>`).exec(html);
    return found ? unescape(found[1]) : undefined;
  };
  const updateIdOf = (location: string) => /\/updates\/([0-9a-f-]{36})\?done=/.exec(location)![1];
  const progress = async (campaignId: string, updateId: string) =>
    (await t.http().get(`/api/v1/campaigns/${campaignId}/updates/${updateId}`).set(api(org)).expect(200)).body as {
      recipients: number;
      sent: number;
      failed: number;
      pending: number;
      sendState: string;
      fannedOut: boolean;
      progress: { cancelled: number };
    };
  const updateMails = () => smtp.received.filter((m) => /^X-Nida-Update:/im.test(m.raw));

  const released = {
    title_ar: 'أُطلق سراح سالم',
    body_ar: 'خرج سالم اليوم **بعد ثلاثة أسابيع**.\n\nشكراً لكل من وقّع.',
    title_en: 'Salim has been released',
    body_en: 'Salim walked free **after three weeks**.\n\nThank you, everyone who signed.',
    caseStatus: 'released',
  };

  it('adds an Updates tab: no update yet, the weekly cap open, and how many supporters an email would reach', async () => {
    const ar = await get(page('ar', campaign.id)).expect(200);
    expect(ar.text).toContain(`<a href="/ar/console/campaigns/${campaign.id}/updates" aria-current="page">المستجدات</a>`);
    expect(ar.text).toContain(AR.noUpdates);
    expect(ar.text).toContain(AR.capOpen);
    expect(unescape(ar.text)).toContain(AR.capUsed.replace('{used}', '٠').replace('{cap}', '٣'));
    // Three consenting, verified supporters: in Arabic words and digits.
    expect(unescape(ar.text)).toContain(AR.notifyCount.replace('{count}', '٣ مؤيّدين'));
    // The case statuses in the page's language; both languages' columns, Arabic (the campaign's) first.
    expect(ar.text).toContain('<option value="released">أُطلق سراحه</option>');
    expect(ar.text.indexOf('id="column-ar"')).toBeLessThan(ar.text.indexOf('id="column-en"'));
    expect(ar.text).toMatch(/<html lang="ar" dir="rtl">/);

    const en = await get(page('en', campaign.id)).expect(200);
    expect(unescape(en.text)).toContain('It would go to 3 supporters now');
    expect(en.text).toContain('<option value="released">Released</option>');
    // Every campaign tab links to it.
    const targets = await get(`/en/console/campaigns/${campaign.id}/targets`).expect(200);
    expect(targets.text).toContain(`<a href="/en/console/campaigns/${campaign.id}/updates">Updates</a>`);
  });

  it('previews the update as the campaign page shows it and its email, without posting anything', async () => {
    const res = await post(page('ar', campaign.id), { ...released, notify: 'on', intent: 'preview' });
    expect(res.status).toBe(200);
    const html = unescape(res.text);
    // The public renderer: paragraphs and bold, escaped text, in both languages, with the case status.
    expect(res.text).toContain('<p>خرج سالم اليوم <strong>بعد ثلاثة أسابيع</strong>.</p>');
    expect(res.text).toContain('<p>Salim walked free <strong>after three weeks</strong>.</p>');
    expect(html).toContain('حالة القضية: أُطلق سراحه');
    expect(html).toContain('Case status: Released');
    // The email's subject and first lines in each language, as the send renders them.
    expect(html).toContain('<strong>أين سالم راضي؟: أُطلق سراح سالم</strong>');
    expect(html).toContain('<strong>Where is Salim Radhi?: Salim has been released</strong>');
    expect(html).toContain(`مرحباً ${AR.previewName}،`);
    // What was typed is kept.
    expect(html).toContain('value="أُطلق سراح سالم"');
    expect(res.text).toMatch(/<input id="f-notify" name="notify" type="checkbox" checked/);
    expect((await t.db.query(`SELECT count(*)::int AS n FROM case_updates`))[0].n).toBe(0);

    // Only the Arabic text: English readers get the Arabic one, and the preview says so.
    const arOnly = await post(page('en', campaign.id), { title_ar: 'خبر', body_ar: 'نص', intent: 'preview' });
    expect(unescape(arOnly.text)).toContain('Supporters who read English get the Arabic version (there is no text in English).');
    expect(arOnly.text).toContain(EN.previewNoEmail);
  });

  it('gives console.js the same preview as JSON, only with the form’s CSRF token', async () => {
    const res = await post(page('en', campaign.id, '/preview'), { ...released, notify: 'on' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(unescape(res.body.html)).toContain('<strong>Where is Salim Radhi?: Salim has been released</strong>');
    expect(res.body.html).toContain('<p>Salim walked free <strong>after three weeks</strong>.</p>');
    // A title typed as markup stays text.
    const hostile = await post(page('en', campaign.id, '/preview'), { title_ar: '<img src=x onerror=alert(1)>', body_ar: '<script>x</script>' });
    expect(hostile.body.html).not.toMatch(/<img|<script/);
    const refused = await post(page('en', campaign.id, '/preview'), { ...released }, cookie, false);
    expect(refused.status).toBe(403);
    expect(refused.headers['x-error-code']).toBe('CONSOLE_CSRF_INVALID');
  });

  it('shows errors beside their fields and keeps what was typed', async () => {
    const res = await post(page('en', campaign.id), { title_ar: 'x', body_ar: '', title_en: 'Only a title', body_en: '', intent: 'post' });
    expect(res.status).toBe(400);
    expect(fieldError(res.text, 'f-title-ar')).toBe(EN.errTitle);
    expect(fieldError(res.text, 'f-body-ar')).toBe(EN.errBody);
    expect(fieldError(res.text, 'f-body-en')).toBe(EN.errPair);
    expect(res.text).toContain('<a href="#f-title-ar">');
    expect(res.text).toContain('value="Only a title"');
    const bad = await post(page('ar', campaign.id), { title_ar: 'خبر جديد', body_ar: 'نص', caseStatus: 'asleep', intent: 'post' });
    expect(bad.status).toBe(400);
    expect(fieldError(bad.text, 'f-case-status')).toBe(AR.errCaseStatus);
    expect((await t.db.query(`SELECT count(*)::int AS n FROM case_updates`))[0].n).toBe(0);
  });

  it('posts an emailed update, sets the case status, and shows its send to the end', async () => {
    const res = await post(page('ar', campaign.id), { ...released, notify: 'on', intent: 'post' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toMatch(new RegExp(`^/ar/console/campaigns/${campaign.id}/updates/[0-9a-f-]{36}\\?done=emailing$`));
    const updateId = updateIdOf(res.headers.location);
    const done = await waitUntil(async () => {
      const p = await progress(campaign.id, updateId);
      return p.sendState === 'done' ? p : null;
    }, 30000, 100);
    expect(done).toMatchObject({ recipients: 3, sent: 3, failed: 0, pending: 0 });
    expect(updateMails()).toHaveLength(3);
    expect((await t.http().get(`/api/v1/campaigns/${campaign.slug}`).expect(200)).body.caseStatus).toBe('released');

    const detail = await get(res.headers.location).expect(200);
    const text = unescape(detail.text);
    expect(text).toContain(AR.postedEmailing);
    expect(text).toContain('أُرسلت ٣ من ٣، وتعذّر إرسال ٠');
    expect(text).toContain(AR.stateNow.replace('{state}', AR.sendState.done));
    expect(detail.text).toMatch(/<progress id="send-progress" max="3" value="3"/);
    // Done: nothing to pause, resume or cancel, and nothing polls.
    expect(detail.text).not.toMatch(/id="pause"|id="resume"|id="cancel-link"|data-live="on"/);

    const json = await get(page('en', campaign.id, `/${updateId}/progress`)).expect(200);
    expect(json.body).toMatchObject({ state: 'done', live: false, text: '3 of 3 sent, 0 failed', max: 3, value: 3, numbers: { recipients: '3', sent: '3', failed: '0', pending: '0' } });

    const list = await get(page('en', campaign.id)).expect(200);
    expect(list.text).toContain('Salim has been released');
    expect(list.text).toContain('3 of 3 sent, 0 failed');
    expect(unescape(list.text)).toContain(EN.capUsed.replace('{used}', '1').replace('{cap}', '3'));
    const arList = await get(page('ar', campaign.id)).expect(200);
    expect(arList.text).toContain('أُطلق سراح سالم');
  });

  it('says when the weekly cap is reached and when the next email is allowed, in words, and still posts without email', async () => {
    for (let i = 0; i < 2; i++) {
      await t.http().post(`/api/v1/campaigns/${campaign.id}/updates`).set(api(org)).send({ title: `خبر ${i + 2}`, body: 'نص', notify: true }).expect(201);
    }
    const list = await get(page('en', campaign.id)).expect(200);
    expect(unescape(list.text)).toContain(EN.capUsed.replace('{used}', '3').replace('{cap}', '3'));
    const next = /<p id="cap-next"><time datetime="([^"]+)">([^<]+)<\/time>/.exec(list.text)!;
    // A week after the first: a date in words (the month's name), in the campaign's zone.
    const first = (await t.db.query(`SELECT min(created_at) AS at FROM case_updates WHERE notify`))[0].at as Date;
    expect(Date.parse(next[1])).toBe(first.getTime() + 7 * 24 * 3600 * 1000);
    const month = new Intl.DateTimeFormat('en-GB', { month: 'long', timeZone: 'Asia/Baghdad' }).format(new Date(next[1]));
    expect(unescape(next[2])).toContain(month);
    expect(unescape(next[2])).toContain('GMT+3');

    const refused = await post(page('ar', campaign.id), { title_ar: 'خبر رابع', body_ar: 'نص رابع', notify: 'on', intent: 'post' });
    expect(refused.status).toBe(429);
    const message = fieldError(refused.text, 'f-notify')!;
    expect(message).toContain('UPDATE_EMAIL_CAP_REACHED');
    expect(message).toContain(new Intl.DateTimeFormat('ar-u-nu-arab', { month: 'long', timeZone: 'Asia/Baghdad' }).format(new Date(next[1])));
    expect(message).toMatch(AR_DIGITS);
    expect(refused.text).toContain('value="خبر رابع"');
    expect(refused.text).toContain('<a href="#f-notify">');
    expect((await t.db.query(`SELECT count(*)::int AS n FROM case_updates WHERE title = 'خبر رابع'`))[0].n).toBe(0);

    const plain = await post(page('ar', campaign.id), { title_ar: 'خبر رابع', body_ar: 'نص رابع', intent: 'post' });
    expect(plain.status).toBe(303);
    expect(plain.headers.location).toMatch(/\?done=posted$/);
    const shown = await get(plain.headers.location).expect(200);
    expect(shown.text).toContain(AR.posted);
    expect(shown.text).toContain(AR.notNotifiedText);
    // Pausing an update that was not emailed: refused with its code.
    const pause = await post(plain.headers.location.replace(/\?.*$/, '/pause'), {});
    expect(pause.status).toBe(409);
    expect(pause.text).toContain('UPDATE_NOT_NOTIFIED');
    expect((await get(plain.headers.location.replace(/\?.*$/, '/cancel'))).status).toBe(409);
  });

  it('pauses, resumes and cancels a send through CSRF-checked forms, each behind the rules of the API', async () => {
    const slow = await createLiveCampaign(t, org.token, { title: 'The marshes are drying' });
    await insertVerifiedSupporters(t, slow.id, Array.from({ length: SLOW_RECIPIENTS }, (_, i) => ({ email: `slow${i}@example.org`, locale: 'en' as const, consent: true })));
    const res = await post(page('en', slow.id), { title_en: 'The hearing is on Sunday', body_en: 'Come to the court.', notify: 'on', intent: 'post' });
    expect(res.status).toBe(303);
    const url = res.headers.location.replace(/\?.*$/, '');
    const updateId = updateIdOf(res.headers.location);

    const sending = await get(url).expect(200);
    expect(sending.text).toContain('data-live="on"');
    expect(sending.text).toMatch(/<form method="post" action="[^"]+\/pause"/);
    expect(sending.text).toContain(EN.refresh);
    // No timed reload (it would move a screen reader's place): a Refresh link, and console.js polls.
    expect(sending.text).not.toContain('http-equiv="refresh"');

    // Without the CSRF token, or from another site: refused, nothing changes.
    const noCsrf = await post(`${url}/pause`, {}, cookie, false);
    expect(noCsrf.status).toBe(403);
    expect(noCsrf.headers['x-error-code']).toBe('CONSOLE_CSRF_INVALID');
    const csrf = await csrfOf();
    const crossSite = await t.http().post(`${url}/pause`).set({ 'sec-fetch-site': 'cross-site' }).set('Cookie', cookie).type(FORM).send(`csrf=${csrf}`);
    expect(crossSite.status).toBe(403);
    expect((await progress(slow.id, updateId)).sendState).toBe('sending');

    const paused = await post(`${url}/pause`, {});
    expect(paused.status).toBe(303);
    expect(paused.headers.location).toBe(`${url}?done=paused`);
    expect((await progress(slow.id, updateId)).sendState).toBe('paused');
    const pausedPage = await get(paused.headers.location).expect(200);
    expect(pausedPage.text).toContain(EN.paused);
    expect(pausedPage.text).toContain(EN.stateNow.replace('{state}', 'Paused'));
    expect(pausedPage.text).toMatch(/action="[^"]+\/resume"/);
    expect(pausedPage.text).not.toMatch(/action="[^"]+\/pause"|data-live="on"/);
    // Paused: nothing more is sent (a message in flight may finish).
    const atPause = (await progress(slow.id, updateId)).sent;
    await new Promise((r) => setTimeout(r, 1500));
    expect((await progress(slow.id, updateId)).sent).toBeLessThanOrEqual(atPause + 4);
    // Pausing again (a second tab, a double click) is what the API does: nothing more, still paused.
    const again = await post(`${url}/pause`, {});
    expect(again.status).toBe(303);
    expect((await progress(slow.id, updateId)).sendState).toBe('paused');

    const resumed = await post(`${url}/resume`, {});
    expect(resumed.status).toBe(303);
    expect(resumed.headers.location).toBe(`${url}?done=resumed`);
    expect((await progress(slow.id, updateId)).sendState).toBe('sending');
    await waitUntil(async () => ((await progress(slow.id, updateId)).sent > atPause + 4 ? true : null), 20000, 100);

    // Cancel: a confirmation page first (a GET changes nothing), then the post.
    const confirm = await get(`${url}/cancel`).expect(200);
    expect(confirm.text).toContain(EN.cancelText);
    expect(confirm.text).toMatch(/<form method="post" action="[^"]+\/cancel"/);
    expect((await progress(slow.id, updateId)).sendState).toBe('sending');
    const cancelled = await post(`${url}/cancel`, {});
    expect(cancelled.status).toBe(303);
    expect(cancelled.headers.location).toBe(`${url}?done=cancelled`);
    const end = await waitUntil(async () => {
      const p = await progress(slow.id, updateId);
      return p.sendState === 'cancelled' && p.pending === 0 ? p : null;
    }, 20000, 100);
    expect(end!.progress.cancelled).toBeGreaterThan(0);
    expect(end!.sent).toBeLessThan(SLOW_RECIPIENTS);
    const cancelledPage = await get(cancelled.headers.location).expect(200);
    expect(cancelledPage.text).toContain(EN.cancelled);
    expect(cancelledPage.text).toContain(EN.stateNow.replace('{state}', 'Cancelled'));
    expect(cancelledPage.text).not.toMatch(/id="pause"|id="resume"|id="cancel-link"/);
    expect((await get(`${url}/cancel`)).status).toBe(409);
    // Resuming a cancelled send says why not, with the API's code.
    const late = await post(`${url}/resume`, {});
    expect(late.status).toBe(409);
    expect(unescape(late.text)).toContain(EN.errState.replace('{state}', 'Cancelled').replace('{code}', 'UPDATE_SEND_STATE'));
    expect((await progress(slow.id, updateId)).sendState).toBe('cancelled');
  }, 60000);

  it('answers another organisation’s organiser, unknown and malformed ids with the 404 page, never a 500', async () => {
    const [row] = await t.db.query(`SELECT id FROM case_updates WHERE campaign_id = $1 AND notify LIMIT 1`, [campaign.id]);
    const updateId = row.id as string;
    const elsewhere = await createLiveCampaign(t, org.token);
    const unknown = '00000000-0000-4000-8000-000000000001';
    const before = await t.db.query(`SELECT id, send_state FROM case_updates ORDER BY id`);
    const gets = [
      [other, page('en', campaign.id)],
      [other, page('ar', campaign.id, `/${updateId}`)],
      [other, page('en', campaign.id, `/${updateId}/progress`)],
      [other, page('en', campaign.id, `/${updateId}/cancel`)],
      [org, page('en', unknown)],
      [org, page('en', 'not-a-uuid')],
      [org, page('en', campaign.id, '/not-a-uuid')],
      [org, page('en', campaign.id, `/${unknown}`)],
      [org, page('ar', elsewhere.id, `/${updateId}`)],
      [org, page('en', campaign.id, `/${updateId}%20x/progress`)],
      [org, page('en', `${campaign.id}x`, `/${updateId}`)],
    ] as const;
    for (const [who, path] of gets) {
      const res = await get(path, who === other ? otherCookie : cookie);
      expect([path, res.status]).toEqual([path, 404]);
      expect(res.text).not.toContain('أين سالم');
    }
    const posts = [
      [other, page('en', campaign.id), { title_ar: 'Taken over', body_ar: 'x', intent: 'post' }],
      [other, page('en', campaign.id, '/preview'), { title_ar: 'x', body_ar: 'y' }],
      [other, page('en', campaign.id, `/${updateId}/pause`), {}],
      [other, page('en', campaign.id, `/${updateId}/resume`), {}],
      [other, page('en', campaign.id, `/${updateId}/cancel`), {}],
      [org, page('en', campaign.id, `/${unknown}/cancel`), {}],
      [org, page('en', campaign.id, '/bad/pause'), {}],
      [org, page('en', elsewhere.id, `/${updateId}/cancel`), {}],
    ] as const;
    for (const [who, path, fields] of posts) {
      const session = who === other ? otherCookie : cookie;
      const res = await post(path, fields, session);
      expect([path, res.status]).toEqual([path, 404]);
    }
    expect(await t.db.query(`SELECT id, send_state FROM case_updates ORDER BY id`)).toEqual(before);
    // The progress endpoint's 404 is JSON, with a stable code.
    const json = await get(page('en', campaign.id, `/${unknown}/progress`));
    expect(json.status).toBe(404);
    expect(json.body.code).toBe('UPDATE_NOT_FOUND');
    // Signed out: the login page.
    const out = await t.http().get(page('en', campaign.id));
    expect(out.status).toBe(303);
    expect(out.headers.location).toBe('/en/console/login');
  });

  it('posts once for a form sent twice (a double click, a re-sent page): its hidden key finds the first update', async () => {
    const form = await get(page('en', campaign.id)).expect(200);
    const key = /name="requestKey" value="([0-9a-f-]{36})"/.exec(form.text)![1];
    const next = /name="requestKey" value="([0-9a-f-]{36})"/.exec((await get(page('en', campaign.id)).expect(200)).text)![1];
    expect(next).not.toBe(key); // each page its own key
    const before = (await t.db.query(`SELECT count(*)::int AS n FROM case_updates WHERE campaign_id = $1`, [campaign.id]))[0].n;
    const fields = { title_ar: 'نُشر مرة واحدة', body_ar: 'نُقر مرتين.', intent: 'post', requestKey: key };
    const [a, b] = await Promise.all([post(page('en', campaign.id), fields), post(page('en', campaign.id), fields)]);
    expect([a.status, b.status]).toEqual([303, 303]);
    expect(updateIdOf(b.headers.location)).toBe(updateIdOf(a.headers.location));
    expect((await t.db.query(`SELECT count(*)::int AS n FROM case_updates WHERE campaign_id = $1`, [campaign.id]))[0].n).toBe(before + 1);
    // A form shown again after a refusal keeps its key: nothing was posted with it.
    const refused = await post(page('en', campaign.id), { title_ar: '', body_ar: 'بلا عنوان', intent: 'post', requestKey: next });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain(`name="requestKey" value="${next}"`);
  });

  it('says a draft cannot email its supporters, beside the box, with the API’s code', async () => {
    const draft = await createCampaign(t, org.token);
    const form = await get(page('en', draft.id)).expect(200);
    expect(form.text).toContain(EN.notifyDraft);
    const res = await post(page('en', draft.id), { title_en: 'News of the draft', body_en: 'Text', notify: 'on', intent: 'post' });
    expect(res.status).toBe(409);
    expect(fieldError(res.text, 'f-notify')).toBe(EN.errNotPublished.replace('{code}', 'UPDATE_CAMPAIGN_NOT_PUBLISHED'));
    // A petition has no case status field, and one sent anyway is refused beside the form.
    expect(form.text).not.toContain('id="f-case-status"');
    const status = await post(page('en', draft.id), { title_en: 'News of the draft', body_en: 'Text', caseStatus: 'released', intent: 'post' });
    expect(status.status).toBe(400);
    expect(status.text).toContain(EN.errCaseStatusPetition);
  });
});
