import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { join } from 'node:path';
import type { Browser, BrowserContext, BrowserContextOptions, FrameLocator, Page } from 'playwright-core';
import { MailRelay } from '../../src/modules/mail/jobs/mail-relay';
import { plural } from '../../src/common/plural';
import { PAGE_STRINGS } from '../../src/modules/pages/page-strings';
import { axeCheck, AxeViolation, launchBrowser, LaunchedBrowser, loadSources, pageWeight, PageWatch, watchContext } from '../support/browser';
import { createLiveCampaign, createOrganiserWithOrganisation, OrganiserLogin } from '../support/factories';
import { jpegWithGps } from '../support/photos';
import { freePort } from '../support/processes';
import { confirmLink, SmtpSink } from '../support/smtp-sink';
import { createTestApp, TestApp } from '../support/test-app';
import { waitUntil } from '../support/wait';

type Lang = 'ar' | 'en';

interface Signer {
  name: string;
  email: string;
  country: string;
  city?: string;
  showName?: boolean;
}

interface Campaign {
  id: string;
  slug: string;
}

const RESULTS = join(__dirname, '../../test-results');
const SCREENSHOTS = join(RESULTS, 'screenshots');
const WEIGHT_LIMIT = 30 * 1024;

const AR_TITLE = 'أنقذوا الأهوار من الجفاف';
const EN_TITLE = 'Save the marshes from drought';

/**
 * The public pages in a real browser (Debian's Chromium through playwright-core): a supporter signs
 * in Arabic and English, with and without JavaScript, reads the real confirmation mail and confirms;
 * every page passes axe-core, keeps to its Content-Security-Policy and calls no other host; the
 * campaign page stays under 30 KB; the embed works on another site.
 */
