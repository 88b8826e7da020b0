import { SUPPORTERS_STRINGS } from '../../src/modules/pages/console-supporters-strings';
import { createLiveCampaign, createOrganiserWithOrganisation, OrganiserLogin } from '../support/factories';
import { SmtpSink } from '../support/smtp-sink';
import { emailHash, sealed } from '../support/supporter-data';
import { createTestApp, TestApp } from '../support/test-app';

const FORM = 'application/x-www-form-urlencoded';
const SAME_ORIGIN = { 'sec-fetch-site': 'same-origin' };
const PASSWORD = 'a-long-enough-password';

/**
 * The console's Supporters pages against the real app and PostgreSQL: the list (filters, exact
 * email, keyset pages), held signatures released and discarded, an invalidation counted then run,
 * and the CSV export through the console's route and through the API with the session cookie.
 */
describe('console supporters pages (e2e)', () => {
  let t: TestApp;
  let org: OrganiserLogin;
  let other: OrganiserLogin;
  let cookie: string;
  let otherCookie: string;
  let csrf: string;
  let campaign: { id: string; slug: string };
  const smtp = new SmtpSink();
  const ids: Record<string, string> = {};

  async function signIn(email: string): Promise<string> {
    const page = await t.http().get('/en/console/login');
    const login = [page.headers['set-cookie']].flat().find((c: string) => c?.startsWith('nida_login='))!.split(';')[0];
    const token = /name="csrf" value="([^"]+)"/.exec(page.text)![1];
    const res = await t.http().post('/en/console/login').set(SAME_ORIGIN).set('Cookie', login).type(FORM).send({ csrf: token, email, password: PASSWORD });
    expect(res.status).toBe(303);
    return [res.headers['set-cookie']].flat().find((c: string) => c?.startsWith('nida_session='))!.split(';')[0];
  }

  /** A row written as the app stores one: sealed values, the blind index, the domain. */
  async function insert(
    campaignId: string,
    row: { email: string; name: string; city?: string; comment?: string; country?: string; status: string; heldReason?: string; contactConsent: boolean; createdAt: string },
  ): Promise<string> {
    const [{ id }] = await t.db.query(
      `INSERT INTO signatures (campaign_id, email, email_hash, email_domain, name, country, city, comment, locale, status, held_reason,
                               contact_consent, created_at, verified_at, contact_organisation_ids)
       VALUES ($1, $2, $3, split_part($4, '@', 2), $5, $12, $6, $7, 'ar', $8, $9, $10, $11, CASE WHEN $8 = 'verified' THEN $11::timestamptz END,
               CASE WHEN $10::boolean THEN ARRAY[(SELECT organisation_id FROM campaigns WHERE id = $1)] ELSE '{}'::uuid[] END)
       RETURNING id`,
      [
        campaignId,
        sealed('email', row.email),
        emailHash(row.email),
        row.email,
        sealed('name', row.name),
        row.city === undefined ? null : sealed('city', row.city),
        row.comment === undefined ? null : sealed('comment', row.comment),
        row.status,
        row.heldReason ?? null,
        row.contactConsent,
        row.createdAt,
        row.country ?? 'IQ',
      ],
    );
    return id as string;
  }

  const page = (path: string, session = cookie) => t.http().get(path).set('Cookie', session);
  const post = (path: string, body: Record<string, unknown>, session = cookie) =>
    t.http().post(path).set(SAME_ORIGIN).set('Cookie', session).type(FORM).send(body);
  const binary = (req: ReturnType<TestApp['http']>['get'] extends (...a: never[]) => infer R ? R : never) =>
    req.buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });
  /** An attribute as the browser reads it (the entities Handlebars writes). */
  const unescape = (s: string) => s.replace(/&(#x3D|amp);/g, (_, e: string) => (e === 'amp' ? '&' : '='));
  const base = (locale = 'en', id = campaign.id) => `/${locale}/console/campaigns/${id}/supporters`;
  const status = async (id: string) => ((await t.db.query('SELECT status FROM signatures WHERE id = $1', [id]))[0] as { status: string } | undefined)?.status ?? null;

  beforeAll(async () => {
    t = await createTestApp({ SMTP_URL: await smtp.start(), MAIL_BACKOFF_MS: '50', MAIL_RELAY_INTERVAL_MS: '100' });
    org = await createOrganiserWithOrganisation(t);
    other = await createOrganiserWithOrganisation(t);
    campaign = await createLiveCampaign(t, org.token);
    ids.layla = await insert(campaign.id, {
      email: 'Layla.Hassan@example.org',
      name: 'ليلى حسن',
      city: 'البصرة',
      comment: 'أوقفوا تجفيف الأهوار',
      status: 'verified',
      contactConsent: true,
      createdAt: '2026-03-10T09:00:00Z',
    });
    ids.omar = await insert(campaign.id, { email: 'omar@example.org', name: 'عمر علي', country: 'EG', status: 'verified', contactConsent: false, createdAt: '2026-03-11T09:00:00Z' });
    ids.formula = await insert(campaign.id, { email: 'f@example.org', name: '=HYPERLINK("http://evil.example")', city: '+cmd', status: 'verified', contactConsent: true, createdAt: '2026-03-12T09:00:00Z' });
    ids.held1 = await insert(campaign.id, { email: 'held1@example.org', name: 'Held One', status: 'held', heldReason: 'ip_burst', contactConsent: false, createdAt: '2026-03-13T09:00:00Z' });
    ids.held2 = await insert(campaign.id, { email: 'held2@example.org', name: 'Held Two', status: 'held', heldReason: 'honeypot', contactConsent: false, createdAt: '2026-03-13T10:00:00Z' });
    ids.held3 = await insert(campaign.id, { email: 'held3@example.org', name: 'Held Three', status: 'held', heldReason: 'too_fast', contactConsent: false, createdAt: '2026-03-13T11:00:00Z' });
    ids.bot1 = await insert(campaign.id, { email: 'a@bots.example', name: 'Bot A', status: 'verified', contactConsent: false, createdAt: '2026-03-14T09:00:00Z' });
    ids.bot2 = await insert(campaign.id, { email: 'b@bots.example', name: 'Bot B', status: 'pending', contactConsent: false, createdAt: '2026-03-14T10:00:00Z' });
    cookie = await signIn(org.email);
    otherCookie = await signIn(other.email);
    csrf = /name="csrf" value="([^"]+)"/.exec((await page(`${base()}?status=held`)).text)![1];
  });
  afterAll(async () => {
    await t?.close();
    await smtp.stop();
  });

  it('lists the signatures the API gives organisers, newest first, with what they may see', async () => {
    const res = await page(base());
    expect(res.status).toBe(200);
    const html = res.text;
    expect(html).toContain('<a href="/en/console/campaigns/' + campaign.id + '/supporters" aria-current="page">');
    expect(html).toContain('ليلى حسن');
    expect(html).toContain('Layla.Hassan@example.org');
    // No consent to be contacted: no email shown (as the API gives none).
    expect(html).not.toContain('omar@example.org');
    expect(html).toContain(SUPPORTERS_STRINGS.en.emailNoConsent);
    expect(html.indexOf('Bot B')).toBeLessThan(html.indexOf('ليلى حسن'));
    expect(html).toContain('class="table-scroll"');
    expect(html).toContain(`href="/en/console/campaigns/${campaign.id}/supporters.csv"`);
  });

  it('shows dates in the campaign zone and Arabic-Indic digits on the Arabic page', async () => {
    const html = (await page(base('ar'))).text;
    expect(html).toContain('dir="rtl"');
    expect(html).toMatch(/[٠-٩]{2}/);
    expect(html).toContain('العراق');
  });

  it('filters by status, country, dates and exact email (any case)', async () => {
    const held = (await page(`${base()}?status=held`)).text;
    expect(held).toContain('Held One');
    expect(held).not.toContain('ليلى حسن');
    const egypt = (await page(`${base()}?country=eg`)).text;
    expect(egypt).toContain('عمر علي');
    expect(egypt).not.toContain('ليلى حسن');
    const dated = (await page(`${base()}?from=2026-03-11&to=2026-03-12`)).text;
    expect(dated).toContain('عمر علي');
    expect(dated).toContain('HYPERLINK');
    expect(dated).not.toContain('ليلى حسن');
    expect(dated).not.toContain('Bot A');
    const one = (await page(`${base()}?email=${encodeURIComponent('layla.hassan@EXAMPLE.org')}`)).text;
    expect(one).toContain('ليلى حسن');
    expect(one).not.toContain('عمر علي');
  });

  it('keeps what was typed and shows each error beside its field (400)', async () => {
    const res = await page(`${base()}?status=lost&country=XX&from=2026-02-30&email=not-an-address`);
    expect(res.status).toBe(400);
    const s = SUPPORTERS_STRINGS.en;
    for (const message of [s.errorStatus, s.errorCountry, s.errorDate, s.errorEmail]) expect(res.text).toContain(message);
    expect(res.text).toContain('id="error-summary"');
    expect(res.text).toContain('value="not-an-address"');
    expect(res.text).toContain('id="f-from-error"');
    const range = await page(`${base()}?from=2026-03-12&to=2026-03-10`);
    expect(range.status).toBe(400);
    expect(range.text).toContain(s.errorRange);
  });

  it('pages with the API cursor: next, then previous and first', async () => {
    for (let i = 0; i < 55; i++) {
      await insert(campaign.id, { email: `many${i}@example.org`, name: `Many ${i}`, country: 'JO', status: 'verified', contactConsent: false, createdAt: `2026-02-01T10:${String(i).padStart(2, '0')}:00Z` });
    }
    const first = (await page(`${base()}?country=JO`)).text;
    expect(first).toContain('Many 54');
    expect(first).not.toContain('Many 4<');
    const next = unescape(/<a href="([^"]+)" rel="next">/.exec(first)![1]);
    expect(next).toContain('country=JO');
    const second = (await page(next)).text;
    expect(second).toContain('Many 4<');
    expect(second).not.toContain('Many 54');
    expect(second).not.toMatch(/rel="next"/);
    const prev = unescape(/<a href="([^"]+)" rel="prev">/.exec(second)![1]);
    expect((await page(prev)).text).toContain('Many 54');
    const bad = await page(`${base()}?cursor=not-a-cursor`);
    expect(bad.status).toBe(400);
    expect(bad.text).toContain(SUPPORTERS_STRINGS.en.errorCursor);
  });

  it('releases a selected held signature (audited), and refuses an empty selection', async () => {
    const empty = await post(`${base()}/held`, { csrf, action: 'release' });
    expect(empty.status).toBe(400);
    expect(empty.text).toContain(SUPPORTERS_STRINGS.en.errorSelectNone);
    const res = await post(`${base()}/held`, { csrf, action: 'release', ids: [ids.held1], status: 'held' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`${base()}?status=held&done=released&n=1`);
    expect(await status(ids.held1)).toBe('pending');
    expect(await status(ids.held2)).toBe('held');
    const [event] = await t.db.query(`SELECT actor_id, details FROM audit_events WHERE action = 'signatures.release' AND campaign_id = $1`, [campaign.id]);
    expect(event.actor_id).toBe(org.organiserId);
    const notice = (await page(res.headers.location)).text;
    expect(notice).toContain('1 held signature released');
  });

  it('asks before discarding, then discards (audited)', async () => {
    const ask = await post(`${base()}/held`, { csrf, action: 'discard', ids: [ids.held2] });
    expect(ask.status).toBe(200);
    expect(ask.text).toContain(SUPPORTERS_STRINGS.en.discardHeading);
    expect(await status(ids.held2)).toBe('held');
    const done = await post(`${base()}/held`, { csrf, action: 'discard', ids: [ids.held2], confirm: 'yes' });
    expect(done.status).toBe(303);
    expect(await status(ids.held2)).toBeNull();
    expect(await status(ids.held3)).toBe('held');
    const [event] = await t.db.query(`SELECT actor_id FROM audit_events WHERE action = 'signatures.discard' AND campaign_id = $1`, [campaign.id]);
    expect(event.actor_id).toBe(org.organiserId);
  });

  it('counts an invalidation first, changing nothing, then runs it', async () => {
    const form = await page(`${base()}/invalidate`);
    expect(form.status).toBe(200);
    const none = await post(`${base()}/invalidate`, { csrf, step: 'count' });
    expect(none.status).toBe(400);
    expect(none.text).toContain(SUPPORTERS_STRINGS.en.errorCriteria);
    const bad = await post(`${base()}/invalidate`, { csrf, step: 'count', domain: 'no spaces allowed', emailPattern: '%', from: 'yesterday' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain(SUPPORTERS_STRINGS.en.errorDomain);
    expect(bad.text).toContain(SUPPORTERS_STRINGS.en.errorPattern);
    expect(bad.text).toContain('value="no spaces allowed"');
    const dry = await post(`${base()}/invalidate`, { csrf, step: 'count', domain: 'bots.example' });
    expect(dry.status).toBe(200);
    expect(dry.text).toContain('This would invalidate 2 signatures.');
    expect(dry.text).toContain('Verified (leave the count): 1. Unconfirmed (deleted): 1.');
    expect(await status(ids.bot1)).toBe('verified');
    expect(await status(ids.bot2)).toBe('pending');
    const noReason = await post(`${base()}/invalidate`, { csrf, step: 'run', domain: 'bots.example' });
    expect(noReason.status).toBe(400);
    expect(noReason.text).toContain(SUPPORTERS_STRINGS.en.errorReason);
    expect(await status(ids.bot1)).toBe('verified');
    const run = await post(`${base()}/invalidate`, { csrf, step: 'run', domain: 'bots.example', reason: 'a robot' });
    expect(run.status).toBe(303);
    expect(run.headers.location).toBe(`${base()}?done=invalidated&n=2`);
    expect(await status(ids.bot1)).toBe('invalidated');
    expect(await status(ids.bot2)).toBeNull();
    const [event] = await t.db.query(`SELECT actor_id FROM audit_events WHERE action = 'signatures.invalidate' AND campaign_id = $1`, [campaign.id]);
    expect(event.actor_id).toBe(org.organiserId);
  });

  const checkCsv = async (res: { status: number; headers: Record<string, string>; body: Buffer }) => {
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="/);
    expect(res.body.subarray(0, 3).toString('hex')).toBe('efbbbf');
    const text = res.body.toString('utf8');
    expect(text).toContain('ليلى حسن');
    expect(text).toContain('البصرة');
    expect(text).toContain(`"'=HYPERLINK(""http://evil.example"")"`);
    expect(text).toContain(",'+cmd,");
    expect(text).not.toContain('omar@example.org');
    return text;
  };

  const lastExport = async () =>
    (await t.db.query(`SELECT actor_id, actor_kind, details FROM audit_events WHERE action = 'signatures.export' AND campaign_id = $1 ORDER BY at DESC LIMIT 1`, [campaign.id]))[0];

  it('exports the CSV from the console route, audited with the organiser as actor', async () => {
    const before = (await t.db.query(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'signatures.export'`))[0].n;
    await checkCsv(await binary(page(`${base()}.csv`)));
    const event = await lastExport();
    expect(event.actor_id).toBe(org.organiserId);
    expect((await t.db.query(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'signatures.export'`))[0].n).toBe(before + 1);
    // The filters of the page apply to the file.
    const iraq = (await binary(page(`${base('ar')}.csv?country=IQ`))).body.toString('utf8');
    expect(iraq).toContain('ليلى حسن');
    expect((await lastExport()).details.country).toBe('IQ');
    // Egypt's one supporter agreed to be contacted by nobody: an export holds only those who agreed.
    const egypt = (await binary(page(`${base('ar')}.csv?country=EG`))).body.toString('utf8');
    expect(egypt).not.toContain('ليلى حسن');
    expect(egypt).not.toContain('عمر علي');
    expect(egypt.trim().split('\r\n')).toHaveLength(1);
    expect((await lastExport()).details).toMatchObject({ country: 'EG', rows: 0 });
  });

  it('exports through the API with only the session cookie; a bad bearer never falls back to it', async () => {
    const res = await binary(page(`/api/v1/campaigns/${campaign.id}/signatures.csv`));
    await checkCsv(res);
    expect((await lastExport()).actor_id).toBe(org.organiserId);
    const json = await page(`/api/v1/campaigns/${campaign.id}/signatures?status=verified`);
    expect(json.status).toBe(200);
    expect(json.body.items.length).toBeGreaterThan(0);
    // A bearer token decides when given, even with a good cookie.
    const bad = await page(`/api/v1/campaigns/${campaign.id}/signatures.csv`).set('Authorization', 'Bearer not-a-valid-token-at-all');
    expect(bad.status).toBe(401);
    // No cookie, no bearer: 401; another organisation's session: refused as their bearer token is.
    expect((await t.http().get(`/api/v1/campaigns/${campaign.id}/signatures.csv`)).status).toBe(401);
    const theirs = await page(`/api/v1/campaigns/${campaign.id}/signatures.csv`, otherCookie);
    const theirsByToken = await t.http().get(`/api/v1/campaigns/${campaign.id}/signatures.csv`).set('Authorization', `Bearer ${other.token}`);
    expect(theirs.status).toBe(403);
    expect(theirs.body.code).toBe(theirsByToken.body.code);
    // The cookie authorises reads only: a write with it is refused as unauthenticated.
    const write = await t.http().post(`/api/v1/campaigns/${campaign.id}/invalidations`).set('Cookie', cookie).send({ domain: 'example.org', dryRun: true });
    expect(write.status).toBe(401);
    const release = await t.http().post(`/api/v1/campaigns/${campaign.id}/signatures/held/release`).set('Cookie', cookie).send({ all: true });
    expect(release.status).toBe(401);
    // After logout, the cookie opens nothing.
    const session = await signIn(org.email);
    const home = await page('/en/console', session);
    const token = /name="csrf" value="([^"]+)"/.exec(home.text)![1];
    expect((await post('/en/console/logout', { csrf: token }, session)).status).toBe(303);
    expect((await page(`/api/v1/campaigns/${campaign.id}/signatures.csv`, session)).status).toBe(401);
  });

  it('refuses every post without the CSRF token or from another site (403), changing nothing', async () => {
    const posts: [string, Record<string, unknown>][] = [
      [`${base()}/held`, { action: 'release', ids: [ids.held3] }],
      [`${base()}/held`, { action: 'discard', ids: [ids.held3], confirm: 'yes' }],
      [`${base()}/invalidate`, { step: 'run', domain: 'example.org', reason: 'x' }],
    ];
    for (const [path, body] of posts) {
      const missing = await post(path, body);
      expect(missing.status).toBe(403);
      expect(missing.headers['x-error-code']).toBe('CONSOLE_CSRF_INVALID');
      const wrong = await post(path, { ...body, csrf: 'x'.repeat(43) });
      expect(wrong.status).toBe(403);
      const crossSite = await t.http().post(path).set('Cookie', cookie).set('sec-fetch-site', 'cross-site').type(FORM).send({ ...body, csrf });
      expect(crossSite.status).toBe(403);
    }
    expect(await status(ids.held3)).toBe('held');
    expect(await status(ids.layla)).toBe('verified');
  });

  it("answers 404 on every URL for another organisation's campaign, a missing one or a malformed id", async () => {
    const otherCsrf = /name="csrf" value="([^"]+)"/.exec((await page('/en/console/password', otherCookie)).text)?.[1] ?? '';
    expect(otherCsrf).not.toBe('');
    for (const id of [campaign.id, '00000000-0000-4000-8000-000000000000', 'not-a-uuid', "1'%20OR%201=1"]) {
      for (const locale of ['en', 'ar']) {
        for (const path of ['', '.csv', '/invalidate']) {
          const res = await page(`${base(locale, id)}${path}`, otherCookie);
          expect(res.status).toBe(404);
          expect(res.text).not.toContain('ليلى حسن');
        }
        expect((await post(`${base(locale, id)}/held`, { csrf: otherCsrf, action: 'release', ids: [ids.held3] }, otherCookie)).status).toBe(404);
        expect((await post(`${base(locale, id)}/held`, { csrf: otherCsrf, action: 'discard', ids: [ids.held3], confirm: 'yes' }, otherCookie)).status).toBe(404);
        expect((await post(`${base(locale, id)}/invalidate`, { csrf: otherCsrf, step: 'run', domain: 'example.org', reason: 'x' }, otherCookie)).status).toBe(404);
      }
    }
    expect(await status(ids.held3)).toBe('held');
    expect(await status(ids.layla)).toBe('verified');
  });

  it('redirects to the login page without a session', async () => {
    for (const path of ['', '.csv', '/invalidate']) {
      const res = await t.http().get(`${base()}${path}`);
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/en/console/login');
    }
  });

  it('answers hostile input with 4xx, never 500', async () => {
    const huge = 'x'.repeat(100000);
    const gets = [
      `${base()}?status=${huge}`,
      `${base()}?email=${huge}`,
      `${base()}?cursor=${huge}`,
      `${base()}?trail=${huge}`,
      `${base()}?from=9999-99-99&to=0000-00-00`,
      `${base()}?status[]=held&status[]=verified&country[x]=1`,
      `${base()}?done=released&n=1e309`,
      `${base()}.csv?email=${huge}`,
      `${base()}.csv?from=2026-13-01`,
      `${base()}?email=%00`,
    ];
    for (const url of gets) {
      const res = await page(url);
      expect(res.status).toBeGreaterThanOrEqual(200);
      expect(res.status).toBeLessThan(500);
    }
    const posts: Record<string, unknown>[] = [
      { csrf, action: huge, ids: huge },
      { csrf, action: 'release', ids: Array.from({ length: 900 }, () => 'not-a-uuid') },
      { csrf, action: 'discard', ids: { a: 1 } },
      { csrf, action: 'release', ids: ['\u0000'] },
    ];
    for (const body of posts) {
      const res = await post(`${base()}/held`, body);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
    }
    const invalid: Record<string, unknown>[] = [
      { csrf, step: 'count', domain: huge, emailPattern: huge, ipHash: huge, reason: huge },
      { csrf, step: 'run', from: '2026-03-01', reason: huge },
      { csrf, step: 'count', status: 'invalidated', from: '2026-03-01' },
      { csrf, step: 'count', domain: ['a.example', 'b.example'] },
      { csrf, step: 'count', domain: 'a\u0000.example' },
    ];
    for (const body of invalid) {
      const res = await post(`${base()}/invalidate`, body);
      expect(res.status).toBeGreaterThanOrEqual(200);
      expect(res.status).toBeLessThan(500);
    }
    expect(await status(ids.layla)).toBe('verified');
  });
});
