import { dayIn } from '../../src/common/zoned-date';
import { formatNumber } from '../../src/common/plural';
import { CONSOLE_STATS_STRINGS } from '../../src/modules/pages/console-stats-strings';
import { CONSOLE_STRINGS } from '../../src/modules/pages/console-strings';
import { TallyFoldLoop } from '../../src/modules/tally/jobs/tally-fold.loop';
import { TallyService } from '../../src/modules/tally/tally.service';
import { createLiveCampaign, createOrganiserWithOrganisation, OrganiserLogin } from '../support/factories';
import { signAndConfirm } from '../support/signing';
import { SmtpSink } from '../support/smtp-sink';
import { createTestApp, TestApp } from '../support/test-app';

const FORM = 'application/x-www-form-urlencoded';
const SAME_ORIGIN = { 'sec-fetch-site': 'same-origin' };
const PASSWORD = 'a-long-enough-password';
const DAY_MS = 86_400_000;
const ZONE = 'Asia/Baghdad';
const FORMAT = { en: 'en-GB', ar: 'ar-u-nu-arab' } as const;

/**
 * The console's Statistics page: real supporters confirm through the API and the SMTP sink, more
 * verified signatures are inserted with chosen verified_at over the last days (as a crowd over a
 * week would leave them), and the page's table, countries, milestones and letters are read back.
 */
