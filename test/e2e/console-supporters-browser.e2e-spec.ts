import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { CONSOLE_STRINGS } from '../../src/modules/pages/console-strings';
import { SUPPORTERS_STRINGS } from '../../src/modules/pages/console-supporters-strings';
import { axeCheck, launchBrowser, LaunchedBrowser, watchContext } from '../support/browser';
import { createLiveCampaign, createOrganiserWithOrganisation, OrganiserLogin } from '../support/factories';
import { freePort } from '../support/processes';
import { emailHash, sealed } from '../support/supporter-data';
import { createTestApp, TestApp } from '../support/test-app';

const SCREENSHOTS = join(__dirname, '../../test-results/screenshots');

/**
 * The console's Supporters pages in a real browser (Chromium through playwright-core), JavaScript
 * off and on, Arabic and English, on a 390 px phone: the list scrolls inside its wrapper, the
 * filter form, a held signature discarded after its confirmation, an invalidation counted then
 * run, and the CSV downloaded and opened (BOM, Arabic intact, formula cell neutralised). Every page
 * passes axe-core (no serious or critical violation), keeps to its CSP and calls no other host.
 */
describe('console supporters pages in a browser (e2e)', () => {
  let t: TestApp;
  let launched: LaunchedBrowser;
  let browser: Browser;
  let organiser: OrganiserLogin;
  let origin: string;

  async function insert(campaignId: string, row: { email: string; name: string; city?: string; comment?: string; status: string; heldReason?: string; contactConsent: boolean; minutesAgo: number }) {
    await t.db.query(
      `INSERT INTO signatures (campaign_id, email, email_hash, email_domain, name, country, city, comment, locale, status, held_reason,
                               contact_consent, created_at, verified_at, contact_organisation_ids)
       VALUES ($1, $2, $3, split_part($4, '@', 2), $5, 'IQ', $6, $7, 'ar', $8, $9, $10, now() - make_interval(mins => $11),
               CASE WHEN $8 = 'verified' THEN now() END, CASE WHEN $10::boolean THEN ARRAY[(SELECT organisation_id FROM campaigns WHERE id = $1)] ELSE '{}'::uuid[] END)`,
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
        row.minutesAgo,
      ],
    );
  }

  /** A campaign of its own per run, with a verified Arabic supporter, a formula-like one, two held and two from a robot domain. */
  async function seededCampaign(): Promise<string> {
    const campaign = await createLiveCampaign(t, organiser.token, { translations: { ar: { title: 'أنقذوا الأهوار', summary: 'ملخص', body: 'نص' } } });
    await insert(campaign.id, {
      email: 'layla@example.org',
      name: 'ليلى حسن الكاظمي',
      city: 'البصرة',
      comment: 'أوقفوا تجفيف الأهوار، الآن — تعليق طويل بعض الشيء ليختبر عرض الجدول على الهاتف',
      status: 'verified',
      contactConsent: true,
      minutesAgo: 60,
    });
    await insert(campaign.id, { email: 'formula@example.org', name: '=HYPERLINK("http://evil.example")', city: '+cmd', status: 'verified', contactConsent: true, minutesAgo: 50 });
    await insert(campaign.id, { email: 'held1@example.org', name: 'Held One', status: 'held', heldReason: 'ip_burst', contactConsent: false, minutesAgo: 40 });
    await insert(campaign.id, { email: 'held2@example.org', name: 'Held Two', status: 'held', heldReason: 'honeypot', contactConsent: false, minutesAgo: 30 });
    await insert(campaign.id, { email: 'a@bots.example', name: 'Bot A', status: 'verified', contactConsent: false, minutesAgo: 20 });
    await insert(campaign.id, { email: 'b@bots.example', name: 'Bot B', status: 'pending', contactConsent: false, minutesAgo: 10 });
    return campaign.id;
  }

  beforeAll(async () => {
    const port = await freePort();
    origin = `http://127.0.0.1:${port}`;
    t = await createTestApp({ PUBLIC_URL: origin });
    await t.app.listen(port, '127.0.0.1');
    launched = await launchBrowser();
    browser = launched.browser;
    organiser = await createOrganiserWithOrganisation(t);
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

  const fitsPhone = async (page: Page) => expect(Number(await page.evaluate('document.documentElement.scrollWidth'))).toBeLessThanOrEqual(390);

  for (const lang of ['ar', 'en'] as const) {
    for (const js of [false, true]) {
      it(`${lang}, JavaScript ${js ? 'on' : 'off'}: list, filter, discard a held one, invalidate, download the CSV (390 px, axe)`, async () => {
        const s = SUPPORTERS_STRINGS[lang];
        const id = await seededCampaign();
        const context = await browser.newContext({ javaScriptEnabled: js, viewport: { width: 390, height: 844 }, acceptDownloads: true });
        context.setDefaultTimeout(10000);
        const watch = watchContext(context, [origin]);
        const shot = (name: string) => (js ? Promise.resolve() : page.screenshot({ path: join(SCREENSHOTS, `console-supporters-${name}-${lang}.png`), fullPage: true }));
        const axe = async () => {
          if (js) expect(await axeCheck(page)).toEqual([]);
        };
        const page = await context.newPage();
        try {
          await signIn(page, lang);
          const list = `${origin}/${lang}/console/campaigns/${id}/supporters`;
          await page.goto(list);
          expect(await page.locator('html').getAttribute('dir')).toBe(lang === 'ar' ? 'rtl' : 'ltr');
          expect(await page.locator('table.supporters tbody tr').count()).toBe(6);
          expect(await page.locator('table.supporters').textContent()).toContain('ليلى حسن الكاظمي');
          // The page fits the phone; the table scrolls inside its wrapper.
          await fitsPhone(page);
          const wrapper = page.locator('.table-scroll');
          expect(Number(await wrapper.evaluate((e) => e.scrollWidth))).toBeGreaterThan(Number(await wrapper.evaluate((e) => e.clientWidth)));
          await axe();
          await shot('list');

          // Filter: held only, through the form.
          await page.getByLabel(s.fieldStatus, { exact: true }).selectOption('held');
          await page.getByRole('button', { name: s.show, exact: true }).click();
          await page.waitForURL(/status=held/);
          expect(await page.locator('table.supporters tbody tr').count()).toBe(2);
          if (js) {
            // The script's "select all" box checks every held one on the page.
            await page.getByLabel(s.selectAllOnPage, { exact: true }).check();
            expect(await page.locator('input[name=ids]:checked').count()).toBe(2);
            await page.getByLabel(s.selectAllOnPage, { exact: true }).uncheck();
          }
          await axe();
          await shot('held');

          // Discard one held signature: a confirmation first.
          await page.locator('input[name=ids]').first().check();
          await page.getByRole('button', { name: s.discardSelected, exact: true }).click();
          await page.locator('#discard-text').waitFor();
          await fitsPhone(page);
          await axe();
          await shot('discard');
          await page.getByRole('button', { name: s.confirmDiscard, exact: true }).click();
          await page.locator('#supporters-notice').waitFor();
          expect(await page.locator('table.supporters tbody tr').count()).toBe(1);
          await axe();

          // An error beside its field, typed value kept.
          await page.getByLabel(s.fieldEmail, { exact: true }).fill('not-an-address');
          await page.getByRole('button', { name: s.show, exact: true }).click();
          await page.locator('#f-email-error').waitFor();
          expect(await page.locator('#f-email-error').textContent()).toBe(s.errorEmail);
          expect(await page.getByLabel(s.fieldEmail, { exact: true }).inputValue()).toBe('not-an-address');
          await fitsPhone(page);
          await axe();
          await shot('error');

          // Invalidation: counted first, then run.
          await page.goto(list);
          await page.getByRole('link', { name: s.invalidateLink, exact: true }).click();
          await page.getByLabel(s.fieldDomain, { exact: true }).fill('bots.example');
          await fitsPhone(page);
          await axe();
          await shot('invalidate');
          await page.getByRole('button', { name: s.countMatches, exact: true }).click();
          await page.locator('#dry-run-text').waitFor();
          expect(await page.locator('#dry-run-text').textContent()).toBe(lang === 'en' ? 'This would invalidate 2 signatures.' : 'سيُلغى توقيعان.');
          await page.locator('#r-reason').fill('robots');
          await fitsPhone(page);
          await axe();
          await shot('invalidate-count');
          await page.getByRole('button', { name: s.confirmInvalidate, exact: true }).click();
          await page.locator('#supporters-notice').waitFor();
          expect(await page.locator('table.supporters').textContent()).not.toContain('Bot B');

          // The CSV: downloaded from the page's button and opened.
          const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#export-link').click()]);
          const saved = join(tmpdir(), `console-supporters-${lang}-${js ? 'js' : 'nojs'}-${process.pid}.csv`);
          await download.saveAs(saved);
          const file = readFileSync(saved);
          rmSync(saved, { force: true });
          expect(file.subarray(0, 3).toString('hex')).toBe('efbbbf');
          const csv = file.toString('utf8');
          expect(csv).toContain('ليلى حسن الكاظمي');
          expect(csv).toContain('البصرة');
          expect(csv).toContain(`"'=HYPERLINK(""http://evil.example"")"`);
          expect(csv).toContain(",'+cmd,");
          expect(watch.cspViolations).toEqual([]);
          expect(watch.thirdPartyRequests).toEqual([]);
        } finally {
          await context.close();
        }
      }, 120000);
    }
  }
});
