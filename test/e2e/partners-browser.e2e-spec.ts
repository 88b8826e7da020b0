import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { PAGE_STRINGS } from '../../src/modules/pages/page-strings';
import { axeCheck, launchBrowser, type LaunchedBrowser, type PageWatch, watchContext } from '../support/browser';
import { createLiveCampaign, createOrganiserWithOrganisation, type OrganiserLogin } from '../support/factories';
import { freePort } from '../support/processes';
import { confirmLink, SmtpSink } from '../support/smtp-sink';
import { createTestApp, type TestApp } from '../support/test-app';

const SCREENSHOTS = join(__dirname, '../../test-results/screenshots');
const PHONE = { width: 390, height: 844 };
const ar = PAGE_STRINGS.ar;

/** The little of the DOM the page-side functions use (the tests compile without the DOM's types). */
interface DomNode {
  textContent: string | null;
  labels: DomNode[];
  cloneNode: (deep: boolean) => DomNode;
  querySelectorAll: (selector: string) => { forEach: (f: (n: { remove: () => void }) => void) => void };
}

type Role = 'lead' | 'editor' | 'viewer' | 'invited';
/** The organisations: the lead's name is Arabic, one partner's is Latin (a name is shown as its organisation wrote it). */
const NAMES: Record<Role, string> = {
  lead: 'تحالف الأهوار',
  editor: 'Water Watch',
  viewer: 'أصدقاء دجلة',
  invited: 'منظمة لم تقبل الدعوة',
};

/**
 * Per-partner consent in a real browser: on the Arabic page of a campaign run by a coalition, on a
 * phone, the sign form offers one named box per organisation running it (the lead and each partner
 * that accepted), none ticked; a supporter who ticks one partner's box and confirms from the real
 * mail is in that partner's export and not in the lead's.
 */
