import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { CONSOLE_STRINGS } from '../../src/modules/pages/console-strings';
import { CONSOLE_PHOTO_STRINGS } from '../../src/modules/pages/console-photo-strings';
import { axeCheck, launchBrowser, LaunchedBrowser, PageWatch, watchContext } from '../support/browser';
import { createLiveCampaign, createOrganiserWithOrganisation, OrganiserLogin } from '../support/factories';
import { jpegWithGps } from '../support/photos';
import { freePort } from '../support/processes';
import { createTestApp, TestApp } from '../support/test-app';
import { waitUntil } from '../support/wait';

const SCREENSHOTS = join(__dirname, '../../test-results/screenshots');
const ALT = { ar: 'قارب صيد في الأهوار عند الغروب', en: 'A fishing boat in the marshes at sunset' };

/**
 * The console's Photo page in Chromium, in Arabic and English: with JavaScript off an organiser
 * uploads a photo (a wrong form first: the errors beside the fields, what was typed kept), sees it
 * and its share card, and removes it after the confirmation; axe-core finds nothing serious, nothing
 * overflows a 390 px phone, the CSP holds. The public campaign page with the photo is photographed
 * on a 390 px phone in both languages.
 */
describe('console photo page in a browser (e2e)', () => {
  let t: TestApp;
  let launched: LaunchedBrowser;
  let browser: Browser;
  let organiser: OrganiserLogin;
  let origin: string;
  let storageDir: string;
  let photoFile: string;
  let campaign: { id: string; slug: string };

  beforeAll(async () => {
    const port = await freePort();
    origin = `http://127.0.0.1:${port}`;
    storageDir = mkdtempSync(join(tmpdir(), 'nida-photo-browser-'));
    t = await createTestApp({ PUBLIC_URL: origin, STORAGE_DIR: storageDir, CHROMIUM_PATH: '/usr/bin/chromium', SHARE_CARD_MIN_SECONDS: '1', SHARE_CARD_SWEEP_SECONDS: '1' });
    await t.app.listen(port, '127.0.0.1');
    launched = await launchBrowser();
    browser = launched.browser;
    organiser = await createOrganiserWithOrganisation(t, 'تحالف الأهوار');
    campaign = await createLiveCampaign(t, organiser.token, {
      kind: 'urgent_action',
      locale: 'ar',
      title: 'أنقذوا الأهوار من الجفاف',
      summary: 'الأهوار تجف، وسكانها يرحلون. اطلبوا من الحكومة إطلاق حصة المياه.',
      body: 'جفّت الأهوار هذا الصيف.\n\nنطلب من وزارة الموارد المائية إطلاق حصة الأهوار من المياه.',
      goal: 1000,
      translations: { en: { title: 'Save the marshes from drought', summary: 'The marshes are drying and their people are leaving.', body: 'The marshes dried up this summer.' } },
    });
    photoFile = join(storageDir, '..', `marshes-${Date.now()}.jpg`);
    writeFileSync(photoFile, await jpegWithGps(2000, 1400));
    mkdirSync(SCREENSHOTS, { recursive: true });
  }, 120000);

  afterAll(async () => {
    await launched?.close();
    await t?.close();
    rmSync(storageDir, { recursive: true, force: true });
    rmSync(photoFile, { force: true });
  });

  async function signedIn(lang: 'ar' | 'en', options: Parameters<Browser['newContext']>[0]): Promise<{ context: BrowserContext; page: Page; watch: PageWatch }> {
    const c = CONSOLE_STRINGS[lang];
    const context = await browser.newContext(options);
    context.setDefaultTimeout(15000);
    const watch = watchContext(context, [origin]);
    const page = await context.newPage();
    await page.goto(`${origin}/${lang}/console/login`);
    await page.getByLabel(c.fieldEmail, { exact: true }).fill(organiser.email);
    await page.getByLabel(c.fieldPassword, { exact: true }).fill('a-long-enough-password');
    await page.getByRole('button', { name: c.signIn, exact: true }).click();
    await page.waitForURL(`${origin}/${lang}/console`);
    return { context, page, watch };
  }


  /** Fills and sends the upload form; `altAr` empty leaves that error to show. */
  async function upload(page: Page, lang: 'ar' | 'en', altAr: string) {
    const s = CONSOLE_PHOTO_STRINGS[lang];
    await page.getByLabel(s.fieldAltAr, { exact: true }).fill(altAr);
    await page.getByLabel(s.fieldAltEn, { exact: true }).fill(ALT.en);
    await page.getByLabel(s.fieldCredit, { exact: true }).fill('Layla H.');
    await page.getByLabel(s.fieldImage, { exact: true }).setInputFiles(photoFile);
    await page.getByRole('button', { name: s.upload, exact: true }).click();
  }

  for (const lang of ['ar', 'en'] as const) {
    const photoUrl = () => `${origin}/${lang}/console/campaigns/${campaign.id}/photo`;

    it(`${lang}, JavaScript off: a wrong form keeps what was typed, then the upload, the photo shown, and its removal after the confirmation`, async () => {
      const s = CONSOLE_PHOTO_STRINGS[lang];
      const { context, page, watch } = await signedIn(lang, { javaScriptEnabled: false });
      try {
        await page.goto(photoUrl());
        await upload(page, lang, '');
        await page.locator('#f-alt-ar-error').waitFor();
        expect(await page.locator('#f-alt-ar-error').textContent()).toBe(s.errorAltAr);
        expect(await page.getByLabel(s.fieldAltEn, { exact: true }).inputValue()).toBe(ALT.en);
        await upload(page, lang, ALT.ar);
        await page.waitForURL(`${photoUrl()}?done=saved`);
        expect(await page.locator('#photo-notice').textContent()).toBe(s.saved);
        expect(await page.locator('.console-photo img').getAttribute('alt')).toBe(ALT[lang]);
        // The form holds the photo's texts: a description changed and saved without choosing a file.
        const altEn = page.getByLabel(s.fieldAltEn, { exact: true });
        expect(await altEn.inputValue()).toBe(ALT.en);
        await altEn.fill(`${ALT.en}, at dawn`);
        await page.getByRole('button', { name: s.save, exact: true }).click();
        await page.waitForURL(`${photoUrl()}?done=texts`);
        expect(await page.locator('#photo-notice').textContent()).toBe(s.textsSaved);
        expect(await page.locator('.console-photo-alts dd[lang="en"]').textContent()).toBe(`${ALT.en}, at dawn`);
        await page.getByRole('link', { name: s.remove, exact: true }).click();
        await page.getByRole('heading', { name: s.removeHeading, exact: true }).waitFor();
        await page.getByRole('button', { name: s.removeConfirm, exact: true }).click();
        await page.waitForURL(`${photoUrl()}?done=removed`);
        expect(await page.locator('#photo-none').count()).toBe(1);
        expect(watch.cspViolations).toEqual([]);
        expect(watch.thirdPartyRequests).toEqual([]);
      } finally {
        await context.close();
      }
    }, 120000);

    it(`${lang}, 390 px: axe-core and no sideways scroll on the empty page, the errors, the photo with its share card, the public page with the photo and the confirmation; screenshots`, async () => {
      const s = CONSOLE_PHOTO_STRINGS[lang];
      const { context, page, watch } = await signedIn(lang, { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true });
      try {
        const check = async (name: string) => {
          expect([name, await axeCheck(page)]).toEqual([name, []]);
          expect([name, Number(await page.evaluate('document.documentElement.scrollWidth'))]).toEqual([name, 390]);
          await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
        };
        await page.goto(photoUrl());
        await check(`console-photo-empty-${lang}`);
        await upload(page, lang, '');
        await page.locator('#f-alt-ar-error').waitFor();
        await check(`console-photo-errors-${lang}`);
        await upload(page, lang, ALT.ar);
        await page.waitForURL(`${photoUrl()}?done=saved`);
        // The share card with this photo, once the worker rendered it.
        await waitUntil(
          async () => {
            const [row] = await t.db.query('SELECT card_rendered_at > image_updated_at AS fresh FROM campaign_media WHERE campaign_id = $1', [campaign.id]);
            return row?.fresh === true;
          },
          60000,
          250,
        );
        await page.goto(photoUrl());
        expect(await page.locator('img.console-card').count()).toBe(1);
        await page.locator('img.console-card').scrollIntoViewIfNeeded();
        await check(`console-photo-page-${lang}`);

        // The public page with its photo, on the phone: the 480-wide version, whatever the density.
        await page.goto(`${origin}/${lang}/c/${encodeURIComponent(campaign.slug)}`);
        const img = page.locator('figure.photo img');
        expect(await img.getAttribute('alt')).toBe(ALT[lang]);
        expect(await img.evaluate((el) => (el as unknown as { complete: boolean; naturalWidth: number }).naturalWidth)).toBe(480);
        await check(`campaign-photo-${lang}-phone`);

        await page.goto(photoUrl());
        await page.getByRole('link', { name: s.remove, exact: true }).click();
        await page.getByRole('heading', { name: s.removeHeading, exact: true }).waitFor();
        await check(`console-photo-remove-${lang}`);
        await page.getByRole('button', { name: s.removeConfirm, exact: true }).click();
        await page.waitForURL(`${photoUrl()}?done=removed`);
        expect(watch.cspViolations).toEqual([]);
        expect(watch.thirdPartyRequests).toEqual([]);
      } finally {
        await context.close();
      }
    }, 120000);
  }
});
