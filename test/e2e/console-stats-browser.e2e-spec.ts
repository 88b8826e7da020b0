import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { CONSOLE_STATS_STRINGS } from '../../src/modules/pages/console-stats-strings';
import { CONSOLE_STRINGS } from '../../src/modules/pages/console-strings';
import { TallyService } from '../../src/modules/tally/tally.service';
import { axeCheck, launchBrowser, LaunchedBrowser, watchContext } from '../support/browser';
import { createLiveCampaign, createOrganiserWithOrganisation, OrganiserLogin } from '../support/factories';
import { freePort } from '../support/processes';
import { createTestApp, TestApp } from '../support/test-app';

const SCREENSHOTS = join(__dirname, '../../test-results/screenshots');
const DAY_MS = 86_400_000;

/**
 * The console's Statistics page in a real browser (Debian's Chromium through playwright-core):
 * with JavaScript off the charts are there (server-drawn SVG) and the numbers' table opens from
 * the keyboard; axe-core finds no serious or critical violation in either language, with the table
 * closed and open; on a 390 px phone nothing scrolls sideways. Screenshots in test-results/.
 */
describe('console stats page in a browser (e2e)', () => {
  let t: TestApp;
  let launched: LaunchedBrowser;
  let browser: Browser;
  let organiser: OrganiserLogin;
  let origin: string;
  let campaignId: string;

  beforeAll(async () => {
    const port = await freePort();
    origin = `http://127.0.0.1:${port}`;
    t = await createTestApp({ PUBLIC_URL: origin });
    await t.app.listen(port, '127.0.0.1');
    launched = await launchBrowser();
    browser = launched.browser;
    organiser = await createOrganiserWithOrganisation(t);
    const campaign = await createLiveCampaign(t, organiser.token, {
      title: 'Save the marshes of southern Iraq',
      goal: 400,
      timeZone: 'Asia/Baghdad',
      translations: { ar: { title: 'أنقذوا أهوار جنوب العراق', summary: 'ملخص', body: 'نص' } },
    });
    campaignId = campaign.id;
    // Published four months ago: the charts show the last 90 days, with signatures on many of them.
    await t.db.query(`UPDATE campaigns SET published_at = now() - interval '120 days', created_at = now() - interval '120 days' WHERE id = $1`, [campaignId]);
    await t.db.query(
      `INSERT INTO signatures (campaign_id, email, email_hash, email_domain, name, country, city, locale, status, verified_at, created_at)
       SELECT $1, 'plain:s' || g || '@example.org', 'stats-' || g, 'example.org', 'plain:Supporter',
              (ARRAY['IQ', 'IQ', 'IQ', 'JO', 'EG', 'LB', 'SY', 'PS', 'ZZ'])[1 + g % 9], 'plain:Basra', 'en', 'verified',
              now() - make_interval(days => (g * 7) % 110), now() - make_interval(days => (g * 7) % 110)
         FROM generate_series(1, 320) AS g`,
      [campaignId],
    );
    await t.app.get(TallyService).reconcile();
    const auth = { Authorization: `Bearer ${organiser.token}` };
    const target = await t.http().post(`/api/v1/campaigns/${campaignId}/targets`).set(auth).send({ name: 'Minister of Water Resources', email: 'minister@water.example.org', locale: 'ar' }).expect(201);
    await t.db.query(
      `INSERT INTO letters (campaign_id, target_id, signature_id, status)
       SELECT $1, $2, s.id, (ARRAY['sent', 'sent', 'failed', 'bounced'])[1 + (row_number() OVER (ORDER BY s.id))::int % 4]
         FROM (SELECT id FROM signatures WHERE campaign_id = $1 ORDER BY id LIMIT 40) s`,
      [campaignId, target.body.id],
    );
    await t.http().post(`/api/v1/campaigns/${campaignId}/targets/${target.body.id}/replies`).set(auth).send({ receivedOn: new Date(Date.now() - 3 * DAY_MS).toISOString().slice(0, 10), summary: 'Acknowledged' }).expect(201);
    mkdirSync(SCREENSHOTS, { recursive: true });
  }, 120000);

  afterAll(async () => {
    await launched?.close();
    await t?.close();
  });

  async function signIn(page: Page, lang: 'ar' | 'en') {
    const c = CONSOLE_STRINGS[lang];
    await page.goto(`${origin}/${lang}/console/login`);
    await page.getByLabel(c.fieldEmail, { exact: true }).fill(organiser.email);
    await page.getByLabel(c.fieldPassword, { exact: true }).fill('a-long-enough-password');
    await page.getByRole('button', { name: c.signIn, exact: true }).click();
    await page.waitForURL(`${origin}/${lang}/console`);
  }

  for (const lang of ['ar', 'en'] as const) {
    it(`${lang}, JavaScript off: the charts are drawn by the server, the table opens from the keyboard, no CSP breach`, async () => {
      const s = CONSOLE_STATS_STRINGS[lang];
      const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1024, height: 900 } });
      context.setDefaultTimeout(10000);
      const watch = watchContext(context, [origin]);
      try {
        const page = await context.newPage();
        await signIn(page, lang);
        await page.goto(`${origin}/${lang}/console/campaigns/${campaignId}/stats`);
        // The page's own tab is marked current in the campaign's tabs.
        expect(await page.getByRole('link', { name: CONSOLE_STRINGS[lang].tab.stats, exact: true }).getAttribute('aria-current')).toBe('page');
        expect(await page.locator('html').getAttribute('dir')).toBe(lang === 'ar' ? 'rtl' : 'ltr');
        const bars = page.getByRole('img', { name: /./ }).first();
        expect(await bars.getAttribute('aria-label')).toContain(lang === 'ar' ? 'رسم بالأعمدة' : 'Bar chart');
        const box = await page.locator('#chart-days').boundingBox();
        expect(box!.width).toBeGreaterThan(300);
        expect(box!.height).toBeGreaterThan(120);
        expect(await page.locator('#chart-days rect').count()).toBeGreaterThan(5);
        expect(await page.locator('#chart-total polyline').count()).toBe(1);
        // The numbers' table: closed, then opened from the keyboard.
        expect(await page.locator('#stats-days-table').isVisible()).toBe(false);
        await page.locator('#stats-numbers summary').focus();
        await page.keyboard.press('Enter');
        await page.locator('#stats-days-table').waitFor({ state: 'visible' });
        expect(await page.locator('#stats-days-table tbody tr').count()).toBe(90);
        expect(await page.getByText(s.tableCaption, { exact: true }).isVisible()).toBe(true);
        await page.screenshot({ path: join(SCREENSHOTS, `console-stats-page-${lang}.png`), fullPage: true });
        expect(watch.cspViolations).toEqual([]);
        expect(watch.thirdPartyRequests).toEqual([]);
      } finally {
        await context.close();
      }
    }, 120000);

    it(`${lang}: axe-core finds no serious or critical violation, and a 390 px phone does not scroll sideways`, async () => {
      const context = await browser.newContext();
      context.setDefaultTimeout(10000);
      const watch = watchContext(context, [origin]);
      try {
        const page = await context.newPage();
        await signIn(page, lang);
        await page.goto(`${origin}/${lang}/console/campaigns/${campaignId}/stats`);
        expect(await axeCheck(page)).toEqual([]);
        await page.locator('#stats-numbers summary').click();
        await page.locator('#stats-days-table').waitFor({ state: 'visible' });
        expect(await axeCheck(page)).toEqual([]);
        await page.setViewportSize({ width: 390, height: 844 });
        expect(Number(await page.evaluate('document.documentElement.scrollWidth'))).toBeLessThanOrEqual(390);
        // The charts shrink to the phone's width; the wide tables scroll inside their own box.
        const chart = await page.locator('#chart-days').boundingBox();
        expect(chart!.width).toBeLessThanOrEqual(390);
        expect(await axeCheck(page)).toEqual([]);
        await page.screenshot({ path: join(SCREENSHOTS, `console-stats-phone-${lang}.png`), fullPage: true });
        expect(watch.cspViolations).toEqual([]);
      } finally {
        await context.close();
      }
    }, 120000);
  }
});
