import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { CONSOLE_COMMENTS_STRINGS } from '../../src/modules/pages/console-comments-strings';
import { CONSOLE_STRINGS } from '../../src/modules/pages/console-strings';
import { axeCheck, launchBrowser, LaunchedBrowser, watchContext } from '../support/browser';
import { createLiveCampaign, createOrganiserWithOrganisation, OrganiserLogin } from '../support/factories';
import { freePort } from '../support/processes';
import { emailHash, sealed } from '../support/supporter-data';
import { createTestApp, TestApp } from '../support/test-app';

const SCREENSHOTS = join(__dirname, '../../test-results/screenshots');
const SCRIPT = '<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2">';

/**
 * The Comments tab and the public comments in a real browser (Chromium through playwright-core):
 * Arabic with JavaScript off and English with it on, on a 390 px phone. An organiser approves one
 * comment with its own button, hides two with the boxes, stops showing a name; the public page
 * then shows the approved comment as text (never as markup: no script runs), the supporter as
 * "a supporter" / «مؤيد», dated in the page's language. Every page passes axe-core (the Arabic
 * ones checked in a second, scripted context), keeps to its CSP and calls no other host.
 */
describe('comments in a browser (e2e)', () => {
  let t: TestApp;
  let launched: LaunchedBrowser;
  let browser: Browser;
  let organiser: OrganiserLogin;
  let origin: string;
  let n = 0;

  /** Inserts a confirmed signature `minutesAgo` before now and returns when it was signed. */
  async function insert(campaignId: string, row: { name: string; city: string; comment: string; showName: boolean; minutesAgo: number }): Promise<Date> {
    const email = `browser-${n++}@example.org`;
    const [{ created_at: createdAt }] = await t.db.query(
      `INSERT INTO signatures (campaign_id, email, email_hash, email_domain, name, country, city, comment, show_name, locale, status, created_at, verified_at)
       VALUES ($1, $2, $3, 'example.org', $4, 'IQ', $5, $6, $7, 'ar', 'verified', now() - make_interval(mins => $8), now() - make_interval(mins => $8))
       RETURNING created_at`,
      [campaignId, sealed('email', email), emailHash(email), sealed('name', row.name), sealed('city', row.city), sealed('comment', row.comment), row.showName, row.minutesAgo],
    );
    return createdAt;
  }

  beforeAll(async () => {
    const port = await freePort();
    origin = `http://127.0.0.1:${port}`;
    t = await createTestApp({ PUBLIC_URL: origin, COUNT_CACHE_MS: '0' });
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

  for (const [lang, js] of [['ar', false], ['en', true]] as const) {
    it(`${lang}, JavaScript ${js ? 'on' : 'off'}: moderate on the Comments tab, then read the public comments (390 px, axe)`, async () => {
      const s = CONSOLE_COMMENTS_STRINGS[lang];
      const campaign = await createLiveCampaign(t, organiser.token, { translations: { ar: { title: 'أنقذوا الأهوار', summary: 'ملخص الحملة', body: 'نص الحملة' } } });
      const signedAt = await insert(campaign.id, { name: 'ليلى حسن', city: 'البصرة', comment: `${SCRIPT}\nأوقفوا تجفيف الأهوار الآن`, showName: true, minutesAgo: 30 });
      await insert(campaign.id, { name: 'Omar Khalil', city: 'Mosul', comment: 'Spam spam spam', showName: true, minutesAgo: 20 });
      await insert(campaign.id, { name: 'Zaid Nouri', city: 'Erbil', comment: 'Another one to hide', showName: false, minutesAgo: 10 });

      const context = await browser.newContext({ javaScriptEnabled: js, viewport: { width: 390, height: 844 } });
      context.setDefaultTimeout(10000);
      const watch = watchContext(context, [origin]);
      const page = await context.newPage();
      let checker: BrowserContext | null = null;
      // axe needs a script: with JavaScript off, the same page is checked in a scripted context with the same session.
      const axe = async () => {
        if (js) return expect(await axeCheck(page)).toEqual([]);
        checker ??= await browser.newContext({ viewport: { width: 390, height: 844 }, storageState: await context.storageState() });
        const other = await checker.newPage();
        await other.goto(page.url());
        expect(await axeCheck(other)).toEqual([]);
        await other.close();
      };
      const shot = (name: string) => page.screenshot({ path: join(SCREENSHOTS, `comments-${name}-${lang}.png`), fullPage: true });
      try {
        await signIn(page, lang);
        await page.goto(`${origin}/${lang}/console/campaigns/${campaign.id}/comments`);
        expect(await page.locator('html').getAttribute('dir')).toBe(lang === 'ar' ? 'rtl' : 'ltr');
        expect(await page.locator('.comment-item').count()).toBe(3);
        expect(await page.locator('.comment-text').last().textContent()).toContain('<script>window.pwned = 1</script>');
        await fitsPhone(page);
        await axe();
        await shot('queue');

        // One comment approved by its own button.
        await page.getByRole('button', { name: s.approveOne.replace('{name}', 'ليلى حسن'), exact: true }).click();
        await page.locator('#comments-notice').waitFor();
        expect(await page.locator('#comments-notice').textContent()).toBe(lang === 'ar' ? 'تمت الموافقة على تعليق واحد.' : '1 comment approved.');
        expect(await page.locator('.comment-item').count()).toBe(2);
        // The two others hidden with the boxes.
        await page.getByLabel(s.selectOne.replace('{name}', 'Omar Khalil').split('،')[0].split(',')[0], { exact: false }).check();
        await page.getByLabel(s.selectOne.replace('{name}', 'Zaid Nouri').split('،')[0].split(',')[0], { exact: false }).check();
        await page.getByRole('button', { name: s.hideSelected, exact: true }).click();
        await page.locator('#comments-notice').waitFor();
        expect(await page.locator('#comments-notice').textContent()).toBe(lang === 'ar' ? 'أُخفي تعليقان.' : '2 comments hidden.');
        expect(await page.locator('#comments-none').count()).toBe(1);
        await axe();

        // The approved one: its supporter's name taken off the public page.
        await page.getByRole('link', { name: s.filter.approved, exact: true }).click();
        await page.getByRole('button', { name: s.hideNameOne.replace('{name}', 'ليلى حسن'), exact: true }).click();
        await page.locator('#comments-notice').waitFor();
        expect(await page.locator('.comment-item').textContent()).toContain(s.nameHidden);
        await fitsPhone(page);
        await axe();
        await shot('approved');

        // The public page: the comment as text, "a supporter", the day it was signed in the page's
        // language (that day, not today's: just after midnight, 30 minutes ago was yesterday).
        await page.goto(`${origin}/${lang}/c/${campaign.slug}`);
        const section = page.locator('#comments');
        expect(await section.locator('li').count()).toBe(1);
        const text = (await section.textContent()) ?? '';
        expect(text).toContain('<script>window.pwned = 1</script>');
        expect(text).toContain('أوقفوا تجفيف الأهوار الآن');
        expect(text).toContain(lang === 'ar' ? 'مؤيد' : 'A supporter');
        expect(text).not.toContain('ليلى');
        expect(text).not.toContain('Omar');
        const date = new Intl.DateTimeFormat(lang === 'ar' ? 'ar-u-nu-arab' : 'en-GB', { dateStyle: 'long', timeZone: 'UTC' }).format(signedAt);
        expect(text).toContain(date);
        expect(await section.locator('img, script').count()).toBe(0);
        if (js) expect(await page.evaluate('window.pwned')).toBeUndefined();
        await fitsPhone(page);
        await axe();
        await shot('public');
        expect(watch.cspViolations).toEqual([]);
        expect(watch.thirdPartyRequests).toEqual([]);
      } finally {
        await (checker as BrowserContext | null)?.close();
        await context.close();
      }
    }, 300000);
  }
});
