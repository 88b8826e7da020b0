import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { CONSOLE_CAMPAIGN_STRINGS } from '../../src/modules/pages/console-campaigns-strings';
import { CSRF_CODE } from '../../src/modules/pages/console-kit';
import { CONSOLE_STRINGS } from '../../src/modules/pages/console-strings';
import { SUPPORTERS_STRINGS } from '../../src/modules/pages/console-supporters-strings';
import { CONSOLE_TARGETS_STRINGS } from '../../src/modules/pages/console-targets-strings';
import { axeCheck, launchBrowser, LaunchedBrowser, watchContext } from '../support/browser';
import { FORM, SAME_ORIGIN } from '../support/console';
import { freePort } from '../support/processes';
import { signAndConfirm } from '../support/signing';
import { SmtpSink } from '../support/smtp-sink';
import { createTestApp, TestApp } from '../support/test-app';

const SCREENSHOTS = join(__dirname, '../../test-results/screenshots');
const PHONE = { width: 390, height: 844 };
const PASSWORD = 'a-brand-new-long-password';
const DAY_MS = 86_400_000;

/**
 * An organiser's whole day in the console, in real Chromium, once in Arabic with JavaScript off and
 * once in English with it on: invited by an admin, they set their password from the emailed link,
 * sign in, create a bilingual urgent action, add an official with a sending window, write and
 * preview the letter, publish, see a supporter's signature arrive on the dashboard, export the
 * CSV and open it (Arabic intact, a formula cell neutralised), close the campaign and log out.
 * Then the old session is refused, a form without its CSRF token is refused, and a disabled
 * organiser's session stops working. axe-core checks every page on the way; screenshots of each
 * go to test-results/screenshots/console-journey-*.png.
 */
