import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { CONSOLE_STRINGS } from '../../src/modules/pages/console-strings';
import { CONSOLE_UPDATES_STRINGS } from '../../src/modules/pages/console-updates-strings';
import { axeCheck, launchBrowser, LaunchedBrowser, watchContext } from '../support/browser';
import { insertVerifiedSupporters } from '../support/bulk-supporters';
import { PASSWORD } from '../support/console';
import { createLiveCampaign, createOrganiserWithOrganisation, OrganiserLogin } from '../support/factories';
import { FastSmtpSink } from '../support/fast-smtp-sink';
import { freePort } from '../support/processes';
import { createTestApp, TestApp } from '../support/test-app';
import { UpdateWorkers } from '../support/update-workers';
import { waitUntil } from '../support/wait';

const SCREENSHOTS = join(__dirname, '../../test-results/screenshots');
/** Recipients per campaign and the rate: a send lasts 10 (ar) and 25 (en) seconds, long enough to watch it move and cancel it. */
const RECIPIENTS = { ar: 120, en: 300 };
const RATE = 12;

/**
 * The console's Updates pages in a real browser (Debian's Chromium through playwright-core): in
 * Arabic with JavaScript off (the Preview button, the Refresh link) and in English with it on (the
 * live preview, the progress read every two seconds), while a real worker process (APP_ROLE=worker,
 * the built app) sends the update to an SMTP sink. axe-core on every page, each fitting a 390 px
 * phone, with screenshots. Needs `npm run build`.
 */
