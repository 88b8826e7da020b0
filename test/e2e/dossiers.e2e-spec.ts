import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Response } from 'supertest';
import { MediaSettings } from '../../src/config/environment';
import { CHROMIUM_PATH } from '../support/browser';
import { consoleSignIn, FORM, SAME_ORIGIN } from '../support/console';
import { createLiveCampaign, createOrganiserWithOrganisation, type OrganiserLogin } from '../support/factories';
import { signAndConfirm } from '../support/signing';
import { SmtpSink } from '../support/smtp-sink';
import { createTestApp, type TestApp } from '../support/test-app';
import { waitUntil } from '../support/wait';

const dir = mkdtempSync(join(tmpdir(), 'nida-dossier-'));
let files = 0;

/** The text pdftotext (poppler) extracts from a PDF, and its page count (pdfinfo). */
function readPdf(pdf: Buffer): { text: string; pages: number } {
  const file = join(dir, `d${files++}.pdf`);
  writeFileSync(file, pdf);
  // pdftotext marks right-to-left runs with embedding controls (U+202A–U+202E) around the text it
  // gives in logical order: they are dropped here, the order of the letters is what is checked.
  const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/[\u202a-\u202e]/g, '');
  const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
  return { text, pages: Number(/^Pages:\s+(\d+)/m.exec(info)![1]) };
}

/** supertest's raw body as a Buffer. */
const binary = (res: Response, done: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
};

/**
 * A target's dossier: a PDF printed by Chromium in the target's language, whose extracted text has
 * the Arabic title and the shown supporters' names in their logical order and whose page count
 * grows with the names; 503 without Chromium; a bounded number of prints at once; and the console's
 * "send to the target", one email per click, with the PDF attached.
 */
