import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { UnsubscribeTokens } from '../../src/modules/updates/unsubscribe-token';
import { axeCheck, launchBrowser, LaunchedBrowser } from '../support/browser';
import { insertVerifiedSupporters } from '../support/bulk-supporters';
import { createLiveCampaign, createOrganiserWithOrganisation } from '../support/factories';
import { freePort } from '../support/processes';
import { emailHash } from '../support/supporter-data';
import { createTestApp, TestApp } from '../support/test-app';

const SCREENSHOTS = join(__dirname, '../../test-results/screenshots');

/**
 * The case status, the updates timeline and the unsubscribe page in a real browser, in both
 * languages: axe-core finds nothing serious, nothing overflows a 390 px phone, and the unsubscribe
 * button works without JavaScript.
 */
describe('case updates and unsubscribing in a browser', () => {
  let t: TestApp;
  let launched: LaunchedBrowser;
  let browser: Browser;
  let origin: string;
  let slug: string;
  let token: string;

  beforeAll(async () => {
    const port = await freePort();
    origin = `http://127.0.0.1:${port}`;
    t = await createTestApp({ PUBLIC_URL: origin });
    await t.app.listen(port, '127.0.0.1');
    launched = await launchBrowser();
    browser = launched.browser;
    const org = await createOrganiserWithOrganisation(t, 'تحالف الأهوار');
    const auth = { Authorization: `Bearer ${org.token}` };
    const campaign = await createLiveCampaign(t, org.token, {
      kind: 'urgent_action',
      locale: 'ar',
      title: 'أين سالم راضي؟',
      summary: 'اختفى سالم راضي منذ أسبوع.',
      body: 'نطالب بالكشف عن مصيره.',
      timeZone: 'Asia/Baghdad',
      translations: { en: { title: 'Where is Salim Radhi?', summary: 'Salim Radhi vanished a week ago.', body: 'We demand to know his fate.' } },
    });
    slug = campaign.slug;
    const post = (body: Record<string, unknown>) => t.http().post(`/api/v1/campaigns/${campaign.id}/updates`).set(auth).send(body).expect(201);
    await post({ title: 'جلسة المحكمة يوم الأحد', body: 'تُعقد الجلسة يوم الأحد.\n\nاحضروا.', translations: { en: { title: 'The hearing is on Sunday', body: 'The court sits on Sunday.\n\nCome.' } }, notify: false, caseStatus: 'on_trial' });
    await post({ title: 'أُطلق سراح سالم', body: 'خرج سالم اليوم بعد ثلاثة أسابيع من الاحتجاز دون تهمة، ونشكر كل من وقّع.', translations: { en: { title: 'Salim has been released', body: 'Salim walked free today after three weeks held without charge. Thank you, everyone who signed.' } }, notify: false, caseStatus: 'released' });
    await insertVerifiedSupporters(t, campaign.id, [{ email: 'layla@example.org', locale: 'ar', consent: true }]);
    const [{ id }] = await t.db.query(`SELECT id FROM signatures WHERE email_hash = $1`, [emailHash('layla@example.org')]);
    token = new UnsubscribeTokens(t.env.APP_SECRET!).forSignature(id);
    mkdirSync(SCREENSHOTS, { recursive: true });
  }, 120000);

  afterAll(async () => {
    await launched?.close();
    await t?.close();
  });

  for (const lang of ['ar', 'en'] as const) {
    it(`shows the case status and the timeline, and unsubscribes without JavaScript (${lang})`, async () => {
      for (const javaScript of [false, true]) {
        const context = await browser.newContext({ javaScriptEnabled: javaScript, viewport: { width: 390, height: 844 } });
        const page = await context.newPage();
        try {
          await page.goto(`${origin}/${lang}/c/${slug}`);
          expect(await page.locator('.case-status strong').textContent()).toBe(lang === 'ar' ? 'أُطلق سراحه' : 'Released');
          const titles = await page.locator('.timeline h3').allTextContents();
          expect(titles).toEqual(lang === 'ar' ? ['أُطلق سراح سالم', 'جلسة المحكمة يوم الأحد'] : ['Salim has been released', 'The hearing is on Sunday']);
          // axe and the width are read by scripts: in the pass with JavaScript on.
          if (javaScript) {
            expect(await axeCheck(page)).toEqual([]);
            expect(Number(await page.evaluate('document.documentElement.scrollWidth'))).toBeLessThanOrEqual(390);
          }
          if (!javaScript) await page.screenshot({ path: join(SCREENSHOTS, `updates-campaign-${lang}.png`), fullPage: true });

          await page.goto(`${origin}/${lang}/u/${token}`);
          // axe and the width are read by scripts: in the pass with JavaScript on.
          if (javaScript) {
            expect(await axeCheck(page)).toEqual([]);
            expect(Number(await page.evaluate('document.documentElement.scrollWidth'))).toBeLessThanOrEqual(390);
          }
          if (!javaScript) await page.screenshot({ path: join(SCREENSHOTS, `updates-unsubscribe-${lang}.png`), fullPage: true });
          // Opening the page changed nothing.
          expect((await t.db.query(`SELECT count(*)::int AS n FROM update_opt_outs`))[0].n).toBe(0);
          await page.locator('#scope-organisation').check();
          await page.locator('form button[type=submit]').click();
          await page.waitForURL(`${origin}/${lang}/u/${token}`);
          expect(await page.locator('h1').textContent()).toBe(lang === 'ar' ? 'أُلغي اشتراكك' : 'You are unsubscribed');
          if (javaScript) expect(await axeCheck(page)).toEqual([]);
          expect((await t.db.query(`SELECT scope, reason FROM update_opt_outs`)).map((r: { scope: string }) => r.scope)).toEqual(['organisation']);
        } finally {
          await context.close();
          await t.db.query(`DELETE FROM update_opt_outs`);
        }
      }
    }, 120000);
  }
});