describe('public pages in a browser (e2e)', () => {
  let t: TestApp;
  let launched: LaunchedBrowser;
  let browser: Browser;
  let org: OrganiserLogin;
  let campaign: Campaign;
  let port: number;
  let origin: string;
  const sink = new SmtpSink();

  beforeAll(async () => {
    port = await freePort();
    origin = `http://127.0.0.1:${port}`;
    t = await createTestApp({
      PUBLIC_URL: origin,
      SMTP_URL: await sink.start(),
      PAGE_POLL_MS: '1000',
      MAIL_RELAY_INTERVAL_MS: '100',
      MAIL_BACKOFF_MS: '50',
      TALLY_INTERVAL_MS: '100',
      CAMPAIGN_CLOSE_SWEEP_SECONDS: '3600',
    });
    await t.app.listen(port, '127.0.0.1');
    launched = await launchBrowser();
    browser = launched.browser;
    org = await createOrganiserWithOrganisation(t, 'تحالف الأهوار');
    campaign = await bilingualCampaign(AR_TITLE, EN_TITLE);
    await t
      .http()
      .post(`/api/v1/campaigns/${campaign.id}/targets`)
      .set('Authorization', `Bearer ${org.token}`)
      .send({ name: 'وزير الموارد المائية', title: 'الوزير', email: 'minister@example.org' })
      .expect(201);
    // The campaign has a photo: the pages are weighed, checked and photographed with it.
    await t
      .http()
      .put(`/api/v1/campaigns/${campaign.id}/image`)
      .set('Authorization', `Bearer ${org.token}`)
      .field('altAr', 'قارب صيد في الأهوار عند الغروب')
      .field('altEn', 'A fishing boat in the marshes at sunset')
      .field('credit', 'Layla H.')
      .attach('image', await jpegWithGps(2000, 1400), 'marshes.jpg')
      .expect(200);
  }, 120000);

  afterAll(async () => {
    await launched?.close();
    await t?.close();
    await sink.stop();
  });

  // ── helpers ─────────────────────────────────────────────────────────────────

  let seq = 0;
  /** A fresh address, so each test reads only its own mail. */
  const address = (label: string) => `${label}-${++seq}@example.org`;

  async function bilingualCampaign(arTitle: string, enTitle: string): Promise<Campaign> {
    const created = await createLiveCampaign(t, org.token, {
      kind: 'urgent_action',
      locale: 'ar',
      title: arTitle,
      summary: 'الأهوار تجف، وسكانها يرحلون. اطلبوا من الحكومة إطلاق حصة المياه.',
      body: 'جفّت الأهوار هذا الصيف.\n\nنطلب من وزارة الموارد المائية إطلاق حصة الأهوار من المياه.',
      goal: 1000,
      translations: {
        en: {
          title: enTitle,
          summary: 'The marshes are drying and their people are leaving. Ask the government to release their water.',
          body: 'The marshes dried up this summer.\n\nWe ask the Ministry of Water Resources to release their share of water.',
        },
      },
    });
    return { id: created.id, slug: created.slug };
  }

  const campaignPath = (lang: Lang, c: Campaign = campaign) => `/${lang}/c/${encodeURIComponent(c.slug)}`;
  const url = (path: string) => `${origin}${path}`;
  /** The count in words, as the page says it («توقيعان», «١١ توقيعاً», "1 signature"). */
  const formatted = (lang: Lang, n: number) => plural(n, lang, PAGE_STRINGS[lang].signatureCount);

  async function apiCount(c: Campaign = campaign): Promise<number> {
    const res = await t.http().get(`/api/v1/campaigns/${encodeURIComponent(c.slug)}/count`).expect(200);
    return res.body.verified as number;
  }

  async function signatureRows(c: Campaign = campaign): Promise<number> {
    const [{ n }] = await t.db.query('SELECT count(*)::int AS n FROM signatures WHERE campaign_id = $1', [c.id]);
    return n as number;
  }

  async function newContext(options: BrowserContextOptions = {}): Promise<{ context: BrowserContext; watch: PageWatch }> {
    const context = await browser.newContext(options);
    context.setDefaultTimeout(10000);
    context.setDefaultNavigationTimeout(10000);
    return { context, watch: watchContext(context, [origin]) };
  }

  /** The count the page shows: its data-count attribute and its visible text. */
  async function shownCount(scope: Page | FrameLocator): Promise<{ value: number; text: string; visible: boolean }> {
    const element = scope.locator('[data-count]').first();
    const raw = await element.getAttribute('data-count');
    expect(raw).toMatch(/^\d+$/);
    return { value: Number(raw), text: ((await element.textContent()) ?? '').trim(), visible: await element.isVisible() };
  }

  async function htmlLangDir(page: Page): Promise<[string | null, string | null]> {
    const html = page.locator('html');
    return [await html.getAttribute('lang'), await html.getAttribute('dir')];
  }

  /** Fills the sign form by its labels, as a person would, and presses the button. */
  async function fillAndSign(scope: Page | FrameLocator, lang: Lang, signer: Signer): Promise<void> {
    const s = PAGE_STRINGS[lang];
    await scope.getByLabel(s.fieldName, { exact: true }).fill(signer.name);
    await scope.getByLabel(s.fieldEmail, { exact: true }).fill(signer.email);
    if (signer.country) await scope.getByLabel(s.fieldCountry, { exact: true }).selectOption(signer.country);
    if (signer.city) await scope.getByLabel(s.fieldCity, { exact: true }).fill(signer.city);
    if (signer.showName) await scope.getByLabel(s.fieldShowName, { exact: true }).check();
    await scope.getByRole('button', { name: s.signButton, exact: true }).click();
  }

  /** Waits for a visible heading with exactly this text. */
  async function seeHeading(scope: Page | FrameLocator, name: string): Promise<void> {
    await scope.getByRole('heading', { name, exact: true }).first().waitFor({ state: 'visible' });
  }

  /** Signs on the campaign page in `lang` and lands on the check-email page. */
  async function signOnPage(page: Page, lang: Lang, signer: Signer, c: Campaign = campaign): Promise<void> {
    if (!page.url().endsWith(campaignPath(lang, c))) await page.goto(url(campaignPath(lang, c)));
    await fillAndSign(page, lang, signer);
    await page.waitForURL((u) => u.pathname === `${campaignPath(lang, c)}/check-email`);
    await seeHeading(page, PAGE_STRINGS[lang].checkEmailHeading);
  }

  /** Opens the link of the confirmation mail: the confirm page with its one button. */
  async function openConfirmLink(page: Page, lang: Lang, email: string): Promise<void> {
    const [mail] = await sink.waitFor(email);
    const link = confirmLink(mail);
    expect(link.startsWith(`${origin}/`)).toBe(true);
    await page.goto(link);
    await seeHeading(page, PAGE_STRINGS[lang].confirmHeading);
  }

  async function pressConfirm(page: Page, lang: Lang): Promise<void> {
    await page.getByRole('button', { name: PAGE_STRINGS[lang].confirmButton, exact: true }).click();
    await seeHeading(page, PAGE_STRINGS[lang].confirmedHeading);
  }

  /** Submits the form with no name, a malformed address, no country (and a city); expects the 400 page. */
  async function submitInvalid(page: Page, lang: Lang): Promise<void> {
    const s = PAGE_STRINGS[lang];
    await page.goto(url(campaignPath(lang)));
    await page.getByLabel(s.fieldEmail, { exact: true }).fill('not-an-email');
    await page.getByLabel(s.fieldCity, { exact: true }).fill(lang === 'ar' ? 'الموصل' : 'Mosul');
    await page.getByLabel(s.fieldShowName, { exact: true }).check();
    const posted = page.waitForResponse((r) => r.request().method() === 'POST' && r.request().isNavigationRequest());
    await page.getByRole('button', { name: s.signButton, exact: true }).click();
    expect((await posted).status()).toBe(400);
    await page.waitForLoadState('load');
  }

  /**
   * Runs in the page: walks up from a form field to the first element whose text (the field's own,
   * like a select's options, left out) holds `message`; marks it data-test-group=`mark` and returns
   * how many fields it holds (1: the message sits by this field alone). 0 when no such element.
   */
  const groupAround = (el: unknown, { message, mark }: { message: string; mark: string }): number => {
    interface Node {
      parentElement: Node | null;
      tagName: string;
      textContent: string | null;
      setAttribute: (name: string, value: string) => void;
      querySelectorAll: (selector: string) => { length: number };
    }
    const field = el as Node;
    for (let node = field.parentElement; node && node.tagName !== 'FORM'; node = node.parentElement) {
      if ((node.textContent ?? '').replace(field.textContent ?? '', '').includes(message)) {
        node.setAttribute('data-test-group', mark);
        return node.querySelectorAll('input:not([type="hidden"]), select, textarea').length;
      }
    }
    return 0;
  };

  /** Width and height of a PNG, from its IHDR chunk. */
  function pngSize(file: string): { width: number; height: number } {
    const png = readFileSync(file);
    expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
    return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
  }

  // ── a. Arabic, JavaScript on ────────────────────────────────────────────────

  it('Arabic with JavaScript: sign by label, confirm from the mail; the open page counts up without reload, in Arabic digits', async () => {
    const ar = PAGE_STRINGS.ar;
    const { context, watch } = await newContext();
    try {
      const pageA = await context.newPage();
      await pageA.goto(url(campaignPath('ar')));
      expect(await htmlLangDir(pageA)).toEqual(['ar', 'rtl']);
      await seeHeading(pageA, AR_TITLE);
      const before = await shownCount(pageA);
      expect(before.visible).toBe(true);
      expect(before.value).toBe(await apiCount());
      expect(before.text).toBe(formatted('ar', before.value));
      expect(await pageA.locator('[role="progressbar"]').count()).toBeGreaterThan(0);
      await pageA.getByText('وزير الموارد المائية').first().waitFor();

      // Page A stays open (and polls); the signer uses a second tab.
      await pageA.evaluate('window.__stillTheSamePage = true');
      let reloads = 0;
      pageA.on('framenavigated', (frame) => {
        if (frame === pageA.mainFrame()) reloads++;
      });

      const email = address('layla');
      const pageSign = await context.newPage();
      await signOnPage(pageSign, 'ar', { name: 'ليلى حسن', email, country: 'IQ', city: 'البصرة', showName: true });

      const [mail] = await sink.waitFor(email);
      expect(mail.parsed.text).toContain('ليلى حسن');
      const pageB = await context.newPage();
      await openConfirmLink(pageB, 'ar', email);
      expect(await htmlLangDir(pageB)).toEqual(['ar', 'rtl']);
      await pressConfirm(pageB, 'ar');

      // The count rises on page A by itself (PAGE_POLL_MS is 1000 here).
      await waitUntil(async () => (await pageA.locator('[data-count]').first().getAttribute('data-count')) === String(before.value + 1), 15000, 200);
      const after = await shownCount(pageA);
      expect(after.text).toBe(formatted('ar', before.value + 1));
      // Written by the page script, as the server writes it: Arabic words, Arabic-Indic digits if any.
      expect(after.text).not.toMatch(/[0-9]/);
      if (before.value === 0) expect(after.text).toBe('توقيع واحد');
      expect(reloads).toBe(0);
      expect(await pageA.evaluate('window.__stillTheSamePage')).toBe(true);
      expect(await apiCount()).toBe(before.value + 1);

      // After a reload, the recent supporters show her first name and city, never her full name.
      await pageA.reload();
      await pageA.getByRole('heading', { name: ar.recentHeading, exact: true }).waitFor();
      const supporter = pageA.getByRole('listitem').filter({ hasText: 'ليلى' });
      expect(await supporter.count()).toBe(1);
      expect(await supporter.textContent()).toContain('البصرة');
      expect(await supporter.textContent()).not.toContain('حسن');
      expect(await pageA.getByText(ar.recentNone).count()).toBe(0);

      expect(watch.cspViolations).toEqual([]);
      expect(watch.thirdPartyRequests).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120000);

  // ── b. English, JavaScript off ──────────────────────────────────────────────

  it('English without JavaScript: sign, check-email page, confirm link and button, thank-you; the reloaded page counts one more', async () => {
    const { context, watch } = await newContext({ javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      await page.goto(url(campaignPath('en')));
      expect(await htmlLangDir(page)).toEqual(['en', 'ltr']);
      await seeHeading(page, EN_TITLE);
      const before = await shownCount(page);
      expect(before.visible).toBe(true);
      expect(before.value).toBe(await apiCount());
      expect(before.text).toBe(formatted('en', before.value));

      const email = address('omar');
      await signOnPage(page, 'en', { name: 'Omar Khalil', email, country: 'JO' });
      await openConfirmLink(page, 'en', email);
      expect(await htmlLangDir(page)).toEqual(['en', 'ltr']);
      await pressConfirm(page, 'en');

      await waitUntil(
        async () => {
          await page.goto(url(campaignPath('en')));
          return (await shownCount(page)).value === before.value + 1;
        },
        10000,
        300,
      );
      expect((await shownCount(page)).text).toBe(formatted('en', before.value + 1));
      expect(watch.cspViolations).toEqual([]);
      expect(watch.thirdPartyRequests).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120000);

  // ── c. validation errors, Arabic, JavaScript off ────────────────────────────

  it('Arabic without JavaScript: a bad form comes back 400 with an error summary, messages by the fields and the values kept; nothing is sent or stored', async () => {
    const ar = PAGE_STRINGS.ar;
    const { context, watch } = await newContext({ javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      const countBefore = await apiCount();
      const rowsBefore = await signatureRows();
      const mailBefore = sink.received.length;

      await submitInvalid(page, 'ar');
      expect(await htmlLangDir(page)).toEqual(['ar', 'rtl']);

      const summary = page.getByRole('alert');
      await summary.first().waitFor();
      expect(await summary.count()).toBe(1);
      await summary.getByRole('heading', { name: ar.errorSummary, exact: true }).waitFor();
      const summaryLinks = summary.getByRole('link');
      expect(await summaryLinks.allTextContents()).toEqual(
        expect.arrayContaining([ar.errorNameMissing, ar.errorEmailInvalid, ar.errorCountryMissing].map((m) => expect.stringContaining(m))),
      );

      // Each field is marked invalid, the summary links to it, and its message is shown next to it:
      // in the smallest element around the field that holds the message, and no other field there.
      const fields: [string, string][] = [
        [ar.fieldName, ar.errorNameMissing],
        [ar.fieldEmail, ar.errorEmailInvalid],
        [ar.fieldCountry, ar.errorCountryMissing],
      ];
      for (const [index, [label, message]] of fields.entries()) {
        const field = page.getByLabel(label, { exact: true });
        expect([label, await field.getAttribute('aria-invalid')]).toEqual([label, 'true']);
        const id = await field.getAttribute('id');
        expect(id).toBeTruthy();
        expect([label, await summary.locator(`a[href="#${id}"]`).count()]).toEqual([label, 1]);
        const fieldsAround = await field.evaluate(groupAround, { message, mark: `group-${index}` });
        expect([label, fieldsAround]).toEqual([label, 1]);
        const shown = page
          .locator(`[data-test-group="group-${index}"]`)
          .getByText(message, { exact: true })
          .and(page.locator(':not(option)'))
          .filter({ visible: true });
        expect([label, await shown.count()]).toEqual([label, 1]);
      }
      expect(await page.getByLabel(ar.fieldEmail, { exact: true }).inputValue()).toBe('not-an-email');
      expect(await page.getByLabel(ar.fieldName, { exact: true }).inputValue()).toBe('');
      expect(await page.getByLabel(ar.fieldCity, { exact: true }).inputValue()).toBe('الموصل');
      expect(await page.getByLabel(ar.fieldShowName, { exact: true }).isChecked()).toBe(true);
      expect(await page.getByLabel(ar.fieldCountry, { exact: true }).inputValue()).toBe('');

      // Nothing was stored, so nothing can be mailed: the relay finds no outbox row.
      await t.app.get(MailRelay).loop.runOnce();
      expect(await signatureRows()).toBe(rowsBefore);
      expect(await apiCount()).toBe(countBefore);
      expect(sink.received.length).toBe(mailBefore);
      expect(watch.cspViolations).toEqual([]);
      expect(watch.thirdPartyRequests).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120000);

  // ── d. accessibility, CSP and third parties on every page ───────────────────

  describe('every page', () => {
    let closed: Campaign;
    let won: Campaign;
    const outcome = 'أُطلقت حصة المياه';
    beforeAll(async () => {
      closed = await bilingualCampaign('أوقفوا ردم الأهوار', 'Stop the filling of the marshes');
      await t.http().post(`/api/v1/campaigns/${closed.id}/close`).set('Authorization', `Bearer ${org.token}`).expect(200);
      won = await bilingualCampaign('أعيدوا المياه إلى الأهوار', 'Bring the water back to the marshes');
      await t.http().post(`/api/v1/campaigns/${won.id}/win`).set('Authorization', `Bearer ${org.token}`).send({ outcome }).expect(200);
    });

  // One test per language: each walks twelve pages and runs axe on each, which on a loaded CI machine
  // took most of a minute per language.
  it.each(['ar', 'en'] as const)('in %s has no serious or critical axe violation, no CSP violation and no third-party request', async (lang) => {
    const { context, watch } = await newContext();
    const failures: Record<string, { violations: AxeViolation[]; csp: string[]; thirdParty: string[] }> = {};
    const checked: string[] = [];
    const audit = async (page: Page, name: string, lang: Lang) => {
      // Every page is in its language, right to left in Arabic, and offers the other language.
      expect([name, ...(await htmlLangDir(page))]).toEqual([name, lang, lang === 'ar' ? 'rtl' : 'ltr']);
      const other: Lang = lang === 'ar' ? 'en' : 'ar';
      expect([name, await page.locator(`a[hreflang="${other}"]`).first().textContent()]).toEqual([name, PAGE_STRINGS[other].languageName]);
      const violations = await axeCheck(page);
      if (violations.length || watch.cspViolations.length || watch.thirdPartyRequests.length) {
        failures[name] = { violations, csp: [...watch.cspViolations], thirdParty: [...watch.thirdPartyRequests] };
      }
      watch.reset();
      checked.push(name);
    };
    try {
      const page = await context.newPage();
      {
        const s = PAGE_STRINGS[lang];

        await page.goto(url(`/${lang}`));
        await page.getByText(lang === 'ar' ? AR_TITLE : EN_TITLE).first().waitFor();
        const links = await Promise.all((await page.locator('a[href]').all()).map((a) => a.getAttribute('href')));
        const paths = links.map((href) => new URL(href ?? '', origin).pathname);
        expect(paths).toContain(campaignPath(lang));
        // Only live campaigns are listed.
        expect(paths).not.toContain(campaignPath(lang, closed));
        expect(paths).not.toContain(campaignPath(lang, won));
        await audit(page, `home ${lang}`, lang);

        await page.goto(url(campaignPath(lang)));
        await audit(page, `campaign ${lang}`, lang);

        await submitInvalid(page, lang);
        await audit(page, `errors ${lang}`, lang);

        const email = address(`audit-${lang}`);
        await signOnPage(page, lang, { name: lang === 'ar' ? 'سلمى ناصر' : 'Salma Nasser', email, country: 'LB' });
        await audit(page, `check-email ${lang}`, lang);
        await openConfirmLink(page, lang, email);
        await audit(page, `confirm ${lang}`, lang);
        await pressConfirm(page, lang);
        await audit(page, `thank-you ${lang}`, lang);

        await page.goto(url(campaignPath(lang, closed)));
        await page.getByText(s.closedBanner).first().waitFor();
        expect(await page.getByRole('button', { name: s.signButton, exact: true }).count()).toBe(0);
        await audit(page, `closed ${lang}`, lang);

        await page.goto(url(campaignPath(lang, won)));
        await page.getByText(s.wonBanner).first().waitFor();
        await page.getByText(outcome).first().waitFor();
        expect(await page.getByRole('button', { name: s.signButton, exact: true }).count()).toBe(0);
        await audit(page, `won ${lang}`, lang);

        await page.goto(url(`/${lang}/embed/c/${encodeURIComponent(campaign.slug)}`));
        await page.locator('[data-count]').first().waitFor();
        await page.getByRole('button', { name: s.signButton, exact: true }).waitFor();
        await audit(page, `embed ${lang}`, lang);

        // Privacy: the notice from the footer, the erasure form, the page its email links to, erased.
        await page.goto(url(`/${lang}`));
        await page.getByRole('link', { name: s.privacyLink, exact: true }).click();
        await seeHeading(page, s.privacyHeading);
        await audit(page, `privacy ${lang}`, lang);
        await page.getByRole('link', { name: s.privacyLeaveErase, exact: true }).click();
        await seeHeading(page, s.eraseHeading);
        await page.getByLabel(s.fieldEmail, { exact: true }).fill(email);
        await page.getByRole('button', { name: s.eraseSend, exact: true }).click();
        await seeHeading(page, s.checkEmailHeading);
        await audit(page, `privacy check-email ${lang}`, lang);
        const erasure = (await sink.waitFor(email, 2))[1];
        const link = /http:\/\/\S+\/privacy\/erase\/[A-Za-z0-9_-]{43}/.exec(erasure.parsed.text ?? '')![0];
        await page.goto(link);
        await seeHeading(page, s.eraseConfirmHeading);
        await audit(page, `privacy erase ${lang}`, lang);
        await page.getByRole('button', { name: s.eraseConfirmButton, exact: true }).click();
        await seeHeading(page, s.erasedHeading);
      }
      expect(failures).toEqual({});
      expect(checked).toHaveLength(12);
    } finally {
      await context.close();
    }
  }, 120000);
  });

  // ── e. page weight and caching ──────────────────────────────────────────────

  it('the campaign page weighs under 30 KB before its photo on an empty cache, the photo a phone loads under 40 KB, and its static files come from the cache next time', async () => {
    const report: Record<string, unknown> = { limitBytes: WEIGHT_LIMIT, measuredAt: new Date().toISOString() };
    const totals: Record<string, number> = {};
    for (const lang of ['ar', 'en'] as const) {
      const { context } = await newContext();
      try {
        const first = await context.newPage();
        const weight = await pageWeight(first, url(campaignPath(lang)));
        const byPath = Object.fromEntries(
          Object.entries(weight.byUrl).map(([u, bytes]) => [u.startsWith(origin) ? u.slice(origin.length) : u, bytes]),
        );
        // The budget is the page before images; the photo is weighed on its own (below, on a phone).
        const images = Object.entries(weight.byUrl).filter(([u]) => u.startsWith(`${origin}/media/`));
        expect(images.length).toBeGreaterThan(0);
        const imageBytes = images.reduce((sum, [, bytes]) => sum + bytes, 0);
        report[lang] = { path: campaignPath(lang), total: weight.total, beforeImages: weight.total - imageBytes, imageBytes, byUrl: byPath };
        totals[lang] = weight.total - imageBytes;

        const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true });
        try {
          const onPhone = await pageWeight(await phone.newPage(), url(campaignPath(lang)));
          const phoneImages = Object.entries(onPhone.byUrl).filter(([u]) => u.startsWith(`${origin}/media/`));
          expect(phoneImages.map(([u]) => u)).toEqual([expect.stringMatching(/-480w\.webp$/)]);
          const phoneImageBytes = phoneImages.reduce((sum, [, bytes]) => sum + bytes, 0);
          report[`${lang}-phone`] = { viewport: '390x844@3x', total: onPhone.total, beforeImages: onPhone.total - phoneImageBytes, imageBytes: phoneImageBytes };
          expect(phoneImageBytes).toBeLessThanOrEqual(40 * 1024);
          expect(onPhone.total - phoneImageBytes).toBeLessThan(WEIGHT_LIMIT);
        } finally {
          await phone.close();
        }

        const statics = Object.keys(weight.byUrl).filter((u) => u.startsWith(`${origin}/static/`));
        expect(statics.length).toBeGreaterThan(0);
        for (const s of statics) {
          const res = await t.http().get(s.slice(origin.length)).expect(200);
          expect([s, res.headers['cache-control']]).toEqual([s, 'public, max-age=31536000, immutable']);
        }

        const again = await context.newPage();
        const sources = await loadSources(again, url(campaignPath(lang)));
        expect(sources.network.filter((u) => u.startsWith(`${origin}/static/`))).toEqual([]);
      } finally {
        await context.close();
      }
    }
    mkdirSync(RESULTS, { recursive: true });
    writeFileSync(join(RESULTS, 'page-weight.json'), `${JSON.stringify(report, null, 2)}\n`);
    expect(totals.ar).toBeLessThan(WEIGHT_LIMIT);
    expect(totals.en).toBeLessThan(WEIGHT_LIMIT);
  }, 120000);

  // ── f. screenshots ──────────────────────────────────────────────────────────

  it('screenshots: campaign pages on a phone and a desktop, the Arabic error and thank-you pages; nothing overflows the phone screen', async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    const shots: { viewport: { width: number; height: number }; suffix: string }[] = [
      { viewport: { width: 390, height: 844 }, suffix: 'phone' },
      { viewport: { width: 1280, height: 800 }, suffix: 'desktop' },
    ];
    for (const { viewport, suffix } of shots) {
      const { context, watch } = await newContext({ viewport, deviceScaleFactor: 2, isMobile: suffix === 'phone', hasTouch: suffix === 'phone' });
      try {
        const page = await context.newPage();
        const snap = async (name: string) => {
          const scrollWidth = Number(await page.evaluate('document.documentElement.scrollWidth'));
          expect({ name, overflow: Math.max(0, scrollWidth - viewport.width) }).toEqual({ name, overflow: 0 });
          const file = join(SCREENSHOTS, `${name}-${suffix}.png`);
          await page.screenshot({ path: file, fullPage: true });
          expect(pngSize(file).width).toBe(viewport.width * 2);
        };
        for (const lang of ['en', 'ar'] as const) {
          await page.goto(url(campaignPath(lang)));
          await page.locator('[data-count]').first().waitFor();
          await snap(`campaign-${lang}`);
        }
        await submitInvalid(page, 'ar');
        await snap('errors-ar');
        const email = address(`shot-${suffix}`);
        await signOnPage(page, 'ar', { name: 'هدى كريم', email, country: 'IQ' });
        await snap('check-email-ar');
        await openConfirmLink(page, 'ar', email);
        await pressConfirm(page, 'ar');
        await snap('thank-you-ar');
        expect(watch.cspViolations).toEqual([]);
        expect(watch.thirdPartyRequests).toEqual([]);
      } finally {
        await context.close();
      }
    }
  }, 120000);

  // ── g. the embed on another site ────────────────────────────────────────────

  it('embed.js on a partner site shows the Arabic count and form in an iframe; the count API answers the partner (CORS); signing works inside the iframe', async () => {
    const ar = PAGE_STRINGS.ar;
    const slug = campaign.slug;
    const partnerPort = await freePort();
    // Another site: "localhost" is not the same site as 127.0.0.1, as a partner's domain would not be.
    const partnerOrigin = `http://localhost:${partnerPort}`;
    const partnerHtml = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Partner</title></head><body>
<h1>Partner news</h1>
<div data-nida-campaign="${slug}" data-lang="ar"></div>
<script src="${origin}/static/embed.js" async></script>
</body></html>`;
    const partner: Server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(partnerHtml);
    });
    await new Promise<void>((resolve) => partner.listen(partnerPort, '127.0.0.1', resolve));
    const { context, watch } = await newContext();
    try {
      const page = await context.newPage();
      await page.goto(`${partnerOrigin}/`);
      const iframe = page.locator('iframe');
      await iframe.first().waitFor();
      expect(await iframe.count()).toBe(1);
      const src = (await iframe.getAttribute('src')) ?? '';
      expect(new URL(src).origin).toBe(origin);
      expect(new URL(src).pathname).toBe(`/ar/embed/c/${encodeURIComponent(slug)}`);

      const frame = page.frameLocator('iframe');
      await frame.locator('[data-count]').first().waitFor();
      const shown = await shownCount(frame);
      expect(shown.visible).toBe(true);
      expect(shown.text).toBe(formatted('ar', shown.value));
      await frame.getByLabel(ar.fieldName, { exact: true }).waitFor();
      await frame.getByRole('button', { name: ar.signButton, exact: true }).waitFor();

      const countUrl = `${origin}/api/v1/campaigns/${encodeURIComponent(slug)}/count`;
      const fetched = (await page.evaluate(
        async (u) => {
          const res = await fetch(u);
          return { status: res.status, body: (await res.json()) as { verified: number } };
        },
        countUrl,
      )) as { status: number; body: { verified: number } };
      expect(fetched.status).toBe(200);
      expect(fetched.body.verified).toBe(shown.value);

      const email = address('embed');
      await fillAndSign(frame, 'ar', { name: 'سارة علي', email, country: 'IQ' });
      await seeHeading(frame, ar.checkEmailHeading);
      expect(page.url()).toBe(`${partnerOrigin}/`);
      await sink.waitFor(email);

      expect(watch.cspViolations).toEqual([]);
      expect(watch.thirdPartyRequests.filter((u) => !u.startsWith(`${partnerOrigin}/`))).toEqual([]);
    } finally {
      await context.close();
      await new Promise<void>((resolve) => partner.close(() => resolve()));
    }
  }, 120000);
});
