import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { TargetAnswersService } from '../../src/modules/targets/target-answers.service';
import { axeCheck, launchBrowser, type LaunchedBrowser } from '../support/browser';
import { createLiveCampaign, createOrganiserWithOrganisation } from '../support/factories';
import { freePort } from '../support/processes';
import { createTestApp, type TestApp } from '../support/test-app';

const SCREENSHOTS = join(__dirname, '../../test-results/screenshots');

/**
 * The page where an official answers, in a real browser, in both languages: axe-core finds nothing
 * serious (with the form's errors shown too), nothing overflows a 390 px phone, and the answer is
 * sent with JavaScript on and off.
 */
describe('the officials’ answer page in a browser', () => {
  let t: TestApp;
  let launched: LaunchedBrowser;
  let browser: Browser;
  let origin: string;
  let campaignId: string;
  let link: string;

  beforeAll(async () => {
    const port = await freePort();
    origin = `http://127.0.0.1:${port}`;
    t = await createTestApp({ PUBLIC_URL: origin });
    await t.app.listen(port, '127.0.0.1');
    launched = await launchBrowser();
    browser = launched.browser;
    const org = await createOrganiserWithOrganisation(t, 'تحالف الأهوار');
    const campaign = await createLiveCampaign(t, org.token, {
      locale: 'ar',
      title: 'أنقذوا الأهوار من الجفاف قبل فوات الأوان',
      summary: 'الأهوار تجفّ.',
      body: 'نطالب بالتحرك.',
      translations: { en: { title: 'Save the marshes from drought before it is too late', summary: 'The marshes are drying.', body: 'We ask you to act.' } },
    });
    campaignId = campaign.id;
    const target = (await t.http().post(`/api/v1/campaigns/${campaign.id}/targets`).set({ Authorization: `Bearer ${org.token}` }).send({ name: 'وزارة الموارد المائية', email: 'mowr@gov.example.org', locale: 'ar' }).expect(201)).body;
    // The link a letter would carry (made with the first letter).
    link = (await t.app.get(TargetAnswersService).link(target.id, 'ar'))!;
    mkdirSync(SCREENSHOTS, { recursive: true });
  }, 120000);

  afterAll(async () => {
    await launched?.close();
    await t?.close();
  });

  for (const lang of ['ar', 'en'] as const) {
    it(`shows the form, its errors and the receipt, with and without JavaScript (${lang})`, async () => {
      const path = new URL(link).pathname.replace(/^\/ar\//, `/${lang}/`);
      for (const javaScript of [false, true]) {
        const context = await browser.newContext({ javaScriptEnabled: javaScript, viewport: { width: 390, height: 844 } });
        const page = await context.newPage();
        try {
          await page.goto(`${origin}${path}`);
          expect(await page.getAttribute('html', 'dir')).toBe(lang === 'ar' ? 'rtl' : 'ltr');
          expect(await page.locator('h1').textContent()).toBe(lang === 'ar' ? 'الردّ على الحملة' : 'Answer the campaign');
          expect(await page.locator('main').textContent()).toContain(lang === 'ar' ? 'أنقذوا الأهوار من الجفاف' : 'Save the marshes from drought');
          if (javaScript) {
            expect(await axeCheck(page)).toEqual([]);
            expect(Number(await page.evaluate('document.documentElement.scrollWidth'))).toBeLessThanOrEqual(390);
          } else await page.screenshot({ path: join(SCREENSHOTS, `answer-${lang}.png`), fullPage: true });

          // Nothing typed: the errors, linked from a summary.
          await page.locator('#answer button[type=submit]').click();
          await page.waitForLoadState();
          expect(await page.locator('#error-summary a').getAttribute('href')).toBe('#f-text');
          expect(await page.locator('#f-text').getAttribute('aria-invalid')).toBe('true');
          if (javaScript) expect(await axeCheck(page)).toEqual([]);

          await page.locator('#f-text').fill(lang === 'ar' ? 'نتابع الموضوع مع الجهات المعنية.' : 'We are looking into it.');
          await page.locator('#f-name').fill('Ali <b>Hassan</b>');
          await page.locator('#answer button[type=submit]').click();
          await page.waitForLoadState();
          expect(await page.locator('h1').textContent()).toBe(lang === 'ar' ? 'وصل ردّكم' : 'Your answer was received');
          if (javaScript) {
            expect(await axeCheck(page)).toEqual([]);
            expect(Number(await page.evaluate('document.documentElement.scrollWidth'))).toBeLessThanOrEqual(390);
          }
        } finally {
          await context.close();
        }
      }
    }, 120000);
  }

  it('stored each answer pending approval', async () => {
    const [{ n }] = await t.db.query(
      `SELECT count(*)::int AS n FROM target_replies r JOIN targets t ON t.id = r.target_id WHERE t.campaign_id = $1 AND r.status = 'pending_approval' AND r.answered_by_name = 'Ali <b>Hassan</b>'`,
      [campaignId],
    );
    expect(n).toBe(4);
  });
});
