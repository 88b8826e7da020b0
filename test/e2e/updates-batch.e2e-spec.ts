import { insertVerifiedSupporters, type BulkSupporter } from '../support/bulk-supporters';
import { createLiveCampaign, createOrganiserWithOrganisation, type OrganiserLogin } from '../support/factories';
import { FastSmtpSink, parse, rawHeader, type RawMail } from '../support/fast-smtp-sink';
import { emailHash } from '../support/supporter-data';
import { createTestApp, flushPrefix, TestApp } from '../support/test-app';
import { UpdateWorkers } from '../support/update-workers';
import { waitUntil } from '../support/wait';

const RATE = 300;

/** The one-click unsubscribe address of an update email. */
function unsubscribeUrl(mail: RawMail): string {
  const match = /^<(https?:\/\/[^>]+)>, <mailto:[^>]+>$/.exec(rawHeader(mail, 'List-Unsubscribe') ?? '');
  if (!match) throw new Error(`no List-Unsubscribe in ${rawHeader(mail, 'List-Unsubscribe')}`);
  return match[1];
}

const path = (url: string) => new URL(url).pathname;

const byAddressOf = (mails: RawMail[], address: string) => mails.find((m) => m.envelope.to[0] === address)!;

/**
 * The batch email at volume: 2,000 consenting supporters (100 of whom said stop), 500 who did not
 * consent, sent by a worker process through the queue's rate limiter to a real SMTP server: exactly
 * 1,900 emails, each in its supporter's language, each with RFC 8058 headers; one click unsubscribes
 * and the next update skips that address; a GET on the link changes nothing.
 */