describe('console stats page (e2e)', () => {
  let t: TestApp;
  let org: OrganiserLogin;
  let other: OrganiserLogin;
  let cookie: string;
  let otherCookie: string;
  const smtp = new SmtpSink();
  let roundId: string;
  let goalId: string;
  let emptyId: string;
  let longId: string;
  /** Noon (UTC) of a day `daysAgo` days back: the same calendar day in UTC and in Baghdad. */
  const noon = (daysAgo: number) => new Date(`${at(daysAgo).toISOString().slice(0, 10)}T12:00:00Z`);
  let minister: string;
  let unesco: string;
  /** The moment the inserted signatures count back from (so expected days use the same instants). */
  const base = Date.now();
  const at = (daysAgo: number) => new Date(base - daysAgo * DAY_MS);

  async function signIn(email: string): Promise<string> {
    const page = await t.http().get('/en/console/login');
    const login = [page.headers['set-cookie']].flat().find((c: string) => c?.startsWith('nida_login='))!.split(';')[0];
    const csrf = /name="csrf" value="([^"]+)"/.exec(page.text)![1];
    const res = await t.http().post('/en/console/login').set(SAME_ORIGIN).set('Cookie', login).type(FORM).send({ csrf, email, password: PASSWORD });
    expect(res.status).toBe(303);
    return [res.headers['set-cookie']].flat().find((c: string) => c?.startsWith('nida_session='))!.split(';')[0];
  }

  const stats = (locale: string, id: string, session = cookie) => t.http().get(`/${locale}/console/campaigns/${id}/stats`).set('Cookie', session);

  /** Verified signatures as the confirming transaction leaves them, but on a chosen day. */
  async function insertVerified(campaignId: string, country: string, verifiedAt: Date, count: number, tag: string) {
    await t.db.query(
      `INSERT INTO signatures (campaign_id, email, email_hash, email_domain, name, country, city, locale, status, verified_at, created_at)
       SELECT $1, 'plain:' || $4 || g || '@example.org', $4 || '-' || g, 'example.org', 'plain:Supporter', $2, 'plain:Basra', 'en', 'verified', $3, $3
         FROM generate_series(1, $5::int) AS g`,
      [campaignId, country, verifiedAt, `${tag}-${campaignId}`, count],
    );
  }

  /** A section of the page, by its id. */
  function section(html: string, id: string): string {
    const start = html.indexOf(`<section aria-labelledby="${id}-heading"`);
    expect(start).toBeGreaterThan(-1);
    return html.slice(start, html.indexOf('</section>', start));
  }

  /** A table's body rows as arrays of cell texts. */
  function rows(html: string, tableId: string): string[][] {
    const start = html.indexOf(`<table id="${tableId}">`);
    expect(start).toBeGreaterThan(-1);
    const table = html.slice(start, html.indexOf('</table>', start));
    const body = table.slice(table.indexOf('<tbody>'));
    return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) =>
      [...m[1].matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => c[1].replace(/<[^>]+>/g, '').trim()),
    );
  }

  const longDay = (locale: 'ar' | 'en', day: string) => new Intl.DateTimeFormat(FORMAT[locale], { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${day}T12:00:00Z`));

  beforeAll(async () => {
    t = await createTestApp({ SMTP_URL: await smtp.start() });
    org = await createOrganiserWithOrganisation(t);
    other = await createOrganiserWithOrganisation(t);
    const auth = { Authorization: `Bearer ${org.token}` };

    // A campaign without a goal, published ten days ago (Baghdad's days).
    const round = await createLiveCampaign(t, org.token, { title: 'Save the marshes', goal: null, timeZone: ZONE, translations: { ar: { title: 'أنقذوا الأهوار', summary: 'ملخص', body: 'نص' } } });
    roundId = round.id;
    await t.db.query(`UPDATE campaigns SET published_at = $2, created_at = $2 WHERE id = $1`, [roundId, at(10)]);
    // Three real supporters confirm today; one of them is moved to two days ago.
    for (const [name, country] of [['layla', 'IQ'], ['omar', 'IQ'], ['sara', 'JO']]) {
      await signAndConfirm(t, smtp, round.slug, { name: 'Layla Hassan', email: `${name}@example.org`, country });
    }
    await t.app.get(TallyFoldLoop).loop.runOnce();
    await t.db.query(`UPDATE signatures SET verified_at = $2 WHERE id = (SELECT id FROM signatures WHERE campaign_id = $1 ORDER BY created_at LIMIT 1)`, [roundId, at(2)]);
    // And a crowd six and four days ago, from Egypt and from a code no country has.
    await insertVerified(roundId, 'EG', at(6), 5, 'eg');
    await insertVerified(roundId, 'ZZ', at(4), 6, 'zz');

    // A campaign with a goal of 4: two real confirmations reach 25 % and 50 % (recorded by the
    // tally today); a third signature, verified three days ago, was never folded as an event
    // (75 % is not recorded: the page reads its day from the daily counts).
    const goal = await createLiveCampaign(t, org.token, { title: 'Free the reporter', goal: 4, timeZone: ZONE });
    goalId = goal.id;
    await t.db.query(`UPDATE campaigns SET published_at = $2, created_at = $2 WHERE id = $1`, [goalId, at(5)]);
    for (const name of ['noor', 'huda']) await signAndConfirm(t, smtp, goal.slug, { name: 'Noor Ali', email: `${name}@example.org`, country: 'IQ' });
    await t.app.get(TallyFoldLoop).loop.runOnce();
    await insertVerified(goalId, 'IQ', at(3), 1, 'old');

    const empty = await createLiveCampaign(t, org.token, { title: 'Nothing yet', timeZone: ZONE });
    emptyId = empty.id;

    // A campaign published 200 days ago: 7 signatures 150 days ago and 4 100 days ago (before the
    // 90 days drawn), 2 ten days ago.
    const long = await createLiveCampaign(t, org.token, { title: 'A long campaign', goal: null, timeZone: ZONE });
    longId = long.id;
    await t.db.query(`UPDATE campaigns SET published_at = $2, created_at = $2 WHERE id = $1`, [longId, at(200)]);
    await insertVerified(longId, 'IQ', noon(150), 7, 'l150');
    await insertVerified(longId, 'IQ', noon(100), 4, 'l100');
    await insertVerified(longId, 'IQ', noon(10), 2, 'l10');
    // The counters made to match the signatures, as the reconciliation job does.
    await t.app.get(TallyService).reconcile();

    // Two officials: letters to the minister as the sender leaves them (sent, failed, bounced,
    // cancelled), none to UNESCO; replies recorded. (A queued letter would be picked up by the worker.)
    minister = (await t.http().post(`/api/v1/campaigns/${roundId}/targets`).set(auth).send({ name: 'Minister of Water', email: 'minister@water.example.org', locale: 'en' }).expect(201)).body.id;
    unesco = (await t.http().post(`/api/v1/campaigns/${roundId}/targets`).set(auth).send({ name: 'UNESCO', email: 'whc@unesco.example.org', locale: 'en' }).expect(201)).body.id;
    const statuses = ['sent', 'sent', 'sent', 'failed', 'bounced', 'bounced', 'cancelled'];
    await t.db.query(
      `INSERT INTO letters (campaign_id, target_id, signature_id, status)
       SELECT $1, $2, s.id, ($3::text[])[s.k]
         FROM (SELECT id, row_number() OVER (ORDER BY id) AS k FROM signatures WHERE campaign_id = $1 AND status = 'verified') s
        WHERE s.k <= array_length($3::text[], 1)`,
      [roundId, minister, statuses],
    );
    for (const receivedOn of ['2026-10-02', '2026-11-15']) {
      await t.http().post(`/api/v1/campaigns/${roundId}/targets/${minister}/replies`).set(auth).send({ receivedOn, summary: 'They will look into it' }).expect(201);
    }

    cookie = await signIn(org.email);
    otherCookie = await signIn(other.email);
  }, 60000);

  afterAll(async () => {
    await t?.close();
    await smtp.stop();
  });

  it.each(['en', 'ar'] as const)('shows every day since publication with its count and the running total, exactly (%s)', async (locale) => {
    const res = await stats(locale, roundId);
    expect(res.status).toBe(200);
    const page = res.text;
    expect(page).toContain(`<html lang="${locale}" dir="${locale === 'ar' ? 'rtl' : 'ltr'}">`);
    const n = (x: number) => formatNumber(x, locale);
    const counts = new Map<string, number>();
    const add = (d: Date, k: number) => counts.set(dayIn(ZONE, d), (counts.get(dayIn(ZONE, d)) ?? 0) + k);
    add(at(6), 5);
    add(at(4), 6);
    add(at(2), 1);
    add(new Date(), 2);
    const days = Array.from({ length: 11 }, (_, k) => dayIn(ZONE, new Date(base - (10 - k) * DAY_MS)));
    let total = 0;
    const expected = days.map((d) => {
      total += counts.get(d) ?? 0;
      return [longDay(locale, d), n(counts.get(d) ?? 0), n(total)];
    });
    expect(rows(page, 'stats-days-table')).toEqual(expected);
    expect(total).toBe(14);
    expect(page).toContain(`<dd id="stat-verified">${n(14)}</dd>`);
    // The charts: inline SVG, an image with a summary, its numbers in a table reachable by keyboard.
    const s = CONSOLE_STATS_STRINGS[locale];
    expect(page).toMatch(/<svg class="chart chart-bars" id="chart-days" role="img" aria-label="[^"]+"/);
    expect(page).toMatch(/<svg class="chart chart-line" id="chart-total" role="img" aria-label="[^"]+"/);
    expect(page).toContain(`<summary>${s.tableSummary}</summary>`);
    const bars = section(page, 'days').match(/<rect /g) ?? [];
    expect(bars).toHaveLength([...counts.values()].length);
    const label = /id="chart-days" role="img" aria-label="([^"]+)"/.exec(page)![1];
    expect(label).toContain(longDay(locale, days[0]));
    expect(label).toContain(longDay(locale, days[10]));
    // Value ticks in the page's digits.
    const ticks = [...section(page, 'days').matchAll(/<text [^>]*>([^<]+)<\/text>/g)].map((m) => m[1]);
    expect(ticks).toContain(n(0));
    if (locale === 'ar') expect(ticks.join(' ')).not.toMatch(/[0-9]/);
    expect(page).not.toMatch(/ style="/);
  });

  it.each(['en', 'ar'] as const)("names the countries in the page's language, most signatures first, the unknown code labelled (%s)", async (locale) => {
    const page = (await stats(locale, roundId)).text;
    const n = (x: number) => formatNumber(x, locale);
    const names = locale === 'ar' ? ['بلد غير معروف', 'مصر', 'العراق', 'الأردن'] : ['Unknown country', 'Egypt', 'Iraq', 'Jordan'];
    expect(rows(page, 'stats-country-table').map((r) => r.slice(0, 2))).toEqual([
      [names[0], n(6)],
      [names[1], n(5)],
      [names[2], n(2)],
      [names[3], n(1)],
    ]);
    const percent = new Intl.NumberFormat(FORMAT[locale], { style: 'percent', maximumFractionDigits: 1 });
    expect(rows(page, 'stats-country-table')[0][2]).toBe(percent.format(6 / 14));
  });

  it('dates round-number milestones from the daily counts when the campaign has no goal', async () => {
    const page = (await stats('en', roundId)).text;
    // 5 six days ago, 11 four days ago: 10 was passed four days ago.
    expect(rows(page, 'stats-milestone-table')).toEqual([
      ['10 signatures', longDay('en', dayIn(ZONE, at(4)))],
      ['100 signatures', 'Not yet'],
    ]);
    expect(section(page, 'milestones')).toContain(CONSOLE_STATS_STRINGS.en.milestonesRound);
  });

  it("dates a goal's quarters as the tally recorded them, and one it did not record from the daily counts, marked", async () => {
    for (const locale of ['en', 'ar'] as const) {
      const s = CONSOLE_STATS_STRINGS[locale];
      const page = (await stats(locale, goalId)).text;
      const today = longDay(locale, dayIn(ZONE, new Date()));
      const whole = new Intl.NumberFormat(FORMAT[locale], { style: 'percent' });
      const label = (p: number, k: number) => s.milestonePercent.replace('{percent}', whole.format(p / 100)).replace('{n}', formatNumber(k, locale));
      expect(rows(page, 'stats-milestone-table')).toEqual([
        [label(25, 1), today],
        [label(50, 2), today],
        // One three days ago and two today: three (75 %) today, by the daily counts.
        [label(75, 3), `${today} (${s.fromDaily})`],
        [label(100, 4), s.notYet],
      ]);
      expect(page).toContain(`id="milestones-computed">${s.milestonesComputed}`);
    }
    const stored = await t.db.query(`SELECT percent FROM campaign_milestones WHERE campaign_id = $1 ORDER BY percent`, [goalId]);
    expect(stored.map((r: { percent: number }) => r.percent)).toEqual([25, 50]);
  });

  it('draws only the last 90 days of a long campaign, counting the earlier ones in the totals and the milestones', async () => {
    const page = (await stats('en', longId)).text;
    const table = rows(page, 'stats-days-table');
    expect(table).toHaveLength(90);
    expect(table[0]).toEqual([longDay('en', dayIn(ZONE, at(89))), '0', '11']);
    expect(table[89]).toEqual([longDay('en', dayIn(ZONE, new Date())), '0', '13']);
    expect(table.find((r) => r[0] === longDay('en', dayIn(ZONE, noon(10))))).toEqual([longDay('en', dayIn(ZONE, noon(10))), '2', '13']);
    expect(page).toContain('The charts show the last 90 days only. 11 signatures verified before that are counted in the totals.');
    expect(rows(page, 'stats-milestone-table')).toEqual([
      ['10 signatures', longDay('en', noon(100).toISOString().slice(0, 10))],
      ['100 signatures', 'Not yet'],
    ]);
  });

  it('shows letters sent, failed, bounced and waiting per official, with the replies and the latest one', async () => {
    const en = (await stats('en', roundId)).text;
    expect(rows(en, 'stats-letter-table')).toEqual([
      ['Minister of Water', '3', '1', '2', '0', '2', '15 November 2026'],
      ['UNESCO', '0', '0', '0', '0', '0', 'None'],
    ]);
    const ar = (await stats('ar', roundId)).text;
    expect(rows(ar, 'stats-letter-table')).toEqual([
      ['Minister of Water', '٣', '١', '٢', '٠', '٢', '١٥ نوفمبر ٢٠٢٦'],
      ['UNESCO', '٠', '٠', '٠', '٠', '٠', 'لا يوجد'],
    ]);
    expect(minister).not.toBe(unesco);
  });

  it('is in Arabic with no English word outside the campaign data', async () => {
    const page = (await stats('ar', roundId)).text;
    const text = page
      .replace(/<head>[\s\S]*?<\/head>/, '')
      .replace(/<[^>]+>/g, ' ')
      .replace(/Minister of Water|UNESCO|Nida|English/g, '');
    expect(text).not.toMatch(/[A-Za-z]{2,}/);
    expect(text).not.toMatch(/[0-9]/);
  });

  it('says so when there is nothing to count yet, and is reached from the campaign tabs', async () => {
    const res = await stats('en', emptyId);
    expect(res.status).toBe(200);
    expect(res.text).toContain(`<p id="stats-none">${CONSOLE_STATS_STRINGS.en.noSignatures}</p>`);
    expect(res.text).not.toContain('<svg class="chart');
    expect(res.text).toContain(`<a href="/en/console/campaigns/${emptyId}/stats" aria-current="page">${CONSOLE_STRINGS.en.tab.stats}</a>`);
  });

  it("answers 404 for another organisation's campaign, a missing one and any malformed id, never 500", async () => {
    for (const locale of ['en', 'ar']) {
      const theirs = await stats(locale, roundId, otherCookie);
      expect(theirs.status).toBe(404);
      expect(theirs.text).not.toContain('Save the marshes');
      expect(theirs.text).not.toContain('Minister of Water');
      for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid', '1', `${roundId}x`, 'x'.repeat(300), "1'%20OR%20'1'='1", '..%2F..%2Fconsole']) {
        const res = await stats(locale, id);
        expect(res.status).toBe(404);
        expect(res.text).not.toContain('Save the marshes');
      }
      // What the server refuses before the route (NUL, a bad escape, a huge line): 4xx too.
      for (const id of ['%00', `${roundId}%00`, '%E0%A4%A', 'x'.repeat(20000)]) {
        const res = await stats(locale, id);
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
      }
    }
    // Signed out: to the login page.
    const out = await t.http().get(`/en/console/campaigns/${roundId}/stats`);
    expect(out.status).toBe(303);
    expect(out.headers.location).toBe('/en/console/login');
  });
});
