import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { CONSOLE_CAMPAIGN_STRINGS } from '../../src/modules/pages/console-campaigns-strings';
import { CONSOLE_STRINGS } from '../../src/modules/pages/console-strings';
import { axeCheck, launchBrowser, LaunchedBrowser, watchContext } from '../support/browser';
import { createCampaign, createOrganiserWithOrganisation, OrganiserLogin } from '../support/factories';
import { freePort } from '../support/processes';
import { createTestApp, TestApp } from '../support/test-app';

const SCREENSHOTS = join(__dirname, '../../test-results/screenshots');
const DAY_MS = 86_400_000;
const PHONE = { width: 390, height: 844 };

/** A wall-clock time in Baghdad (UTC+3, no daylight saving), `days` from now, as a datetime-local input takes it. */
function baghdadLocal(days: number): { local: string; iso: string } {
  const at = new Date(Math.floor((Date.now() + days * DAY_MS) / 60000) * 60000);
  return { local: new Date(at.getTime() + 3 * 3600_000).toISOString().slice(0, 16), iso: at.toISOString() };
}

/**
 * The console's campaign pages in a real browser: with JavaScript off an organiser creates a
 * bilingual urgent action with a deadline and publishes it through the confirmation page; with
 * JavaScript on the text's preview follows the typing; axe-core finds no serious or critical
 * violation on any of the pages in either language, and none overflows a 390 px phone.
 */