describe('update emails at volume', () => {
  let t: TestApp;
  let workers: UpdateWorkers;
  const smtp = new FastSmtpSink();
  let org: OrganiserLogin;
  let auth: { Authorization: string };

  beforeAll(async () => {
    const settings = {
      SMTP_URL: await smtp.start(),
      MAIL_FROM: 'Nida <updates@nida.test>',
      BROADCAST_RATE_PER_SECOND: String(RATE),
      BROADCAST_CONCURRENCY: '40',
      MAIL_CONCURRENCY: '20',
      UPDATE_DISPATCH_INTERVAL_MS: '100',
      UPDATE_FANOUT_CHUNK: '500',
      DATABASE_POOL_SIZE: '20',
    };
    t = await createTestApp({ APP_ROLE: 'api', ...settings });
    workers = new UpdateWorkers(t, settings);
    await workers.start();
    org = await createOrganiserWithOrganisation(t);
    auth = { Authorization: `Bearer ${org.token}` };
    // An app and a worker process to start: over 30 s on a loaded machine.
  }, 90000);

  afterAll(async () => {
    await workers?.stopAll();
    if (t) {
      await flushPrefix(t.redis, t.env.REDIS_PREFIX);
      await t.close();
    }
    await smtp.stop();
  });

  const updates = () => smtp.received.filter((m) => rawHeader(m, 'X-Nida-Update'));
  const progress = async (campaignId: string, updateId: string) =>
    (await t.http().get(`/api/v1/campaigns/${campaignId}/updates/${updateId}`).set(auth).expect(200)).body as {
      recipients: number;
      sent: number;
      failed: number;
      pending: number;
      sendState: string;
      fannedOut: boolean;
    };
  const settled = (campaignId: string, updateId: string, timeoutMs = 40000) =>
    waitUntil(async () => {
      const p = await progress(campaignId, updateId);
      return p.fannedOut && p.pending === 0 && ['done', 'cancelled'].includes(p.sendState) ? p : null;
    }, timeoutMs, 100);

  it('emails exactly the 1,900 consenting, subscribed supporters, each in their language with both unsubscribe headers; one click unsubscribes', async () => {
    const campaign = await createLiveCampaign(t, org.token, {
      title: 'Protect the marshes',
      translations: { ar: { title: 'احموا الأهوار', summary: 'الأهوار تجف.', body: 'نطالب بالتحرك.' } },
    });
    const supporters: BulkSupporter[] = [];
    for (let i = 0; i < 2000; i++) supporters.push({ email: `c${i}@example.org`, locale: i % 3 === 0 ? 'ar' : 'en', consent: true });
    for (let i = 0; i < 500; i++) supporters.push({ email: `n${i}@example.org`, locale: 'en', consent: false });
    await insertVerifiedSupporters(t, campaign.id, supporters);
    // 100 of the consenting ones said stop before: 50 for this campaign, 50 for the whole organisation.
    for (let i = 0; i < 100; i++) {
      const [scope, scopeId] = i < 50 ? ['campaign', campaign.id] : ['organisation', org.organisationId];
      await t.db.query(`INSERT INTO update_opt_outs (email_hash, scope, scope_id, reason) VALUES ($1, $2, $3, 'page')`, [emailHash(`c${i}@example.org`), scope, scopeId]);
    }
    // A pending signer with consent is no recipient either.
    await t.http().post(`/api/v1/campaigns/${campaign.slug}/signatures`).send({ name: 'Pending Person', email: 'pending@example.org', country: 'IQ', contactConsent: true }).expect(202);
    smtp.clear();

    const started = Date.now();
    const posted = await t
      .http()
      .post(`/api/v1/campaigns/${campaign.id}/updates`)
      .set(auth)
      .send({ title: 'UNESCO replied', body: 'The Centre wrote back.\n\nRead it on the page.', translations: { ar: { title: 'ردّت اليونسكو', body: 'كتب المركز إلينا.' } }, notify: true })
      .expect(201);
    expect(posted.body).toMatchObject({ notify: true, sendState: 'sending' });
    const done = await settled(campaign.id, posted.body.id);
    const took = (Date.now() - started) / 1000;
    expect(done).toMatchObject({ recipients: 1900, sent: 1900, failed: 0, pending: 0, sendState: 'done' });

    const mails = updates();
    expect(mails).toHaveLength(1900);
    const sample = async (address: string) => rawHeader(byAddressOf(mails, address), 'Subject');
    const arabicSubject = await sample('c300@example.org');
    const englishSubject = await sample('c301@example.org');
    expect(arabicSubject).not.toBe(englishSubject);
    const byAddress = new Map(mails.map((m) => [m.envelope.to[0], m]));
    expect(byAddress.size).toBe(1900);
    for (let i = 0; i < 2000; i++) expect(byAddress.has(`c${i}@example.org`)).toBe(i >= 100);
    for (let i = 0; i < 500; i++) expect(byAddress.has(`n${i}@example.org`)).toBe(false);
    expect(byAddress.has('pending@example.org')).toBe(false);
    const domain = '@nida.test>';
    for (const [address, mail] of byAddress) {
      const i = Number(/^c(\d+)@/.exec(address)![1]);
      const arabic = i % 3 === 0;
      // The subject in the supporter's language (MIME-encoded words: decoded by the parser for a sample, compared raw for all).
      expect(rawHeader(mail, 'Subject')).toBe(arabic ? arabicSubject : englishSubject);
      expect(rawHeader(mail, 'List-Unsubscribe')).toMatch(/^<http:\/\/nida\.test\/u\/[A-Za-z0-9_-]{64}>, <mailto:unsubscribe\+[A-Za-z0-9_-]{64}@nida\.test\?subject=unsubscribe>$/);
      expect(rawHeader(mail, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
      expect(rawHeader(mail, 'Message-ID')).toBe(`<update-${rawHeader(mail, 'X-Nida-Update')}${domain}`);
      expect(mail.envelope.from).toBe(`bounce+u-${rawHeader(mail, 'X-Nida-Update')}@nida.test`);
    }
    const arabicMail = await parse(byAddress.get('c300@example.org')!);
    expect(arabicMail.subject).toBe('احموا الأهوار: ردّت اليونسكو');
    expect(arabicMail.text).toContain('كتب المركز إلينا.');
    expect(arabicMail.html).toContain('dir="rtl"');
    const englishMail = await parse(byAddress.get('c301@example.org')!);
    expect(englishMail.subject).toBe('Protect the marshes: UNESCO replied');
    expect(englishMail.text).toContain('Read it on the page.');
    // The queue's rate limiter held the pace.
    expect(took).toBeGreaterThan(1900 / RATE - 1);

    // GET on the link changes nothing (a mail scanner); the one-click POST unsubscribes at once.
    const link = unsubscribeUrl(byAddress.get('c500@example.org')!);
    const page = await t.http().get(path(link)).expect(200);
    expect(page.text).toContain('<form method="post"');
    expect(page.text).toContain('name="scope" value="organisation"');
    expect((await t.http().get(`/ar${path(link)}`).expect(200)).text).toContain('إلغاء الاشتراك');
    const optOuts = async () => (await t.db.query(`SELECT count(*)::int AS n FROM update_opt_outs`))[0].n as number;
    expect(await optOuts()).toBe(100);
    const oneClick = await t.http().post(path(link)).type('form').send('List-Unsubscribe=One-Click').expect(200);
    expect(oneClick.text).toContain('You are unsubscribed');
    expect(oneClick.headers['set-cookie']).toBeUndefined();
    expect(await optOuts()).toBe(101);
    await t.http().post(path(link)).type('form').send('List-Unsubscribe=One-Click').expect(200);
    expect(await optOuts()).toBe(101);
    // The page's form, for the whole organisation.
    await t.http().post(path(unsubscribeUrl(byAddress.get('c501@example.org')!))).type('form').send('scope=organisation').expect(200);
    const rows = await t.db.query(`SELECT scope, reason FROM update_opt_outs WHERE email_hash = ANY($1) ORDER BY scope`, [[emailHash('c500@example.org'), emailHash('c501@example.org')]]);
    expect(rows).toEqual([{ scope: 'campaign', reason: 'one-click' }, { scope: 'organisation', reason: 'page' }]);
    // A forged or broken token: 404, nothing stored.
    const token = path(link).split('/').pop()!;
    const forged = `${token.slice(0, 40)}${token.slice(40) === 'AAA' ? 'BBB' : 'AAA'}`;
    await t.http().post(`/u/${forged}`).type('form').send('List-Unsubscribe=One-Click').expect(404);
    await t.http().get('/u/short').expect(404);
    expect(await optOuts()).toBe(102);

    // The next update skips both.
    smtp.clear();
    const next = (await t.http().post(`/api/v1/campaigns/${campaign.id}/updates`).set(auth).send({ title: 'Second news', body: 'More.', notify: true }).expect(201)).body;
    expect(await settled(campaign.id, next.id)).toMatchObject({ recipients: 1898, sent: 1898 });
    const second = new Set(updates().map((m) => m.envelope.to[0]));
    expect(second.size).toBe(1898);
    expect(second.has('c500@example.org')).toBe(false);
    expect(second.has('c501@example.org')).toBe(false);
    // An update not translated into Arabic reaches Arabic readers in the campaign's language.
    expect((await parse(updates().find((m) => m.envelope.to[0] === 'c300@example.org')!)).subject).toBe('Protect the marshes: Second news');
  }, 60000);

});