describe('the organiser console, end to end in a browser (e2e)', () => {
  const smtp = new SmtpSink();
  let t: TestApp;
  let launched: LaunchedBrowser;
  let browser: Browser;
  let origin: string;
  let adminToken: string;

  beforeAll(async () => {
    const port = await freePort();
    origin = `http://127.0.0.1:${port}`;
    t = await createTestApp({ PUBLIC_URL: origin, SMTP_URL: await smtp.start() });
    await t.app.listen(port, '127.0.0.1');
    adminToken = await t.adminToken();
    launched = await launchBrowser();
    browser = launched.browser;
    mkdirSync(SCREENSHOTS, { recursive: true });
  }, 120000);

  afterAll(async () => {
    await launched?.close();
    await t?.close();
    await smtp.stop();
  });

  const journeys = [
    { lang: 'ar', javaScript: false },
    { lang: 'en', javaScript: true },
  ] as const;

  for (const { lang, javaScript } of journeys) {
    it(`${lang}, JavaScript ${javaScript ? 'on' : 'off'}: from the invitation to a closed campaign`, async () => {
      const c = CONSOLE_STRINGS[lang];
      const sc = CONSOLE_CAMPAIGN_STRINGS[lang];
      const st = CONSOLE_TARGETS_STRINGS[lang];
      const ss = SUPPORTERS_STRINGS[lang];
      const context: BrowserContext = await browser.newContext({ javaScriptEnabled: javaScript, acceptDownloads: true, viewport: PHONE });
      context.setDefaultTimeout(15000);
      const watch = watchContext(context, [origin]);
      const problems: string[] = [];
      const page = await context.newPage();
      // axe-core needs JavaScript: with it off, axe checks the same address in a second context with the same cookies.
      const axeContext = javaScript ? context : await browser.newContext({ viewport: PHONE });
      const axePage = javaScript ? page : await axeContext.newPage();
      let step = 0;
      /** Checks the page with axe and that it fits the phone, and keeps a screenshot of it. */
      const look = async (name: string) => {
        if (!javaScript) {
          await axeContext.addCookies(await context.cookies());
          await axePage.goto(page.url());
        }
        const violations = await axeCheck(axePage);
        for (const v of violations) problems.push(`${name}: ${v.id} (${v.impact})`);
        const width = Number(await page.evaluate('document.documentElement.scrollWidth'));
        if (width > PHONE.width) problems.push(`${name}: ${width} px wide`);
        expect(await page.getAttribute('html', 'dir')).toBe(lang === 'ar' ? 'rtl' : 'ltr');
        await page.screenshot({ path: join(SCREENSHOTS, `console-journey-${lang}-${String(++step).padStart(2, '0')}-${name}.png`), fullPage: true });
      };
      try {
        // 1. An admin invites the organiser; the email's link lets them choose a name and password.
        const email = `journey-${lang}-${Date.now()}@example.org`;
        const me = await t.http().get('/api/v1/auth/me').set('Authorization', `Bearer ${adminToken}`);
        const invited = await t
          .http()
          .post(`/api/v1/organisations/${me.body.organisationId}/invitations`)
          .set('Authorization', `Bearer ${adminToken}`)
          .send({ email, role: 'organiser', locale: lang });
        expect(invited.status).toBe(201);
        const [mail] = await smtp.waitFor(email);
        const link = new RegExp(`https?://\\S+(/${lang}/console/invitation/[A-Za-z0-9_-]{43})`).exec(mail.parsed.text ?? '');
        expect(link).not.toBeNull();
        await page.goto(`${origin}${link![1]}`);
        await look('invitation');
        await page.getByLabel(c.fieldYourName, { exact: true }).fill(lang === 'ar' ? 'نور الهدى' : 'Noor Huda');
        await page.locator('#f-next').fill(PASSWORD);
        await page.getByRole('button', { name: c.acceptInvitation, exact: true }).click();
        await page.waitForURL(`${origin}/${lang}/console`);

        // 2. Log out and in again through the login form.
        await page.getByRole('button', { name: c.logout, exact: true }).click();
        await page.waitForURL(`${origin}/${lang}/console/login`);
        await look('login');
        await page.getByLabel(c.fieldEmail, { exact: true }).fill(email);
        await page.getByLabel(c.fieldPassword, { exact: true }).fill(PASSWORD);
        await page.getByRole('button', { name: c.signIn, exact: true }).click();
        await page.waitForURL(`${origin}/${lang}/console`);
        await look('dashboard-empty');

        // 3. A bilingual urgent action with a deadline, saved as a draft.
        // By keyboard alone: Tab to the New campaign link, Enter.
        let tabs = 0;
        const focused = async () => String(await page.evaluate('document.activeElement ? document.activeElement.textContent : ""')).trim();
        while ((await focused()) !== c.newCampaign) {
          if (++tabs > 40) throw new Error('the New campaign link is not reachable with Tab');
          await page.keyboard.press('Tab');
        }
        await page.keyboard.press('Enter');
        await page.waitForURL(`${origin}/${lang}/console/campaigns/new`);
        const arTitle = `أين صالح؟ ${lang}`;
        const enTitle = `Where is Saleh? ${lang}`;
        await page.locator(`#f-locale-${lang}`).check();
        await page.locator('#f-title-ar').fill(arTitle);
        await page.locator('#f-summary-ar').fill('اختُطف المدافع البيئي صالح قبل أسبوع.');
        await page.locator('#f-body-ar').fill('صالح **مدافع** عن الأهوار.\n\nاكتبوا إلى الوزير.');
        await page.locator('#f-title-en').fill(enTitle);
        await page.locator('#f-summary-en').fill('The environmental defender Saleh was taken a week ago.');
        await page.locator('#f-body-en').fill('Saleh **defends** the marshes.\n\nWrite to the minister.');
        await page.locator('#f-kind-urgent').check();
        await page.locator('#f-goal').fill('1000');
        const deadline = new Date(Date.now() + 5 * DAY_MS + 3 * 3600_000).toISOString().slice(0, 16);
        await page.locator('#f-ends-at').fill(deadline);
        await page.locator('#f-time-zone').selectOption('Asia/Baghdad');
        if (javaScript) {
          // The live preview follows the typing.
          await page.locator(`#preview-${lang} strong`).waitFor();
        }
        await look('new-campaign');
        await page.getByRole('button', { name: sc.saveDraft, exact: true }).click();
        await page.waitForURL(/\/console\/campaigns\/[0-9a-f-]{36}\?done=created$/);
        const id = /campaigns\/([0-9a-f-]{36})/.exec(page.url())![1];
        await look('campaign');

        // 4. An official with a sending window.
        await page.goto(`${origin}/${lang}/console/campaigns/${id}/targets`);
        await page.locator('#f-name').fill(lang === 'ar' ? 'وزير الداخلية' : 'Minister of the Interior');
        await page.locator('#f-email').fill(`minister-${lang}@example.org`);
        await page.locator('#f-locale').selectOption(lang);
        await page.locator('#f-window').check();
        await page.locator('#f-zone').fill('Asia/Baghdad');
        await page.locator('#f-start').fill('09:00');
        await page.locator('#f-end').fill('17:00');
        for (const day of ['1', '2', '3', '4', '7']) await page.locator(`#f-day-${day}`).check();
        await page.getByRole('button', { name: st.addTarget, exact: true }).click();
        await page.locator('#targets-table').waitFor();
        await look('targets');
        const target = await t.db.query(`SELECT id, time_zone, window_start, window_end, window_days FROM targets WHERE campaign_id = $1`, [id]);
        expect(target).toHaveLength(1);
        expect(target[0]).toMatchObject({ time_zone: 'Asia/Baghdad', window_start: '09:00:00', window_end: '17:00:00', window_days: [1, 2, 3, 4, 7] });

        // 5. The letter, previewed for that official in their language, then saved.
        await page.goto(`${origin}/${lang}/console/campaigns/${id}/letter`);
        await page.locator('#f-mode-per_signature').check();
        const subject = lang === 'ar' ? 'أطلقوا سراح صالح' : 'Release Saleh';
        await page.locator(`#f-subject-${lang}`).fill(subject);
        await page.locator(`#f-body-${lang}`).fill(lang === 'ar' ? 'حضرة {{target.name}}،\n\nنحن {{count}} موقّعاً.' : 'Dear {{target.name}},\n\nWe are {{count}} signatories.');
        await page.locator('#f-preview-target').selectOption(target[0].id);
        if (!javaScript) await page.getByRole('button', { name: st.previewButton, exact: true }).click();
        await page.locator('#preview-letter').filter({ hasText: lang === 'ar' ? 'وزير الداخلية' : 'Minister of the Interior' }).waitFor();
        await look('letter-preview');
        await page.getByRole('button', { name: st.saveLetter, exact: true }).click();
        await page.waitForLoadState();
        const saved = await t.db.query(`SELECT letter_mode, letter_subject FROM campaigns WHERE id = $1`, [id]);
        const translated = await t.db.query(`SELECT subject FROM campaign_letter_translations WHERE campaign_id = $1`, [id]);
        expect([saved[0].letter_subject, ...translated.map((r: { subject: string }) => r.subject)]).toContain(subject);

        // 6. Publish, through the confirmation step.
        await page.goto(`${origin}/${lang}/console/campaigns/${id}`);
        await page.getByRole('link', { name: sc.action.publish, exact: true }).click();
        await look('confirm-publish');
        await page.getByRole('button', { name: sc.confirmYes.publish, exact: true }).click();
        await page.waitForURL(`${origin}/${lang}/console/campaigns/${id}?done=publish`);
        expect(await page.locator('.status-label').textContent()).toBe(c.status.live);

        // 7. A supporter signs and confirms; the dashboard shows the signature.
        const slug = (await t.db.query(`SELECT slug FROM campaigns WHERE id = $1`, [id]))[0].slug as string;
        await signAndConfirm(t, smtp, slug, {
          name: 'ليلى حسن',
          email: `layla-${lang}-${Date.now()}@example.org`,
          city: 'البصرة',
          country: 'IQ',
          locale: 'ar',
          contactConsent: true,
        });
        // A row whose name a spreadsheet would run as a formula (the sign form refuses one; an import need not), consenting: an export holds only those.
        await t.db.query(
          `INSERT INTO signatures (campaign_id, email, email_hash, email_domain, name, country, locale, status, created_at, verified_at, contact_consent, contact_organisation_ids)
           VALUES ($1, 'plain:formula@example.org', $2, 'example.org', 'plain:=HYPERLINK("http://evil.example")', 'IQ', 'en', 'verified', now(), now(),
                   true, ARRAY[(SELECT organisation_id FROM campaigns WHERE id = $1)])`,
          [id, `formula-${lang}`],
        );
        const verified = async () => {
          await page.goto(`${origin}/${lang}/console`);
          return (await page.locator('.dash-campaign', { hasText: lang === 'ar' ? arTitle : enTitle }).locator('dd.verified').textContent())?.trim();
        };
        const one = lang === 'ar' ? '١' : '1';
        for (let i = 0; i < 50 && (await verified()) !== one; i++) await page.waitForTimeout(200);
        expect(await verified()).toBe(one);
        await look('dashboard');

        // 8. The CSV export, opened: BOM, Arabic intact, the formula neutralised.
        await page.goto(`${origin}/${lang}/console/campaigns/${id}/supporters`);
        await look('supporters');
        const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: ss.exportLink, exact: true }).click()]);
        const file = join(SCREENSHOTS, `console-journey-${lang}.csv`);
        await download.saveAs(file);
        const csv = readFileSync(file, 'utf8');
        expect(csv.charCodeAt(0)).toBe(0xfeff);
        expect(csv).toContain('ليلى حسن');
        expect(csv).toContain('البصرة');
        expect(csv).toContain(`"'=HYPERLINK(""http://evil.example"")"`);
        expect(csv).not.toMatch(/(^|,)"?=HYPERLINK/m);
        const audit = await t.db.query(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'signatures.export' AND campaign_id = $1 AND actor_id = (SELECT id FROM organisers WHERE lower(email) = lower($2))`, [id, email]);
        expect(audit[0].n).toBe(1);

        // 9. Close it, through the confirmation step.
        await page.goto(`${origin}/${lang}/console/campaigns/${id}`);
        await page.getByRole('link', { name: sc.action.close, exact: true }).click();
        await page.getByRole('button', { name: sc.confirmYes.close, exact: true }).click();
        await page.waitForURL(`${origin}/${lang}/console/campaigns/${id}?done=close`);
        expect(await page.locator('.status-label').textContent()).toBe(c.status.closed);
        await look('closed');

        // 10. A form posted without its CSRF token is refused, and changes nothing.
        const cookie = (await context.cookies()).find((k) => k.name === 'nida_session')!;
        const session = `nida_session=${cookie.value}`;
        const forged = await t.http().post(`/${lang}/console/campaigns/${id}/status/reopen`).set(SAME_ORIGIN).set('Cookie', session).type(FORM).send({});
        expect(forged.status).toBe(403);
        expect(forged.text).toContain(CSRF_CODE);
        expect((await t.db.query(`SELECT status FROM campaigns WHERE id = $1`, [id]))[0].status).toBe('closed');

        // 11. Log out: the old session cookie opens nothing any more.
        await page.goto(`${origin}/${lang}/console`);
        await page.getByRole('button', { name: c.logout, exact: true }).click();
        await page.waitForURL(`${origin}/${lang}/console/login`);
        const after = await t.http().get(`/${lang}/console/campaigns/${id}/supporters`).set('Cookie', session);
        expect(after.status).toBe(303);
        expect(after.headers.location).toBe(`/${lang}/console/login`);

        // 12. Signed in again, then disabled by the admin: the session stops at once.
        await page.getByLabel(c.fieldEmail, { exact: true }).fill(email);
        await page.getByLabel(c.fieldPassword, { exact: true }).fill(PASSWORD);
        await page.getByRole('button', { name: c.signIn, exact: true }).click();
        await page.waitForURL(`${origin}/${lang}/console`);
        const organiser = await t.db.query(`SELECT id FROM organisers WHERE lower(email) = lower($1)`, [email]);
        const disabled = await t
          .http()
          .post(`/api/v1/organisations/${me.body.organisationId}/organisers/${organiser[0].id}/disable`)
          .set('Authorization', `Bearer ${adminToken}`);
        expect(disabled.status).toBe(200);
        await page.goto(`${origin}/${lang}/console/campaigns/${id}/supporters`);
        await page.waitForURL(`${origin}/${lang}/console/login`);

        expect(problems).toEqual([]);
        expect(watch.cspViolations).toEqual([]);
        expect(watch.thirdPartyRequests).toEqual([]);
      } finally {
        if (axeContext !== context) await axeContext.close();
        await context.close();
      }
    }, 180000);
  }
});
