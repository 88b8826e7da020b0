import { dayIn } from '../../src/common/zoned-date';
import { formatNumber } from '../../src/common/plural';
import { CONSOLE_STRINGS } from '../../src/modules/pages/console-strings';
import { TallyFoldLoop } from '../../src/modules/tally/jobs/tally-fold.loop';
import { createLiveCampaign, createOrganiserWithOrganisation, OrganiserLogin } from '../support/factories';
import { signAndConfirm } from '../support/signing';
import { SmtpSink } from '../support/smtp-sink';
import { createTestApp, TestApp } from '../support/test-app';

const FORM = 'application/x-www-form-urlencoded';
const SAME_ORIGIN = { 'sec-fetch-site': 'same-origin' };
const PASSWORD = 'a-long-enough-password';
const en = CONSOLE_STRINGS.en;
const ar = CONSOLE_STRINGS.ar;
const DAY_MS = 86_400_000;

/** The dashboard, the console's landing page: an organiser signs in through the form and reads their campaigns. */
describe('console dashboard (e2e)', () => {
  let t: TestApp;
  let org: OrganiserLogin;
  let other: OrganiserLogin;
  let cookie: string;
  const smtp = new SmtpSink();
  const campaigns: Record<'petition' | 'urgent' | 'foreign' | 'draft', { id: string; slug: string; title: string }> = {} as never;

  async function signIn(email: string): Promise<string> {
    const page = await t.http().get('/en/console/login');
    const login = [page.headers['set-cookie']].flat().find((c: string) => c?.startsWith('nida_login='))!.split(';')[0];
    const csrf = /name="csrf" value="([^"]+)"/.exec(page.text)![1];
    const res = await t.http().post('/en/console/login').set(SAME_ORIGIN).set('Cookie', login).type(FORM).send({ csrf, email, password: PASSWORD });
    expect(res.status).toBe(303);
    return [res.headers['set-cookie']].flat().find((c: string) => c?.startsWith('nida_session='))!.split(';')[0];
  }

  const dashboard = (locale = 'en', session = cookie) => t.http().get(`/${locale}/console`).set('Cookie', session);

  /** One campaign's card on the page, by its title. */
  function card(html: string, title: string): string {
    const start = html.indexOf(`>${title}<`, html.indexOf('id="campaigns"'));
    expect(start).toBeGreaterThan(-1);
    return html.slice(start, html.indexOf('</li>', start));
  }

  beforeAll(async () => {
    t = await createTestApp({ SMTP_URL: await smtp.start() });
    org = await createOrganiserWithOrganisation(t);
    other = await createOrganiserWithOrganisation(t);
    const auth = { Authorization: `Bearer ${org.token}` };
    const petition = await createLiveCampaign(t, org.token, { title: 'Save the marshes', timeZone: 'Asia/Baghdad', endsAt: new Date(Date.now() + 3 * DAY_MS).toISOString(), translations: { ar: { title: 'أنقذوا الأهوار', summary: 'ملخص', body: 'نص' } } });
    const urgent = await createLiveCampaign(t, org.token, { kind: 'urgent_action', title: 'Free the reporter', endsAt: new Date(Date.now() + 12 * 3600_000).toISOString() });
    const foreign = await createLiveCampaign(t, other.token, { title: 'Another coalition campaign' });
    campaigns.petition = { id: petition.id, slug: petition.slug, title: 'Save the marshes' };
    campaigns.urgent = { id: urgent.id, slug: urgent.slug, title: 'Free the reporter' };
    campaigns.foreign = { id: foreign.id, slug: foreign.slug, title: 'Another coalition campaign' };

    // Three supporters confirm on the petition through the API and the SMTP sink, one on the urgent action.
    for (const name of ['layla', 'omar', 'zainab']) {
      await signAndConfirm(t, smtp, petition.slug, { name: 'Layla Hassan', email: `${name}@example.org`, country: 'IQ' });
    }
    await signAndConfirm(t, smtp, urgent.slug, { name: 'Omar Ali', email: 'omar-urgent@example.org', country: 'IQ' });
    await signAndConfirm(t, smtp, foreign.slug, { name: 'Sara Ali', email: 'sara@example.org', country: 'IQ' });
    await t.app.get(TallyFoldLoop).loop.runOnce();
    // One of the petition's was verified three days ago (the sparkline reads the day it was verified on).
    await t.db.query(`UPDATE signatures SET verified_at = now() - interval '3 days' WHERE email_hash = (SELECT email_hash FROM signatures WHERE campaign_id = $1 ORDER BY created_at LIMIT 1)`, [petition.id]);
    // A held signature on the petition, and two on the other organisation's campaign (never shown here).
    await t.db.query(
      `INSERT INTO signatures (campaign_id, email, email_hash, email_domain, name, country, city, locale, status, held_reason)
       SELECT c, 'plain:h' || c, 'held-' || c || '-' || g, 'example.org', 'plain:Held', 'IQ', 'plain:Basra', 'en', 'held', 'ip_burst'
         FROM unnest($1::uuid[]) AS c, generate_series(1, $2::int) AS g`,
      [[petition.id], 1],
    );
    await t.db.query(
      `INSERT INTO signatures (campaign_id, email, email_hash, email_domain, name, country, city, locale, status, held_reason)
       SELECT $1, 'plain:x' || g, 'held-foreign-' || g, 'example.org', 'plain:Held', 'IQ', 'plain:Basra', 'en', 'held', 'ip_burst' FROM generate_series(1, 2) AS g`,
      [foreign.id],
    );
    // A failed and a bounced letter to an official of the petition (their status set as the sender would leave it).
    const target = await t.http().post(`/api/v1/campaigns/${petition.id}/targets`).set(auth).send({ name: 'Minister', email: 'minister@water.example.org', locale: 'en' }).expect(201);
    await t.db.query(
      `INSERT INTO letters (campaign_id, target_id, signature_id, status)
       SELECT $1, $2, s.id, CASE WHEN row_number() OVER (ORDER BY s.id) = 1 THEN 'failed' ELSE 'bounced' END
         FROM (SELECT id FROM signatures WHERE campaign_id = $1 AND status = 'verified' ORDER BY id LIMIT 2) s`,
      [petition.id, target.body.id],
    );
    cookie = await signIn(org.email);
  }, 90000);

  afterAll(async () => {
    await t?.close();
    await smtp.stop();
  });

  it("shows the organisation's campaigns with status, kind, verified and today's counts, the sparkline and the urgent deadline", async () => {
    const res = await dashboard();
    expect(res.status).toBe(200);
    const page = res.text;
    expect(page).toContain(`<h2 id="campaigns-heading">${en.dashboardCampaigns}</h2>`);

    const petition = card(page, campaigns.petition.title);
    expect(petition).toContain(`<dd class="status">${en.status.live}</dd>`);
    expect(petition).toContain(`<dd class="kind">${en.kind.petition}</dd>`);
    expect(petition).toContain('<dd class="verified">3</dd>');
    expect(petition).toContain('<dd class="today">2</dd>');
    expect(petition).not.toContain('class="deadline"');
    // Oldest day first: the one verified three days ago (in Baghdad's days), then the two of today.
    const days = Array.from({ length: 14 }, (_, k) => dayIn('Asia/Baghdad', new Date(Date.now() - (13 - k) * DAY_MS)));
    const threeDaysAgo = dayIn('Asia/Baghdad', new Date(Date.now() - 3 * DAY_MS));
    const expected = days.map((d, k) => (k === 13 ? 2 : d === threeDaysAgo ? 1 : 0));
    expect(petition).toContain(`aria-label="${en.sparkLabel.replace('{list}', expected.join(', '))}"`);
    expect(petition).toMatch(/<svg class="spark" role="img"[^>]*><polyline [^>]*points="[\d., ]+"\/><\/svg>/);

    const urgent = card(page, campaigns.urgent.title);
    expect(urgent).toContain(`<dd class="kind">${en.kind.urgent_action}</dd>`);
    expect(urgent).toContain('<dd class="verified">1</dd>');
    expect(urgent).toContain('<dd class="today">1</dd>');
    expect(urgent).toMatch(/<dd class="deadline">[^<]*\d{2}:\d{2} \(UTC\)<\/dd>/);
  });

  it('lists what needs attention: held signatures, undelivered letters, a deadline within 24 hours, each linking to the console page that handles it', async () => {
    const page = (await dashboard()).text;
    const attention = page.slice(page.indexOf('id="attention"'), page.indexOf('id="campaigns"'));
    const p = `/en/console/campaigns/${campaigns.petition.id}`;
    expect(attention).toContain(`<a href="${p}/supporters?status&#x3D;held">${campaigns.petition.title}</a>: 1 signature held by the abuse checks</li>`);
    expect(attention).toContain(`<a href="${p}/letters?status&#x3D;failed">${campaigns.petition.title}</a>: Letters not delivered: 1 failed, 1 bounced</li>`);
    expect(attention).toMatch(new RegExp(`<a href="/en/console/campaigns/${campaigns.urgent.id}">${campaigns.urgent.title}</a>: Deadline within 24 hours: [^<]+</li>`));
    expect(attention.match(/<li>/g)).toHaveLength(3);
  });

  it("never shows another organisation's campaign or its counts", async () => {
    const page = (await dashboard()).text;
    expect(page).not.toContain(campaigns.foreign.title);
    expect(page).not.toContain(campaigns.foreign.slug);
    const theirs = (await dashboard('en', await signIn(other.email))).text;
    expect(theirs).toContain(campaigns.foreign.title);
    expect(theirs).not.toContain(campaigns.petition.title);
    expect(theirs).not.toContain(campaigns.urgent.title);
    expect(theirs).toContain(': 2 signatures held by the abuse checks</li>');
    expect(theirs).not.toContain('Letters not delivered');
  });

  it('is in Arabic, right to left, with Arabic digits and no English words', async () => {
    const res = await dashboard('ar');
    expect(res.status).toBe(200);
    const page = res.text;
    expect(page).toMatch(/<html lang="ar" dir="rtl">/);
    const petition = card(page, 'أنقذوا الأهوار');
    expect(petition).toContain(`<dd class="status">${ar.status.live}</dd>`);
    expect(petition).toContain(`<dd class="verified">${formatNumber(3, 'ar')}</dd>`);
    expect(petition).toContain('<dd class="today">٢</dd>');
    expect(petition).toMatch(/aria-label="[^"]*: ([٠-٩]، ){13}٢"/);
    const urgent = card(page, campaigns.urgent.title);
    expect(urgent).toContain(`<dd class="kind">${ar.kind.urgent_action}</dd>`);
    expect(urgent).toMatch(/<dd class="deadline">[^<0-9]*[٠-٩][^<0-9]* \(UTC\)<\/dd>/);
    expect(page).toContain(`<a href="/ar/console/campaigns/${campaigns.petition.id}/supporters?status&#x3D;held">أنقذوا الأهوار</a>: توقيع واحد محتجز لدى فحوص الإساءة</li>`);
    expect(page).toContain('رسائل لم تصل: ١ فشلت، ١ ارتدّت');
    // Outside the campaigns' own titles (the urgent action has only English), no English word shows.
    const text = page
      .replace(/<head>[\s\S]*?<\/head>/, '')
      .replace(/<script[\s\S]*?<\/script>/g, '')
      .replace(/<[^>]+>/g, ' ')
      .replace(campaigns.urgent.title, '')
      .replace(/\S+@\S+/g, '')
      .replace(/\(UTC\)/g, '');
    expect(text).not.toMatch(/\b(Campaigns?|Status|Kind|Verified|Today|Deadline|Petition|Urgent|Live|Letters|held|attention)\b/i);
    expect(text).not.toMatch(/[0-9]/);
  });
});