describe('dossiers', () => {
  let t: TestApp;
  let org: OrganiserLogin;
  let other: OrganiserLogin;
  const smtp = new SmtpSink();
  const as = (login: OrganiserLogin) => ({ Authorization: `Bearer ${login.token}` });
  let campaign: { id: string; slug: string };
  let target: { id: string };
  const url = () => `/api/v1/campaigns/${campaign.id}/targets/${target.id}/dossier.pdf`;

  beforeAll(async () => {
    t = await createTestApp({
      SMTP_URL: await smtp.start(),
      MAIL_FROM: 'Nida <letters@nida.test>',
      MAIL_BACKOFF_MS: '50',
      MAIL_RELAY_INTERVAL_MS: '200',
      // Tests turn Chromium off by default; dossiers need it.
      CHROMIUM_PATH,
      DOSSIER_MAX_CONCURRENT: '1',
    });
    org = await createOrganiserWithOrganisation(t);
    other = await createOrganiserWithOrganisation(t);
    campaign = await createLiveCampaign(t, org.token, {
      locale: 'ar',
      // No lam-alef (لا، لأ): poppler's pdftotext gives the two letters of that ligature reversed
      // (it decomposes the presentation form Chromium's ToUnicode names, then reverses the run);
      // PDF readers and copy-paste in Chromium and Firefox read it right. See the README.
      title: 'أنقذوا نهر دجلة من الجفاف',
      summary: 'الأهوار تجفّ عاماً بعد عام.',
      body: 'نطالب وزارة الموارد المائية بإطلاق حصة الأهوار من المياه.',
      letter: { mode: 'none', subject: 'عريضة {{campaign.title}}', body: 'حضرة {{target.name}}،\n\nنحن {{count}} مؤيّداً نطالبكم بالتحرك.' },
      translations: { en: { title: 'Save the marshes from drought', summary: 'The marshes dry a little more each year.', body: 'We ask the ministry to release the marshes’ share of water.' } },
    });
    target = (await t.http().post(`/api/v1/campaigns/${campaign.id}/targets`).set(as(org)).send({ name: 'وزير الموارد المائية', email: 'minister@water.example.org', locale: 'ar' }).expect(201)).body;
    await signAndConfirm(t, smtp, campaign.slug, { name: 'ليلى حسن', email: 'layla@example.org', country: 'IQ', city: 'البصرة', showName: true });
    await signAndConfirm(t, smtp, campaign.slug, { name: 'عمر علي', email: 'omar@example.org', country: 'JO', showName: true });
    await signAndConfirm(t, smtp, campaign.slug, { name: 'Hidden Person', email: 'hidden@example.org', country: 'IQ', showName: false });
    await waitUntil(async () => (await t.http().get(`/api/v1/campaigns/${encodeURIComponent(campaign.slug)}/count`).expect(200)).body.verified === 3, 10000, 100);
  }, 60000);

  afterAll(async () => {
    await t?.close();
    await smtp.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints the target’s dossier in Arabic: title, count, countries and shown names in logical order', async () => {
    const res = await t.http().get(url()).set(as(org)).buffer(true).parse(binary).expect(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toMatch(/^attachment;/);
    const pdf = res.body as Buffer;
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const { text } = readPdf(pdf);
    expect(text).toContain('أنقذوا نهر دجلة من الجفاف');
    expect(text).toContain('ليلى حسن');
    expect(text).toContain('عمر علي');
    expect(text).toContain('ليلى حسن — البصرة');
    expect(text).toContain('العراق');
    expect(text).toContain('٣');
    expect(text).toContain('حضرة وزير الموارد المائية');
    expect(text).not.toContain('Hidden Person');
    expect(text).not.toContain('Save the marshes');
    // In the order they signed.
    expect(text.indexOf('ليلى حسن')).toBeLessThan(text.indexOf('عمر علي'));
  }, 60000);

  it('answers 404 to others and to unknown targets, 503 PDF_ENGINE_UNAVAILABLE without Chromium, 503 PDF_ENGINE_BUSY past its limit', async () => {
    await t.http().get(url()).expect(401);
    expect((await t.http().get(url()).set(as(other)).expect(403)).body.code).toBe('CAMPAIGN_FORBIDDEN');
    expect((await t.http().get(`/api/v1/campaigns/${campaign.id}/targets/00000000-0000-4000-8000-000000000000/dossier.pdf`).set(as(org)).expect(404)).body.code).toBe('TARGET_NOT_FOUND');
    await t.http().get(`/api/v1/campaigns/${campaign.id}/targets/nope/dossier.pdf`).set(as(org)).expect(404);

    const media = t.app.get(MediaSettings);
    media.CHROMIUM_PATH = '/nonexistent/chromium';
    try {
      const missing = await t.http().get(url()).set(as(org)).expect(503);
      expect(missing.body.code).toBe('PDF_ENGINE_UNAVAILABLE');
      expect(missing.body.message).toContain('apt-get install chromium');
    } finally {
      media.CHROMIUM_PATH = CHROMIUM_PATH;
    }

    // DOSSIER_MAX_CONCURRENT=1: one prints, one waits, the rest are turned away.
    const all = await Promise.all([0, 1, 2, 3].map(() => t.http().get(url()).set(as(org)).buffer(true).parse(binary)));
    const statuses = all.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(2);
    expect(statuses.filter((s) => s === 503).length).toBeGreaterThanOrEqual(1);
    const busy = all.find((r) => r.status === 503)!;
    expect(JSON.parse((busy.body as Buffer).toString()).code).toBe('PDF_ENGINE_BUSY');
  }, 120000);

  it('emails the dossier to the target from the console, once per click, the PDF attached and audited', async () => {
    const cookie = await consoleSignIn(t, org.email);
    const page = `/ar/console/campaigns/${campaign.id}/targets/${target.id}`;
    const html = (await t.http().get(page).set('Cookie', cookie).expect(200)).text;
    // The console links the API's PDF, which takes the console's session.
    const download = /id="dossier-download"[^>]*|href="([^"]+dossier\.pdf)"/.exec(html);
    expect(download).not.toBeNull();
    const pdfLink = /href="([^"]+dossier\.pdf)"/.exec(html)![1];
    expect((await t.http().get(pdfLink).set('Cookie', cookie).buffer(true).parse(binary).expect(200)).headers['content-type']).toBe('application/pdf');

    const csrf = /name="csrf" value="([^"]+)"/.exec(html)![1];
    const requestKey = /name="requestKey" value="([^"]+)"/.exec(html)![1];
    const send = (fields: Record<string, string>) => t.http().post(`${page}/dossier/send`).set(SAME_ORIGIN).set('Cookie', cookie).type(FORM).send(new URLSearchParams(fields).toString());
    expect((await send({ csrf: 'wrong', requestKey })).status).toBe(403);
    expect((await send({ csrf, requestKey: 'not-a-key' })).status).toBe(404);
    // A double click: the same form twice, racing.
    const [a, b] = await Promise.all([send({ csrf, requestKey }), send({ csrf, requestKey })]);
    expect([a.status, b.status]).toEqual([303, 303]);

    const [mail] = await smtp.waitFor('minister@water.example.org', 1, 60000);
    expect(mail.parsed.subject).toContain('أنقذوا نهر دجلة من الجفاف');
    expect(mail.parsed.text).toContain('حضرة وزير الموارد المائية');
    const [file] = mail.parsed.attachments;
    expect(file.contentType).toBe('application/pdf');
    expect(readPdf(file.content).text).toContain('ليلى حسن');
    await waitUntil(async () => (await t.db.query(`SELECT 1 FROM dossier_sends WHERE target_id = $1 AND status = 'sent'`, [target.id])).length === 1, 10000, 100);
    // Nothing more comes: one email for the one click.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(smtp.to('minister@water.example.org')).toHaveLength(1);
    const audit = await t.db.query(`SELECT action FROM audit_events WHERE campaign_id = $1 AND action = 'dossiers.send'`, [campaign.id]);
    expect(audit).toHaveLength(1);
    const after = (await t.http().get(page).set('Cookie', cookie).expect(200)).text;
    expect(after).toMatch(/<ul id="dossier-sends"><li>[^<]+ — أُرسل<\/li>/);
    // Another organisation's organiser cannot send it.
    const foreign = await consoleSignIn(t, other.email);
    const refused = await t.http().post(`${page}/dossier/send`).set(SAME_ORIGIN).set('Cookie', foreign).type(FORM).send(new URLSearchParams({ csrf, requestKey: '00000000-0000-4000-8000-000000000001' }).toString());
    expect([403, 404]).toContain(refused.status);
  }, 120000);
  it('grows by pages with thousands of names, read page by page', async () => {
    const before = readPdf((await t.http().get(url()).set(as(org)).buffer(true).parse(binary).expect(200)).body as Buffer).pages;
    await t.db.query(
      `INSERT INTO signatures (campaign_id, email, email_hash, email_domain, name, city, country, locale, status, show_name, verified_at, data_key)
       SELECT $1, 'plain:bulk' || i || '@example.org', 'bulk-hash-' || i, 'example.org', 'plain:مؤيد رقم ' || i, 'plain:الموصل', 'IQ', 'ar', 'verified', true,
              now() + make_interval(secs => i), 'plain'
         FROM generate_series(1, 2000) AS i`,
      [campaign.id],
    );
    const after = readPdf((await t.http().get(url()).set(as(org)).buffer(true).parse(binary).expect(200)).body as Buffer);
    expect(after.pages).toBeGreaterThan(before + 10);
    // Past the first keyset page (1000 names): the last one is there, once.
    // Every name once across the keyset pages (1000 names each): none lost, none repeated.
    expect(after.text.split('مؤيد رقم').length - 1).toBe(2000);
    expect(after.text.indexOf('ليلى حسن')).toBeLessThan(after.text.indexOf('مؤيد رقم'));
  }, 120000);
});