describe('console campaign pages in a browser (e2e)', () => {
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

  async function newContext(javaScriptEnabled: boolean): Promise<BrowserContext> {
    const context = await browser.newContext({ javaScriptEnabled });
    context.setDefaultTimeout(10000);
    return context;
  }

  const fits = async (page: Page) => Number(await page.evaluate('document.documentElement.scrollWidth'));
  const shot = (page: Page, name: string, lang: string) => page.screenshot({ path: join(SCREENSHOTS, `console-campaigns-${name}-${lang}.png`), fullPage: true });

  for (const lang of ['ar', 'en'] as const) {
    it(`${lang}, JavaScript off: creates a bilingual urgent action with a deadline, previews it and publishes it through the confirmation page`, async () => {
      const s = CONSOLE_CAMPAIGN_STRINGS[lang];
      const c = CONSOLE_STRINGS[lang];
      const context = await newContext(false);
      const watch = watchContext(context, [origin]);
      try {
        const page = await context.newPage();
        await page.setViewportSize(PHONE);
        await signIn(page, lang);
        await page.getByRole('link', { name: c.newCampaign, exact: true }).click();
        await page.waitForURL(`${origin}/${lang}/console/campaigns/new`);

        const title = lang === 'ar' ? 'أطلقوا سراح الصحفية هدى' : 'Free the journalist Huda';
        await page.locator(`#f-locale-${lang}`).check();
        await page.locator('#f-title-ar').fill('أطلقوا سراح الصحفية هدى');
        await page.locator('#f-summary-ar').fill('اعتُقلت هدى في الموصل دون تهمة.');
        await page.locator('#f-body-ar').fill('هدى صحفية **شجاعة**.\n\nاكتبوا إلى الوزير.');
        await page.locator('#f-title-en').fill('Free the journalist Huda');
        await page.locator('#f-summary-en').fill('Huda was detained in Mosul without charge.');
        await page.locator('#f-body-en').fill('Huda is a *brave* reporter.\n\n[Read more](https://example.org/huda)');
        await page.locator('#f-kind-urgent').check();
        await page.locator('#f-goal').fill(lang === 'ar' ? '٢٥٠٠' : '2500');
        const deadline = baghdadLocal(6);
        await page.locator('#f-ends-at').fill(deadline.local);
        await page.locator('#f-time-zone').selectOption('Asia/Baghdad');

        // Without JavaScript, the Preview button shows the texts as the public page will, keeping the form.
        await page.getByRole('button', { name: s.previewButton, exact: true }).click();
        await page.locator('#preview-en em').waitFor();
        expect(await page.locator('#preview-en em').textContent()).toBe('brave');
        expect(await page.locator('#preview-en a').getAttribute('href')).toBe('https://example.org/huda');
        expect(await page.locator('#preview-ar strong').textContent()).toBe('شجاعة');
        expect(await page.locator('#f-title-en').inputValue()).toBe('Free the journalist Huda');
        expect(await page.locator('#f-ends-at').inputValue()).toBe(deadline.local);
        expect(await page.locator('#f-time-zone').inputValue()).toBe('Asia/Baghdad');
        expect(await fits(page)).toBeLessThanOrEqual(PHONE.width);
        await shot(page, 'new-preview', lang);

        await page.getByRole('button', { name: s.saveDraft, exact: true }).click();
        await page.waitForURL(/\/console\/campaigns\/[0-9a-f-]{36}\?done=created$/);
        const id = /campaigns\/([0-9a-f-]{36})/.exec(page.url())![1];
        expect(await page.locator('#notice').textContent()).toBe(s.created);
        expect(await page.locator('h1').textContent()).toBe(s.campaignHeading.replace('{title}', title));
        await shot(page, 'edit', lang);

        // The public page before publishing.
        await page.getByRole('link', { name: s.previewLink, exact: true }).click();
        await page.waitForURL(`${origin}/${lang}/console/campaigns/${id}/preview`);
        expect(await page.locator('#preview-banner strong').textContent()).toBe(s.previewBannerDraft);
        expect(await page.locator('.public-preview h1').textContent()).toBe(title);
        await shot(page, 'preview', lang);
        await page.getByRole('link', { name: s.backToCampaign, exact: true }).click();

        // Publish: the confirmation page says what happens, then the campaign is live.
        await page.getByRole('link', { name: s.action.publish, exact: true }).click();
        await page.waitForURL(`${origin}/${lang}/console/campaigns/${id}/status/publish`);
        expect(await page.locator('h1').textContent()).toBe(s.confirmHeading.publish.replace('{title}', title));
        expect(await fits(page)).toBeLessThanOrEqual(PHONE.width);
        await shot(page, 'confirm-publish', lang);
        await page.getByRole('button', { name: s.confirmYes.publish, exact: true }).click();
        await page.waitForURL(`${origin}/${lang}/console/campaigns/${id}?done=publish`);
        expect(await page.locator('#notice').textContent()).toBe(s.done.publish);
        expect(await page.locator('.status-label').textContent()).toBe(c.status.live);

        const saved = await t.db.query(`SELECT status, kind, locale, goal, ends_at, time_zone, translations FROM campaigns WHERE id = $1`, [id]);
        expect(saved[0]).toMatchObject({ status: 'live', kind: 'urgent_action', locale: lang, goal: 2500, time_zone: 'Asia/Baghdad' });
        expect((saved[0].ends_at as Date).toISOString()).toBe(deadline.iso);
        expect(Object.keys(saved[0].translations as object)).toEqual([lang === 'ar' ? 'en' : 'ar']);

        // Its public page is open, in both languages.
        const slug = (await t.db.query(`SELECT slug FROM campaigns WHERE id = $1`, [id]))[0].slug as string;
        await page.goto(`${origin}/en/c/${encodeURIComponent(slug)}`);
        expect(await page.locator('h1').textContent()).toBe('Free the journalist Huda');
        await page.goto(`${origin}/ar/c/${encodeURIComponent(slug)}`);
        expect(await page.locator('h1').textContent()).toBe('أطلقوا سراح الصحفية هدى');
        expect(watch.cspViolations).toEqual([]);
        expect(watch.thirdPartyRequests).toEqual([]);
      } finally {
        await context.close();
      }
    }, 120000);

    it(`${lang}, JavaScript on: the text's preview follows the typing, with no CSP violation`, async () => {
      const context = await newContext(true);
      const watch = watchContext(context, [origin]);
      try {
        const page = await context.newPage();
        await signIn(page, lang);
        await page.goto(`${origin}/${lang}/console/campaigns/new`);
        await page.locator('#preview-live').waitFor({ state: 'visible' });
        await page.locator('#f-body-en').pressSequentially('Typed **live** and [linked](https://example.org)', { delay: 5 });
        await page.locator('#preview-en strong').waitFor();
        expect(await page.locator('#preview-en strong').textContent()).toBe('live');
        expect(await page.locator('#preview-en a').getAttribute('href')).toBe('https://example.org');
        await page.locator('#f-body-ar').fill('<script>window.hacked = 1</script> *مائل*');
        await page.locator('#preview-ar em').waitFor();
        expect(await page.locator('#preview-ar').textContent()).toContain('<script>');
        expect(await page.evaluate('window.hacked === undefined')).toBe(true);
        // Emptied, the preview says there is nothing yet.
        await page.locator('#f-body-en').fill('');
        await page.locator('#preview-en p.muted').waitFor();
        // …in the page's language, inside the English text's box.
        expect(await page.locator('#preview-en p.muted').getAttribute('lang')).toBe(lang);
        // Nothing was saved by previewing.
        expect((await t.db.query(`SELECT count(*)::int AS n FROM campaigns WHERE body LIKE 'Typed%'`))[0].n).toBe(0);
        // Wide screen: the two languages side by side; on a phone, one above the other.
        await page.setViewportSize({ width: 1280, height: 900 });
        const [arBox, enBox] = [await page.locator('#column-ar').boundingBox(), await page.locator('#column-en').boundingBox()];
        expect(Math.abs(arBox!.y - enBox!.y)).toBeLessThan(2);
        await shot(page, 'new-wide', lang);
        await page.setViewportSize(PHONE);
        const [arPhone, enPhone] = [await page.locator('#column-ar').boundingBox(), await page.locator('#column-en').boundingBox()];
        expect(enPhone!.y).toBeGreaterThan(arPhone!.y + arPhone!.height - 1);
        expect(await fits(page)).toBeLessThanOrEqual(PHONE.width);
        expect(watch.cspViolations).toEqual([]);
        expect(watch.thirdPartyRequests).toEqual([]);
      } finally {
        await context.close();
      }
    }, 120000);

    it(`${lang}: axe-core finds no serious or critical violation on the campaign pages, and none overflows a 390 px phone`, async () => {
      const s = CONSOLE_CAMPAIGN_STRINGS[lang];
      const draft = await createCampaign(t, organiser.token, {
        kind: 'urgent_action',
        title: `Axe check ${lang}`,
        endsAt: new Date(Date.now() + 2 * DAY_MS).toISOString(),
        translations: { ar: { title: 'فحص الإتاحة', summary: 'ملخص', body: 'نص **عريض**' } },
      });
      const context = await newContext(true);
      try {
        const page = await context.newPage();
        await page.setViewportSize(PHONE);
        await signIn(page, lang);
        const check = async (url: string, name: string) => {
          if (url) await page.goto(url);
          expect({ name, violations: await axeCheck(page) }).toEqual({ name, violations: [] });
          expect({ name, overflows: (await fits(page)) > PHONE.width }).toEqual({ name, overflows: false });
          await shot(page, name, lang);
        };
        await check(`${origin}/${lang}/console`, 'dashboard');
        await check(`${origin}/${lang}/console/campaigns/new`, 'new');
        // The form with its errors, beside the fields and in the summary.
        await page.locator('#f-title-en').fill('x');
        await page.locator('#f-goal').fill('many');
        await page.getByRole('button', { name: s.saveDraft, exact: true }).click();
        await page.locator('#error-summary').waitFor();
        expect(await page.locator('#f-title-en-error').textContent()).toContain(s.errorTitle);
        await check('', 'new-errors');
        await check(`${origin}/${lang}/console/campaigns/${draft.id}`, 'campaign');
        await check(`${origin}/${lang}/console/campaigns/${draft.id}/preview`, 'public-preview');
        await check(`${origin}/${lang}/console/campaigns/${draft.id}/status/publish`, 'confirm-publish');
        // A refusal: the deadline has passed.
        await t.db.query(`UPDATE campaigns SET ends_at = now() - interval '1 minute' WHERE id = $1`, [draft.id]);
        await page.getByRole('button', { name: s.confirmYes.publish, exact: true }).click();
        await page.locator('#refusal').waitFor();
        expect(await page.locator('#refusal p').textContent()).toContain('CAMPAIGN_DEADLINE_PASSED');
        await check('', 'refused');
        await t.db.query(`UPDATE campaigns SET status = 'live', ends_at = now() + interval '1 day', published_at = now() WHERE id = $1`, [draft.id]);
        await check(`${origin}/${lang}/console/campaigns/${draft.id}/status/win`, 'confirm-win');
        await check(`${origin}/${lang}/console/campaigns/${draft.id}/status/close`, 'confirm-close');
      } finally {
        await context.close();
      }
    }, 120000);
  }
});
