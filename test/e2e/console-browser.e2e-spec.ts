import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { CONSOLE_STRINGS } from '../../src/modules/pages/console-strings';
import { axeCheck, launchBrowser, LaunchedBrowser, watchContext } from '../support/browser';
import { createLiveCampaign, createOrganiserWithOrganisation, OrganiserLogin } from '../support/factories';
import { freePort } from '../support/processes';
import { createTestApp, TestApp } from '../support/test-app';

const SCREENSHOTS = join(__dirname, '../../test-results/screenshots');

/**
 * The console's sign-in in a real browser (Debian's Chromium through playwright-core) with
 * JavaScript off: a wrong password, then login → landing → logout, in Arabic and English; every
 * page passes axe-core (no serious or critical violation), keeps to its CSP and calls no other host.
 */
describe('console sign-in in a browser (e2e)', () => {
  let t: TestApp;
  let launched: LaunchedBrowser;
  let browser: Browser;
  let organiser: OrganiserLogin;
  let origin: string;

  beforeAll(async () => {
    const port = await freePort();
    origin = `http://127.0.0.1:${port}`;
    t = await createTestApp({ PUBLIC_URL: origin });
    await t.app.listen(port, '127.0.0.1');
    launched = await launchBrowser();
    browser = launched.browser;
    organiser = await createOrganiserWithOrganisation(t);
    // The dashboard (the landing page) with something on it: an urgent action ending soon, a held signature.
    const urgent = await createLiveCampaign(t, organiser.token, {
      kind: 'urgent_action',
      title: 'Free the reporter',
      endsAt: new Date(Date.now() + 12 * 3600_000).toISOString(),
      translations: { ar: { title: 'أطلقوا سراح الصحفي', summary: 'ملخص', body: 'نص' } },
    });
    await t.db.query(
      `INSERT INTO signatures (campaign_id, email, email_hash, email_domain, name, country, city, locale, status, held_reason)
       VALUES ($1, 'plain:held@example.org', 'held@example.org', 'example.org', 'plain:Held', 'IQ', 'plain:Basra', 'en', 'held', 'ip_burst')`,
      [urgent.id],
    );
    mkdirSync(SCREENSHOTS, { recursive: true });
  }, 120000);

  afterAll(async () => {
    await launched?.close();
    await t?.close();
  });

  const langDir = async (page: Page) => [await page.locator('html').getAttribute('lang'), await page.locator('html').getAttribute('dir')];

  /** Signs in through the form. */
  async function signIn(page: Page, lang: 'ar' | 'en', password: string) {
    const c = CONSOLE_STRINGS[lang];
    await page.getByLabel(c.fieldEmail, { exact: true }).fill(organiser.email);
    await page.getByLabel(c.fieldPassword, { exact: true }).fill(password);
    await page.getByRole('button', { name: c.signIn, exact: true }).click();
  }

  for (const lang of ['ar', 'en'] as const) {
    it(`${lang}, JavaScript off: wrong password kept beside the field, then login → landing → logout`, async () => {
      const c = CONSOLE_STRINGS[lang];
      const context = await browser.newContext({ javaScriptEnabled: false });
      context.setDefaultTimeout(10000);
      const watch = watchContext(context, [origin]);
      try {
        const page = await context.newPage();
        await page.goto(`${origin}/${lang}/console/login`);
        expect(await langDir(page)).toEqual([lang, lang === 'ar' ? 'rtl' : 'ltr']);
        await page.screenshot({ path: join(SCREENSHOTS, `console-login-${lang}.png`), fullPage: true });

        await signIn(page, lang, 'not-the-password');
        await page.locator('#f-password-error').waitFor();
        expect(await page.locator('#f-password-error').textContent()).toBe(c.errorCredentials);
        expect(await page.getByLabel(c.fieldEmail, { exact: true }).inputValue()).toBe(organiser.email);
        await page.screenshot({ path: join(SCREENSHOTS, `console-login-error-${lang}.png`), fullPage: true });

        await signIn(page, lang, 'a-long-enough-password');
        await page.waitForURL(`${origin}/${lang}/console`);
        expect(await page.locator('#signed-in').textContent()).toContain('Noor Organiser');
        await page.screenshot({ path: join(SCREENSHOTS, `console-home-${lang}.png`), fullPage: true });
        const cookies = await context.cookies();
        expect(cookies.find((k) => k.name === 'nida_session')).toMatchObject({ httpOnly: true, sameSite: 'Lax' });

        await page.getByRole('button', { name: c.logout, exact: true }).click();
        await page.waitForURL(`${origin}/${lang}/console/login`);
        await page.goto(`${origin}/${lang}/console`);
        expect(page.url()).toBe(`${origin}/${lang}/console/login`);
        expect(watch.cspViolations).toEqual([]);
        expect(watch.thirdPartyRequests).toEqual([]);
      } finally {
        await context.close();
      }
    }, 120000);

    it(`${lang}: axe-core finds no serious or critical violation on the login page (with an error), the landing page and the Share page`, async () => {
      const c = CONSOLE_STRINGS[lang];
      const context = await browser.newContext();
      context.setDefaultTimeout(10000);
      try {
        const page = await context.newPage();
        await page.goto(`${origin}/${lang}/console/login`);
        expect(await axeCheck(page)).toEqual([]);
        await signIn(page, lang, 'not-the-password');
        await page.locator('#f-password-error').waitFor();
        expect(await axeCheck(page)).toEqual([]);
        await signIn(page, lang, 'a-long-enough-password');
        await page.waitForURL(`${origin}/${lang}/console`);
        expect(await page.getByRole('button', { name: c.logout, exact: true }).count()).toBe(1);
        expect(await page.locator('svg.spark').count()).toBe(1);
        expect(await axeCheck(page)).toEqual([]);
        // On a 390 px phone the dashboard fits without sideways scrolling.
        await page.setViewportSize({ width: 390, height: 844 });
        expect(Number(await page.evaluate('document.documentElement.scrollWidth'))).toBeLessThanOrEqual(390);
        await page.screenshot({ path: join(SCREENSHOTS, `console-dashboard-phone-${lang}.png`), fullPage: true });
        // The campaign's Share page, from its link on the dashboard: axe, the phone width, a screenshot.
        await page.locator('a.share').first().click();
        await page.waitForURL(/\/console\/campaigns\/[0-9a-f-]+\/share$/);
        expect(await page.locator('figure.qr svg').count()).toBe(1);
        expect(await axeCheck(page)).toEqual([]);
        expect(Number(await page.evaluate('document.documentElement.scrollWidth'))).toBeLessThanOrEqual(390);
        await page.screenshot({ path: join(SCREENSHOTS, `console-share-phone-${lang}.png`), fullPage: true });
      } finally {
        await context.close();
      }
    }, 120000);
  }
});