describe('console updates in a browser (e2e)', () => {
  let t: TestApp;
  let workers: UpdateWorkers;
  let launched: LaunchedBrowser;
  let browser: Browser;
  let organiser: OrganiserLogin;
  let origin: string;
  const smtp = new FastSmtpSink();
  const campaigns: Record<'ar' | 'en', string> = { ar: '', en: '' };

  beforeAll(async () => {
    const port = await freePort();
    origin = `http://127.0.0.1:${port}`;
    const settings = {
      SMTP_URL: await smtp.start(),
      MAIL_FROM: 'Nida <updates@nida.test>',
      BROADCAST_RATE_PER_SECOND: String(RATE),
      BROADCAST_CONCURRENCY: '2',
      UPDATE_DISPATCH_INTERVAL_MS: '200',
      UPDATE_FANOUT_CHUNK: '50',
    };
    t = await createTestApp({ APP_ROLE: 'api', PUBLIC_URL: origin, ...settings });
    await t.app.listen(port, '127.0.0.1');
    workers = new UpdateWorkers(t, { ...settings, PUBLIC_URL: origin });
    await workers.start();
    launched = await launchBrowser();
    browser = launched.browser;
    organiser = await createOrganiserWithOrganisation(t, 'تحالف الأهوار');
    for (const lang of ['ar', 'en'] as const) {
      const campaign = await createLiveCampaign(t, organiser.token, {
        kind: 'urgent_action',
        locale: 'ar',
        title: lang === 'ar' ? 'أين سالم راضي؟' : 'أين نور حسن؟',
        summary: 'اختفى منذ أسبوع.',
        body: 'نطالب بالكشف عن مصيره.',
        timeZone: 'Asia/Baghdad',
        translations: { en: { title: lang === 'ar' ? 'Where is Salim Radhi?' : 'Where is Noor Hassan?', summary: 'Vanished a week ago.', body: 'We demand to know.' } },
      });
      campaigns[lang] = campaign.id;
      await insertVerifiedSupporters(
        t,
        campaign.id,
        Array.from({ length: RECIPIENTS[lang] }, (_, i) => ({ email: `${lang}${i}@example.org`, locale: i % 2 ? 'en' : 'ar', consent: true })),
      );
    }
    mkdirSync(SCREENSHOTS, { recursive: true });
  }, 120000);

  afterAll(async () => {
    await launched?.close();
    await workers?.stopAll();
    await t?.close();
    await smtp.stop();
  });

  const url = (lang: 'ar' | 'en', sub = '') => `${origin}/${lang}/console/campaigns/${campaigns[lang]}/updates${sub}`;

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

  async function checkPage(page: Page, label: string, javaScript: boolean) {
    const lang = label.endsWith('-ar') ? 'ar' : 'en';
    expect(await page.locator('html').getAttribute('dir')).toBe(lang === 'ar' ? 'rtl' : 'ltr');
    // axe and the width are read by scripts: only where scripts run.
    if (javaScript) {
      expect([label, await axeCheck(page)]).toEqual([label, []]);
      expect([label, Number(await page.evaluate('document.documentElement.scrollWidth'))]).toEqual([label, 390]);
    }
    await page.screenshot({ path: join(SCREENSHOTS, `console-updates-${label}.png`), fullPage: true });
  }

  const sentOf = async (page: Page) => Number((await page.locator('#n-sent').textContent())!.replace(/[٠-٩]/g, (d) => String(d.charCodeAt(0) - 0x660)).replace(/\D/g, ''));

  it('ar, JavaScript off: an error kept beside its field, the Preview button, posting with email, progress by the Refresh link, pause and resume', async () => {
    const s = CONSOLE_UPDATES_STRINGS.ar;
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });
    context.setDefaultTimeout(15000);
    const watch = watchContext(context, [origin]);
    try {
      const page = await signedIn(context, 'ar');
      await page.goto(url('ar'));
      expect(await page.locator('#cap-next').textContent()).toBe(s.capOpen);
      expect(await page.locator('#f-notify-hint').textContent()).toContain('١٢٠ مؤيّداً');
      await checkPage(page, 'form-ar', false);

      await page.locator('#f-title-ar').fill('أُطلق سراح سالم');
      await page.locator('#f-body-ar').fill('خرج سالم اليوم **بعد ثلاثة أسابيع**.\n\nشكراً لكل من وقّع.');
      await page.locator('#f-title-en').fill('Salim has been released');
      await page.getByLabel(s.fieldCaseStatus, { exact: true }).selectOption('released');
      await page.getByLabel(s.fieldNotify).check();
      // The English text half filled: the error beside it, everything typed kept.
      await page.getByRole('button', { name: s.postButton, exact: true }).click();
      await page.locator('#f-body-en-error').waitFor();
      expect(await page.locator('#f-body-en-error').textContent()).toBe(s.errPair);
      expect(await page.locator('#f-title-ar').inputValue()).toBe('أُطلق سراح سالم');
      expect(await page.getByLabel(s.fieldNotify).isChecked()).toBe(true);
      await page.locator('#f-body-en').fill('Salim walked free **after three weeks**.');

      await page.getByRole('button', { name: s.previewButton, exact: true }).click();
      await page.locator('#preview-page-ar').waitFor();
      expect(await page.locator('#preview-page-ar .update-body strong').textContent()).toBe('بعد ثلاثة أسابيع');
      expect(await page.locator('#preview-page-en .update-status').textContent()).toBe('Case status: Released');
      expect(await page.locator('#preview-email-ar .letter-subject strong').textContent()).toBe('أين سالم راضي؟: أُطلق سراح سالم');
      expect(await page.locator('#preview-email-en .letter-subject strong').textContent()).toBe('Where is Salim Radhi?: Salim has been released');
      await checkPage(page, 'preview-ar', false);
      expect((await t.db.query(`SELECT count(*)::int AS n FROM case_updates`))[0].n).toBe(0);

      await page.getByRole('button', { name: s.postButton, exact: true }).click();
      await page.locator('#notice').waitFor();
      expect(await page.locator('#notice').textContent()).toBe(s.postedEmailing);
      expect(await page.locator('#send-state').textContent()).toBe(s.stateNow.replace('{state}', s.sendState.sending));
      // No script: the numbers move when the organiser asks (the Refresh link), never by a timed reload.
      expect(await page.locator('meta[http-equiv="refresh"]').count()).toBe(0);
      const first = await sentOf(page);
      await waitUntil(async () => {
        await page.getByRole('link', { name: s.refresh, exact: true }).click();
        await page.locator('#n-sent').waitFor();
        return (await sentOf(page)) > first ? true : null;
      }, 20000, 500);
      await checkPage(page, 'progress-ar', false);

      await page.getByRole('button', { name: s.pause, exact: true }).click();
      await page.locator('#notice').waitFor();
      expect(await page.locator('#notice').textContent()).toBe(s.paused);
      expect(await page.locator('#send-state').textContent()).toBe(s.stateNow.replace('{state}', s.sendState.paused));
      await page.getByRole('button', { name: s.resume, exact: true }).click();
      await page.locator('#notice').waitFor();
      expect(await page.locator('#notice').textContent()).toBe(s.resumed);
      expect([...watch.cspViolations, ...watch.thirdPartyRequests]).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120000);

  it('en, JavaScript on: the live preview, then the send’s numbers and bar move by themselves until it is done; cancel behind a confirmation', async () => {
    const s = CONSOLE_UPDATES_STRINGS.en;
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    context.setDefaultTimeout(15000);
    const watch = watchContext(context, [origin]);
    try {
      const page = await signedIn(context, 'en');
      await page.goto(url('en'));
      await page.locator('#update-form[data-live-preview="on"]').waitFor();
      await page.locator('#f-title-ar').fill('جلسة المحكمة يوم الأحد');
      await page.locator('#f-body-ar').fill('تُعقد الجلسة *يوم الأحد*.');
      await page.getByLabel(s.fieldNotify).check();
      // The preview follows the typing, without a submit.
      await page.locator('#preview-email-ar .letter-subject strong').waitFor();
      expect(await page.locator('#preview-page-ar .update-body em').textContent()).toBe('يوم الأحد');
      expect(await page.locator('#preview-email-ar .letter-subject strong').textContent()).toBe('أين نور حسن؟: جلسة المحكمة يوم الأحد');
      expect(await page.locator('#preview-fallback').textContent()).toBe('Supporters who read English get the Arabic version (there is no text in English).');
      await page.locator('#f-title-en').fill('The hearing is on Sunday');
      await page.locator('#f-body-en').fill('The court sits *on Sunday*.');
      await page.locator('#preview-email-en').waitFor();
      expect(await page.locator('#preview-page-en .update-body em').textContent()).toBe('on Sunday');
      await checkPage(page, 'preview-en', true);
      expect((await t.db.query(`SELECT count(*)::int AS n FROM case_updates WHERE campaign_id = $1`, [campaigns.en]))[0].n).toBe(0);

      await page.getByRole('button', { name: s.postButton, exact: true }).click();
      await page.locator('#notice').waitFor();
      expect(await page.locator('#notice').textContent()).toBe(s.postedEmailing);
      await page.locator('#live-note:not([hidden])').waitFor();
      // The page is not reloaded while the numbers move: a mark set now survives.
      await page.evaluate('window.__sameDocument = true');
      const first = await sentOf(page);
      await waitUntil(async () => (Number(await page.locator('#send').getAttribute('data-polled')) >= 2 ? true : null), 20000, 250);
      await waitUntil(async () => ((await sentOf(page)) > first ? true : null), 20000, 250);
      expect(await page.evaluate('window.__sameDocument')).toBe(true);
      const value = Number(await page.locator('#send-progress').evaluate((el) => (el as unknown as { value: number }).value));
      expect(value).toBeGreaterThan(0);
      expect(await page.locator('#progress-text').textContent()).toMatch(/^\d+ of 300 sent, 0 failed$/);
      await checkPage(page, 'progress-en', true);

      // Cancel asks first; "No" changes nothing.
      await page.getByRole('link', { name: s.cancel, exact: true }).click();
      await page.getByRole('button', { name: s.cancelYes, exact: true }).waitFor();
      await checkPage(page, 'cancel-en', true);
      await page.getByRole('link', { name: s.cancelNo, exact: true }).click();
      await page.locator('#send').waitFor();
      expect(['sending', 'done']).toContain(await page.locator('#send').getAttribute('data-state'));

      // Left alone, the send finishes: the page reloads itself once for the final state, and stops.
      await page.locator('#send[data-state="done"]').waitFor({ timeout: 60000 });
      expect(await page.locator('#send-state').textContent()).toBe(s.stateNow.replace('{state}', s.sendState.done));
      expect(await page.locator('#progress-text').textContent()).toBe('300 of 300 sent, 0 failed');
      expect(await page.locator('#pause').count()).toBe(0);
      expect(smtp.received.filter((m) => m.envelope.to[0].startsWith('en')).length).toBe(RECIPIENTS.en);
      await checkPage(page, 'done-en', true);

      await page.goto(url('en'));
      expect(await page.locator('#updates-table tbody tr').first().textContent()).toContain('300 of 300 sent, 0 failed');
      await checkPage(page, 'list-en', true);
      expect([...watch.cspViolations, ...watch.thirdPartyRequests]).toEqual([]);
    } finally {
      await context.close();
    }
  }, 150000);
});
