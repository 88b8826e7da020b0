import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { CONSOLE_STRINGS } from '../../src/modules/pages/console-strings';
import { CONSOLE_TARGETS_STRINGS } from '../../src/modules/pages/console-targets-strings';
import { axeCheck, launchBrowser, LaunchedBrowser, watchContext } from '../support/browser';
import { createLiveCampaign, createOrganiserWithOrganisation, OrganiserLogin } from '../support/factories';
import { freePort } from '../support/processes';
import { signAndConfirm } from '../support/signing';
import { SmtpSink } from '../support/smtp-sink';
import { createTestApp, TestApp } from '../support/test-app';
import { waitUntil } from '../support/wait';

const SCREENSHOTS = join(__dirname, '../../test-results/screenshots');
const PASSWORD = 'a-long-enough-password';

/**
 * The console's officials, letter and letters pages in a real browser (Debian's Chromium through
 * playwright-core): JavaScript off (plain forms, the Preview button) and on (the live preview), in
 * Arabic and English; axe-core on every page, each fitting a 390 px phone, with screenshots.
 */
describe('console officials and letters in a browser (e2e)', () => {
  let t: TestApp;
  let launched: LaunchedBrowser;
  let browser: Browser;
  let organiser: OrganiserLogin;
  let origin: string;
  let campaignId: string;
  let letterUrl: (lang: string) => string;
  const smtp = new SmtpSink();

  beforeAll(async () => {
    const port = await freePort();
    origin = `http://127.0.0.1:${port}`;
    t = await createTestApp({ PUBLIC_URL: origin, SMTP_URL: await smtp.start(), MAIL_FROM: 'Nida <letters@nida.test>', LETTER_DISPATCH_INTERVAL_MS: '100' });
    await t.app.listen(port, '127.0.0.1');
    launched = await launchBrowser();
    browser = launched.browser;
    organiser = await createOrganiserWithOrganisation(t);
    const auth = { Authorization: `Bearer ${organiser.token}` };
    const campaign = await createLiveCampaign(t, organiser.token, {
      locale: 'ar',
      title: 'أنقذوا الأهوار من الجفاف',
      summary: 'ملخص',
      body: 'نص',
      translations: { en: { title: 'Save the marshes from drought', summary: 's', body: 'b' } },
      letter: { mode: 'per_signature', subject: 'رسالة من {{supporter.name}}', body: 'حضرة {{target.name}}،\n\nنحن {{count}} موقّعاً.' },
    });
    campaignId = campaign.id;
    // One official with a sent letter, for the letters table and a letter's history.
    await t.http().post(`/api/v1/campaigns/${campaignId}/targets`).set(auth).send({ name: 'UNESCO World Heritage Centre', email: 'whc@unesco.example.org', locale: 'en' }).expect(201);
    await t.http().post(`/api/v1/campaigns/${campaignId}/targets`).set(auth).send({ name: 'مكتب محافظ البصرة', email: 'governor@basra.example.org', locale: 'ar' }).expect(201);
    await signAndConfirm(t, smtp, campaign.slug, { name: 'Layla', email: 'layla@example.org', country: 'IQ' });
    await smtp.waitFor('whc@unesco.example.org');
    const id = await waitUntil(async () => {
      const rows: { id: string }[] = await t.db.query(`SELECT id FROM letters WHERE campaign_id = $1 AND status = 'sent'`, [campaignId]);
      return rows[0]?.id ?? null;
    });
    letterUrl = (lang) => `${origin}/${lang}/console/campaigns/${campaignId}/letters/${id}`;
    mkdirSync(SCREENSHOTS, { recursive: true });
  }, 120000);

  afterAll(async () => {
    await launched?.close();
    await t?.close();
    await smtp.stop();
  });

  const url = (lang: string, sub: string) => `${origin}/${lang}/console/campaigns/${campaignId}/${sub}`;

  async function signedIn(context: BrowserContext, lang: 'ar' | 'en'): Promise<Page> {
    const c = CONSOLE_STRINGS[lang];
    const page = await context.newPage();
    await page.goto(`${origin}/${lang}/console/login`);
    await page.getByLabel(c.fieldEmail, { exact: true }).fill(organiser.email);
    await page.getByLabel(c.fieldPassword, { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: c.signIn, exact: true }).click();
    await page.waitForURL(`${origin}/${lang}/console`);
    return page;
  }

  for (const lang of ['ar', 'en'] as const) {
    const s = CONSOLE_TARGETS_STRINGS[lang];
    const name = lang === 'ar' ? 'وزير الموارد المائية' : 'Minister of Water Resources';

    it(`${lang}, JavaScript off: adds an official with a sending window (an error first), edits it, records a reply, previews the letter with the button`, async () => {
      const context = await browser.newContext({ javaScriptEnabled: false });
      context.setDefaultTimeout(10000);
      const watch = watchContext(context, [origin]);
      try {
        const page = await signedIn(context, lang);
        await page.goto(url(lang, 'targets'));
        await page.getByLabel(s.fieldName, { exact: true }).fill(name);
        await page.getByLabel(s.fieldTargetEmail, { exact: true }).fill('not-an-address');
        await page.getByLabel(s.fieldLocale, { exact: true }).selectOption(lang);
        await page.getByLabel(s.fieldWindowOn).check();
        await page.getByLabel(s.fieldTimeZone, { exact: true }).fill('Asia/Baghdad');
        await page.getByLabel(s.fieldStart, { exact: true }).fill('08:00');
        await page.getByLabel(s.fieldEnd, { exact: true }).fill('15:00');
        for (const d of ['7', '1', '2', '3', '4']) await page.locator(`#f-day-${d}`).check();
        await page.getByRole('button', { name: s.addTarget, exact: true }).click();
        await page.locator('#f-email-error').waitFor();
        expect(await page.locator('#f-email-error').textContent()).toBe(s.errTargetEmail);
        expect(await page.getByLabel(s.fieldName, { exact: true }).inputValue()).toBe(name);
        expect(await page.getByLabel(s.fieldStart, { exact: true }).inputValue()).toBe('08:00');
        expect(await page.locator('#f-day-7').isChecked()).toBe(true);

        await page.getByLabel(s.fieldTargetEmail, { exact: true }).fill(`minister-${lang}@water.example.org`);
        await page.getByRole('button', { name: s.addTarget, exact: true }).click();
        await page.locator('#notice').waitFor();
        expect(await page.locator('#notice').textContent()).toBe(s.targetAdded);
        const row = page.locator('#targets-table tr', { hasText: name });
        expect(await row.locator('td.window').textContent()).toContain('(Asia/Baghdad)');

        await row.getByRole('link', { name }).click();
        await page.getByLabel(s.fieldTitle, { exact: true }).fill(lang === 'ar' ? 'الوزير' : 'Minister');
        await page.getByRole('button', { name: s.saveTarget, exact: true }).click();
        await page.locator('#notice').waitFor();
        expect(await page.locator('#notice').textContent()).toBe(s.targetSaved);
        expect(await page.getByLabel(s.fieldTitle, { exact: true }).inputValue()).toBe(lang === 'ar' ? 'الوزير' : 'Minister');

        await page.getByLabel(s.fieldReceivedOn, { exact: true }).fill('2026-11-20');
        await page.getByLabel(s.fieldSummary, { exact: true }).fill(lang === 'ar' ? 'وعد بتحقيق.' : 'Promised an inquiry.');
        await page.getByRole('button', { name: s.recordReply, exact: true }).click();
        await page.locator('#reply-list').waitFor();
        expect(await page.locator('#reply-list').textContent()).toContain(lang === 'ar' ? 'وعد بتحقيق.' : 'Promised an inquiry.');

        await page.getByRole('link', { name: s.removeLink }).click();
        expect(await page.getByRole('button', { name: s.removeConfirm }).count()).toBe(1);
        await page.getByRole('link', { name: s.cancel }).click();

        // The letter: typed English text previewed for the English official with the button, not saved.
        await page.goto(url(lang, 'letter'));
        await page.locator('#f-subject-en').fill('About {{campaign.title}}');
        await page.locator('#f-body-en').fill('Dear {{target.name}}, we are {{count}}.');
        await page.getByLabel(s.previewFor, { exact: true }).selectOption({ label: `UNESCO World Heritage Centre (${s.language.en})` });
        await page.getByRole('button', { name: s.previewButton, exact: true }).click();
        await page.locator('#preview-subject').waitFor();
        expect(await page.locator('#preview-subject').textContent()).toBe('About Save the marshes from drought');
        expect(await page.locator('#preview-letter').getAttribute('lang')).toBe('en');
        expect(await page.locator('#f-body-en').inputValue()).toBe('Dear {{target.name}}, we are {{count}}.');
        expect(watch.cspViolations).toEqual([]);
        expect(watch.thirdPartyRequests).toEqual([]);
      } finally {
        await context.close();
      }
    }, 120000);

    it(`${lang}, JavaScript on: the preview follows the typing, in the chosen official's language`, async () => {
      const context = await browser.newContext();
      context.setDefaultTimeout(10000);
      const watch = watchContext(context, [origin]);
      try {
        const page = await signedIn(context, lang);
        await page.goto(url(lang, 'letter'));
        await page.waitForSelector('#letter-form[data-live-preview="on"]');
        // An Arabic official first: the letter in Arabic, right to left.
        await page.getByLabel(s.previewFor, { exact: true }).selectOption({ label: `مكتب محافظ البصرة (${s.language.ar})` });
        await page.locator('#f-body-ar').fill('حضرة {{target.name}}، نكتب إليكم الآن.');
        await page.locator('#preview-text', { hasText: 'نكتب إليكم الآن' }).waitFor();
        expect(await page.locator('#preview-text').textContent()).toBe('حضرة مكتب محافظ البصرة، نكتب إليكم الآن.');
        expect(await page.locator('#preview-letter').getAttribute('dir')).toBe('rtl');
        // Then the English official, with English typed: no page load, the preview follows.
        const before = page.url();
        await page.getByLabel(s.previewFor, { exact: true }).selectOption({ label: `UNESCO World Heritage Centre (${s.language.en})` });
        await page.locator('#f-subject-en').fill('Live subject for {{target.name}}');
        await page.locator('#f-body-en').fill('Typed live, {{supporter.name}}.');
        await page.locator('#preview-subject', { hasText: 'Live subject for UNESCO World Heritage Centre' }).waitFor();
        await page.locator('#preview-text', { hasText: 'Typed live' }).waitFor();
        expect(await page.locator('#preview-text').textContent()).toBe('Typed live, Layla Hassan.');
        expect(await page.locator('#preview-letter').getAttribute('lang')).toBe('en');
        expect(page.url()).toBe(before);
        expect(watch.cspViolations).toEqual([]);
        expect(watch.thirdPartyRequests).toEqual([]);
      } finally {
        await context.close();
      }
    }, 120000);

    it(`${lang}: axe-core finds no serious or critical violation on every page, each fits 390 px (screenshots)`, async () => {
      const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
      context.setDefaultTimeout(10000);
      try {
        const page = await signedIn(context, lang);
        await page.goto(url(lang, 'targets'));
        const officialUrl = await page.locator('#targets-table tbody a').first().getAttribute('href');
        const pages: [string, string][] = [
          ['targets', url(lang, 'targets')],
          ['target', `${origin}${officialUrl}`],
          ['remove', `${origin}${officialUrl}/remove`],
          ['letter', url(lang, 'letter')],
          ['letters', url(lang, 'letters')],
          ['letters-sent', `${url(lang, 'letters')}?status=sent`],
          ['letter-history', letterUrl(lang)],
        ];
        for (const [label, address] of pages) {
          await page.goto(address);
          expect([label, await axeCheck(page)]).toEqual([label, []]);
          expect([label, Number(await page.evaluate('document.documentElement.scrollWidth'))]).toEqual([label, 390]);
          await page.screenshot({ path: join(SCREENSHOTS, `console-targets-${label}-${lang}.png`), fullPage: true });
        }
        // A form with errors is accessible too.
        await page.goto(url(lang, 'targets'));
        await page.getByRole('button', { name: s.addTarget, exact: true }).click();
        await page.locator('#error-summary').waitFor();
        expect(await axeCheck(page)).toEqual([]);
        expect(Number(await page.evaluate('document.documentElement.scrollWidth'))).toBe(390);
        await page.screenshot({ path: join(SCREENSHOTS, `console-targets-errors-${lang}.png`), fullPage: true });
        // Wide screens show the letter's languages side by side.
        await page.setViewportSize({ width: 1280, height: 900 });
        await page.goto(url(lang, 'letter'));
        const [first, second] = [await page.locator('.letter-lang').nth(0).boundingBox(), await page.locator('.letter-lang').nth(1).boundingBox()];
        expect(Math.abs(first!.y - second!.y)).toBeLessThan(2);
        expect(Math.abs(first!.x - second!.x)).toBeGreaterThan(200);
        expect(await axeCheck(page)).toEqual([]);
        await page.screenshot({ path: join(SCREENSHOTS, `console-targets-letter-wide-${lang}.png`), fullPage: true });
      } finally {
        await context.close();
      }
    }, 120000);
  }
});