describe('per-partner consent on the sign form, in a browser', () => {
  let t: TestApp;
  let launched: LaunchedBrowser;
  let browser: Browser;
  let origin: string;
  const sink = new SmtpSink();
  const as = {} as Record<Role, OrganiserLogin>;
  const bearer = (r: Role) => ({ Authorization: `Bearer ${as[r].token}` });

  beforeAll(async () => {
    const port = await freePort();
    origin = `http://127.0.0.1:${port}`;
    t = await createTestApp({ PUBLIC_URL: origin, SMTP_URL: await sink.start(), MAIL_RELAY_INTERVAL_MS: '100', MAIL_BACKOFF_MS: '50' });
    await t.app.listen(port, '127.0.0.1');
    launched = await launchBrowser();
    browser = launched.browser;
    for (const role of Object.keys(NAMES) as Role[]) as[role] = await createOrganiserWithOrganisation(t, NAMES[role]);
    mkdirSync(SCREENSHOTS, { recursive: true });
  }, 120000);

  afterAll(async () => {
    await launched?.close();
    await t?.close();
    await sink.stop();
  });

  /** An Arabic campaign of the lead; the editor and the viewer accepted, the last invitation is left unanswered. */
  async function coalitionCampaign(title: string): Promise<{ id: string; slug: string }> {
    const campaign = await createLiveCampaign(t, as.lead.token, {
      locale: 'ar',
      title,
      summary: 'الأهوار تجفّ، وسكانها يرحلون.',
      body: 'نطلب من وزارة الموارد المائية إطلاق حصة الأهوار من المياه.',
    });
    for (const [who, role] of [['editor', 'editor'], ['viewer', 'viewer'], ['invited', 'viewer']] as const) {
      await t.http().post(`/api/v1/campaigns/${campaign.id}/partners`).set(bearer('lead')).send({ organisationId: as[who].organisationId, role }).expect(201);
    }
    for (const who of ['editor', 'viewer'] as const) await t.http().post(`/api/v1/partnerships/${campaign.id}/accept`).set(bearer(who)).expect(200);
    return { id: campaign.id, slug: campaign.slug };
  }

  async function phoneContext(javaScriptEnabled: boolean): Promise<{ context: BrowserContext; watch: PageWatch }> {
    const context = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 2, isMobile: true, hasTouch: true, javaScriptEnabled });
    context.setDefaultTimeout(10000);
    context.setDefaultNavigationTimeout(10000);
    return { context, watch: watchContext(context, [origin]) };
  }

  /** Who the signature of the campaign (its only one) lets contact them. */
  async function consentOf(campaignId: string): Promise<{ status: string; consent: boolean; ids: string[] }[]> {
    const rows = await t.db.query(`SELECT status, contact_consent AS consent, contact_organisation_ids::text[] AS ids FROM signatures WHERE campaign_id = $1`, [campaignId]);
    return rows.map((r: { status: string; consent: boolean; ids: string[] }) => ({ ...r, ids: [...r.ids].sort() }));
  }

  async function csv(role: Role, campaignId: string): Promise<string> {
    const res = await t
      .http()
      .get(`/api/v1/campaigns/${campaignId}/signatures.csv`)
      .set(bearer(role))
      .buffer(true)
      .parse((r, cb) => {
        let text = '';
        r.on('data', (c: Buffer) => (text += c.toString('utf8')));
        r.on('end', () => cb(null, text));
      });
    expect(res.status).toBe(200);
    return res.body as string;
  }

  /** The form as a supporter meets it: three named boxes, none ticked, the pending invitee nowhere; axe, width, language. */
  async function checkForm(page: Page, javaScriptEnabled: boolean, shot: string | null): Promise<void> {
    expect([await page.getAttribute('html', 'lang'), await page.getAttribute('html', 'dir')]).toEqual(['ar', 'rtl']);
    const group = page.getByRole('group', { name: ar.fieldContactConsentWho, exact: true });
    await group.waitFor();
    const boxes = group.getByRole('checkbox');
    expect(await boxes.count()).toBe(3);
    const names: string[] = [];
    for (const box of await boxes.all()) names.push(await box.evaluate((el) => ((el as unknown as DomNode).labels[0]?.textContent ?? '').trim()));
    expect(names).toEqual([NAMES.lead, NAMES.editor, NAMES.viewer]);
    for (const role of ['lead', 'editor', 'viewer'] as const) {
      const box = page.getByRole('checkbox', { name: NAMES[role], exact: true });
      expect([role, await box.count(), await box.isChecked(), await box.getAttribute('value')]).toEqual([role, 1, false, as[role].organisationId]);
    }
    // No single "the organisers may email me" box beside them, and the invitation left unanswered is not named.
    expect(await page.getByRole('checkbox', { name: ar.fieldContactConsent, exact: true }).count()).toBe(0);
    expect(await page.locator('body').textContent()).not.toContain(NAMES.invited);

    // In Arabic throughout: no Latin letter and no Latin digit in the form but the partner's own name.
    const formText = await page.locator('form#sign').evaluate((el) => {
      const copy = (el as unknown as DomNode).cloneNode(true);
      copy.querySelectorAll('bdi, option').forEach((n) => n.remove());
      return (copy.textContent ?? '').replace(/\s+/g, ' ');
    });
    expect(formText).not.toMatch(/[A-Za-z0-9]/);

    expect(await axeCheck(page, { javaScriptEnabled })).toEqual([]);
    expect(Number(await page.evaluate('document.documentElement.scrollWidth'))).toBeLessThanOrEqual(PHONE.width);
    if (shot) await page.screenshot({ path: join(SCREENSHOTS, shot), fullPage: true });
  }

  async function fillAndSign(page: Page, name: string, email: string, tick: Role[]): Promise<void> {
    await page.getByLabel(ar.fieldName, { exact: true }).fill(name);
    await page.getByLabel(ar.fieldEmail, { exact: true }).fill(email);
    await page.getByLabel(ar.fieldCountry, { exact: true }).selectOption('IQ');
    for (const role of tick) await page.getByRole('checkbox', { name: NAMES[role], exact: true }).check();
    await page.getByRole('button', { name: ar.signButton, exact: true }).click();
  }

  it('Arabic, phone, no JavaScript: one named box per organisation; ticking only the viewer partner puts the confirmed supporter in its export and not in the lead’s', async () => {
    const campaign = await coalitionCampaign('أنقذوا الأهوار من الجفاف');
    const path = `/ar/c/${encodeURIComponent(campaign.slug)}`;
    const { context, watch } = await phoneContext(false);
    try {
      const page = await context.newPage();
      await page.goto(`${origin}${path}`);
      await checkForm(page, false, 'partners-consent-ar-phone.png');

      const email = 'zainab-consent@example.org';
      const name = 'زينب الحسيني';
      await fillAndSign(page, name, email, ['viewer']);
      await page.waitForURL((u) => u.pathname === `${path}/check-email`);
      await page.getByRole('heading', { name: ar.checkEmailHeading, exact: true }).waitFor();

      const [mail] = await sink.waitFor(email);
      const link = confirmLink(mail);
      expect(link.startsWith(`${origin}/`)).toBe(true);
      await page.goto(link);
      await page.getByRole('heading', { name: ar.confirmHeading, exact: true }).waitFor();
      await page.getByRole('button', { name: ar.confirmButton, exact: true }).click();
      await page.getByRole('heading', { name: ar.confirmedHeading, exact: true }).first().waitFor();

      expect(await consentOf(campaign.id)).toEqual([{ status: 'verified', consent: true, ids: [as.viewer.organisationId] }]);
      const viewerCsv = await csv('viewer', campaign.id);
      expect(viewerCsv).toContain(email);
      expect(viewerCsv).toContain(name);
      for (const other of ['lead', 'editor'] as const) {
        const text = await csv(other, campaign.id);
        expect([other, text.includes(email), text.includes(name)]).toEqual([other, false, false]);
      }
      expect(watch.cspViolations).toEqual([]);
      expect(watch.thirdPartyRequests).toEqual([]);
    } finally {
      await context.close();
    }
  }, 30000);

  it('Arabic, phone, with JavaScript: the same form; the boxes ticked (the lead and the editor) are the organisations stored', async () => {
    const campaign = await coalitionCampaign('أوقفوا ردم الأهوار');
    const path = `/ar/c/${encodeURIComponent(campaign.slug)}`;
    const { context, watch } = await phoneContext(true);
    try {
      const page = await context.newPage();
      await page.goto(`${origin}${path}`);
      await checkForm(page, true, null);
      await fillAndSign(page, 'علي كاظم', 'ali-consent@example.org', ['lead', 'editor']);
      await page.waitForURL((u) => u.pathname === `${path}/check-email`);
      await page.getByRole('heading', { name: ar.checkEmailHeading, exact: true }).waitFor();
      expect(await consentOf(campaign.id)).toEqual([{ status: 'pending', consent: true, ids: [as.lead.organisationId, as.editor.organisationId].sort() }]);
      expect(watch.cspViolations).toEqual([]);
      expect(watch.thirdPartyRequests).toEqual([]);
    } finally {
      await context.close();
    }
  }, 30000);
});
