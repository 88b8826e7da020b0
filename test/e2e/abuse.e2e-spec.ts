import { createLiveCampaign, createOrganiserWithOrganisation, OrganiserLogin } from '../support/factories';
import { confirmLink, SmtpSink } from '../support/smtp-sink';
import { createTestApp, TestApp } from '../support/test-app';
import { waitUntil } from '../support/wait';
import { PAGE_STRINGS } from '../../src/modules/pages/page-strings';
import { TallyService } from '../../src/modules/tally/tally.service';
import { emailHash } from '../support/supporter-data';

const FORM = 'application/x-www-form-urlencoded';
const SAME_ORIGIN = { 'sec-fetch-site': 'same-origin' };
/** What every accepted signer gets, whatever happened to the signature. */
const ACCEPTED = '{"status":"pending"}';

/**
 * Abuse defence at signing, with small limits, behind a trusted proxy (the test client): each
 * X-Forwarded-For stands for another supporter's address, and each test uses addresses of its own
 * (the limits live in Redis for the whole file).
 */
describe('abuse defence at signing (e2e)', () => {
  let t: TestApp;
  const smtp = new SmtpSink();
  let organiser: OrganiserLogin;
  let slug: string;
  let campaignId: string;
  let admin: string;

  beforeAll(async () => {
    t = await createTestApp({
      SMTP_URL: await smtp.start(),
      TRUST_PROXY: '127.0.0.1,::1',
      SIGN_LIMITS: 'on',
      SIGN_LIMIT_IP_BURST: '3',
      SIGN_LIMIT_IP_HOUR: '5',
      SIGN_LIMIT_DOMAIN_HOUR: '4',
      SIGN_LIMIT_EMAIL_HOUR: '3',
      SIGN_MIN_FORM_SECONDS: '1',
      MAIL_RELAY_INTERVAL_MS: '100',
    });
    organiser = await createOrganiserWithOrganisation(t);
    const campaign = await createLiveCampaign(t, organiser.token);
    slug = campaign.slug;
    campaignId = campaign.id;
    admin = await t.adminToken();
  });

  afterAll(async () => {
    await t?.close();
    await smtp.stop();
  });

  let n = 0;
  const sign = (email: string, from: string, at = slug) =>
    t.http().post(`/api/v1/campaigns/${at}/signatures`).set('X-Forwarded-For', from).send({ name: `Signer ${++n}`, email, country: 'IQ' });
  const expectAccepted = (res: { status: number; text: string; headers: Record<string, string> }) => {
    expect([res.status, res.text, res.headers['content-type'], res.headers['content-length']]).toEqual([
      202,
      ACCEPTED,
      'application/json; charset=utf-8',
      String(ACCEPTED.length),
    ]);
  };
  const rowOf = async (email: string) => {
    const rows: { status: string; held_reason: string | null; tokens: number; outbox: number }[] = await t.db.query(
      `SELECT s.status, s.held_reason,
              (SELECT count(*)::int FROM signature_tokens k WHERE k.signature_id = s.id) AS tokens,
              (SELECT count(*)::int FROM mail_outbox o WHERE o.signature_id = s.id) AS outbox
         FROM signatures s WHERE s.email_hash = $1 ORDER BY s.created_at`,
      [emailHash(email)],
    );
    return rows.map((r) => (r.status === 'held' ? `held:${r.held_reason}:${r.tokens}:${r.outbox}` : r.status));
  };
  /** A later signer's mail has arrived, and none for `emails` (the outbox is sent in order). */
  const expectNoMail = async (emails: string[]) => {
    const control = `control.${++n}@gmail.com`;
    expectAccepted(await sign(control, `192.0.2.${n % 250}`));
    await smtp.waitFor(control);
    await waitUntil(async () => Number((await t.db.query(`SELECT count(*)::int AS n FROM mail_outbox WHERE status <> 'sent'`))[0].n) === 0);
    expect(emails.flatMap((e) => smtp.to(e))).toEqual([]);
  };
  const blocks = () => t.http().post('/api/v1/admin/blocks').set('Authorization', `Bearer ${admin}`);

  describe('limits', () => {
    it('behind TRUST_PROXY limits the forwarded address: past SIGN_LIMIT_IP_BURST it is held, another address is not', async () => {
      const emails = [1, 2, 3, 4, 5].map((i) => `burst.${i}@gmail.com`);
      for (const email of emails) expectAccepted(await sign(email, '203.0.113.1'));
      expect((await Promise.all(emails.map(rowOf))).flat()).toEqual(['pending', 'pending', 'pending', 'held:ip_burst:0:0', 'held:ip_burst:0:0']);
      expectAccepted(await sign('other.address@gmail.com', '203.0.113.2'));
      expect(await rowOf('other.address@gmail.com')).toEqual(['pending']);
      await smtp.waitFor('burst.3@gmail.com');
      await expectNoMail(emails.slice(3));
    });

    it('holds a flood from one domain outside the large providers past SIGN_LIMIT_DOMAIN_HOUR; gmail.com is not limited per domain', async () => {
      const flood = [1, 2, 3, 4, 5, 6].map((i) => `person${i}@flood.example`);
      for (const [i, email] of flood.entries()) expectAccepted(await sign(email, `198.18.0.${i + 1}`));
      expect((await Promise.all(flood.map(rowOf))).flat()).toEqual([
        'pending', 'pending', 'pending', 'pending', 'held:domain_hour:0:0', 'held:domain_hour:0:0',
      ]);
      const gmail = Array.from({ length: 8 }, (_, i) => `many.${i}@gmail.com`);
      for (const [i, email] of gmail.entries()) expectAccepted(await sign(email, `198.18.1.${i + 1}`));
      expect((await Promise.all(gmail.map(rowOf))).flat()).toEqual(gmail.map(() => 'pending'));
      await expectNoMail(flood.slice(4));
    });

    it('holds one email past SIGN_LIMIT_EMAIL_HOUR across campaigns, whichever way it is written', async () => {
      const campaigns = [slug];
      for (let i = 0; i < 3; i++) campaigns.push((await createLiveCampaign(t, organiser.token)).slug);
      const spellings = ['same.person@gmail.com', 'Same.Person+a@gmail.com', 'sameperson@googlemail.com', 'same.person+b@gmail.com'];
      for (const [i, at] of campaigns.entries()) expectAccepted(await sign(spellings[i], `198.18.2.${i + 1}`, at));
      // All four spellings are one person: one blind index, one row per campaign.
      expect(new Set(spellings.map(emailHash)).size).toBe(1);
      expect(await rowOf(spellings[0])).toEqual(['pending', 'pending', 'pending', 'held:email_hour:0:0']);
    });

    it('a held signer signing again gets nothing: no token, no mail, still held', async () => {
      for (let i = 1; i <= 4; i++) expectAccepted(await sign(`again.${i}@gmail.com`, '203.0.113.3'));
      expect(await rowOf('again.4@gmail.com')).toEqual(['held:ip_burst:0:0']);
      expectAccepted(await sign('again.4@gmail.com', '203.0.113.4')); // from a fresh address
      expect(await rowOf('again.4@gmail.com')).toEqual(['held:ip_burst:0:0']);
      await expectNoMail(['again.4@gmail.com']);
    });

    it('held signatures reach no count, stats, recent supporters list or reconciliation', async () => {
      // Past the burst of 203.0.113.5: the fourth is held, with "show my name" ticked.
      for (let i = 1; i <= 3; i++) expectAccepted(await sign(`shown.${i}@gmail.com`, '203.0.113.5'));
      expectAccepted(
        await t.http().post(`/api/v1/campaigns/${slug}/signatures`).set('X-Forwarded-For', '203.0.113.5')
          .send({ name: 'Hidden Holder', email: 'hidden.holder@gmail.com', country: 'IQ', city: 'Basra', showName: true }),
      );
      expect(await rowOf('hidden.holder@gmail.com')).toEqual(['held:ip_burst:0:0']);
      const [{ held, pending }]: { held: number; pending: number }[] = await t.db.query(
        `SELECT count(*) FILTER (WHERE status = 'held')::int AS held, count(*) FILTER (WHERE status = 'pending')::int AS pending
           FROM signatures WHERE campaign_id = $1`,
        [campaignId],
      );
      expect(held).toBeGreaterThan(3);
      const stats = await t.http().get(`/api/v1/campaigns/${campaignId}/stats`).set('Authorization', `Bearer ${organiser.token}`).expect(200);
      expect([stats.body.verified, stats.body.pending]).toEqual([0, pending]);
      expect((await t.http().get(`/api/v1/campaigns/${slug}/count`).expect(200)).body.verified).toBe(0);
      expect((await t.http().get(`/en/c/${slug}`).expect(200)).text).not.toContain('Hidden');
      expect((await t.app.get(TallyService).reconcile()).filter((d) => d.campaignId === campaignId)).toEqual([]);
      expect((await t.http().get(`/api/v1/campaigns/${slug}/count`).expect(200)).body.verified).toBe(0);
    });
  });

  describe('the block and allow lists', () => {
    it('admins add, list and delete entries; each type is checked and normalised; a repeat is 409', async () => {
      const added = await blocks().send({ type: 'email', value: ' Lay.La+x@GoogleMail.com ', note: 'abuse report 12' }).expect(201);
      expect(added.body).toMatchObject({ type: 'email', value: 'layla@gmail.com', action: 'block', note: 'abuse report 12' });
      const again = await blocks().send({ type: 'email', value: 'layla@gmail.com', action: 'allow' }).expect(409);
      expect(again.body).toMatchObject({ statusCode: 409, code: 'BLOCK_EXISTS' });
      const range = await blocks().send({ type: 'cidr', value: '2001:DB8:1:2::99/64', action: 'allow' }).expect(201);
      expect(range.body.value).toBe('2001:db8:1:2::/64');

      for (const [type, value] of [['ip', '203.0.113'], ['ip', '10.0.0.0/8'], ['cidr', '0.0.0.0/0'], ['cidr', '10.0.0.1'], ['domain', 'localhost'], ['domain', 'x@gmail.com'], ['email', 'not-an-email']]) {
        const res = await blocks().send({ type, value }).expect(400);
        expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'value' }] });
      }
      const bad = await blocks().send({ type: 'asn', value: '1', action: 'ban' }).expect(400);
      expect(bad.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['action', 'type']);

      const list = await t.http().get('/api/v1/admin/blocks').set('Authorization', `Bearer ${admin}`).expect(200);
      expect(list.body.map((b: { value: string }) => b.value)).toEqual(['2001:db8:1:2::/64', 'layla@gmail.com']);
      await t.http().delete(`/api/v1/admin/blocks/${added.body.id}`).set('Authorization', `Bearer ${admin}`).expect(204);
      const gone = await t.http().delete(`/api/v1/admin/blocks/${added.body.id}`).set('Authorization', `Bearer ${admin}`).expect(404);
      expect(gone.body.code).toBe('BLOCK_NOT_FOUND');
      await t.http().delete('/api/v1/admin/blocks/not-a-uuid').set('Authorization', `Bearer ${admin}`).expect(404);
      await t.http().delete(`/api/v1/admin/blocks/${range.body.id}`).set('Authorization', `Bearer ${admin}`).expect(204);

      // Organisers may not touch the lists; nobody else may read them.
      await t.http().get('/api/v1/admin/blocks').set('Authorization', `Bearer ${organiser.token}`).expect(403);
      await t.http().post('/api/v1/admin/blocks').set('Authorization', `Bearer ${organiser.token}`).send({ type: 'ip', value: '203.0.113.9' }).expect(403);
      await t.http().get('/api/v1/admin/blocks').expect(401);
    });

    it('a blocked domain, email or range gets the same 202; nothing is stored or mailed; deleting the entry lets them sign', async () => {
      const entries = [
        (await blocks().send({ type: 'domain', value: 'blocked.example' }).expect(201)).body,
        (await blocks().send({ type: 'email', value: 'Blocked.Person@gmail.com' }).expect(201)).body,
        (await blocks().send({ type: 'cidr', value: '198.51.100.0/24' }).expect(201)).body,
      ];
      const blocked: [string, string][] = [
        ['someone@blocked.example', '198.18.3.1'],
        ['someone@mail.blocked.example', '198.18.3.2'],
        ['blockedperson+x@gmail.com', '198.18.3.3'],
        ['in.range@gmail.com', '198.51.100.77'],
      ];
      for (const [email, from] of blocked) expectAccepted(await sign(email, from));
      expect((await Promise.all(blocked.map(([e]) => rowOf(e)))).flat()).toEqual([]);
      await expectNoMail(blocked.map(([e]) => e));

      for (const e of entries) await t.http().delete(`/api/v1/admin/blocks/${e.id}`).set('Authorization', `Bearer ${admin}`).expect(204);
      expectAccepted(await sign('in.range@gmail.com', '198.51.100.77'));
      expect(await rowOf('in.range@gmail.com')).toEqual(['pending']);
    });

    it('a blocked signer at a closed or unknown campaign gets what anyone gets there', async () => {
      await blocks().send({ type: 'ip', value: '198.18.4.1' }).expect(201);
      const closed = await createLiveCampaign(t, organiser.token);
      await t.http().post(`/api/v1/campaigns/${closed.id}/close`).set('Authorization', `Bearer ${organiser.token}`).expect(200);
      expect((await sign('x@gmail.com', '198.18.4.1', closed.slug)).body.code).toBe('CAMPAIGN_CLOSED');
      expect((await sign('x@gmail.com', '198.18.4.2', closed.slug)).body.code).toBe('CAMPAIGN_CLOSED');
      expect((await sign('x@gmail.com', '198.18.4.1', 'no-such-campaign')).body.code).toBe('CAMPAIGN_NOT_FOUND');
    });

    it('an allowed address is not limited', async () => {
      await blocks().send({ type: 'ip', value: '203.0.113.50', action: 'allow', note: 'coalition office' }).expect(201);
      const emails = Array.from({ length: 8 }, (_, i) => `office.${i}@coalition.example`);
      for (const email of emails) expectAccepted(await sign(email, '203.0.113.50'));
      expect((await Promise.all(emails.map(rowOf))).flat()).toEqual(emails.map(() => 'pending'));
      await smtp.waitFor(emails[7]);
    });
  });

  describe('disposable addresses', () => {
    it('are refused with 400 EMAIL_DISPOSABLE on the API, and on the page form in its language; nothing stored', async () => {
      const api = await sign('throwaway@mailinator.com', '198.18.5.1').expect(400);
      expect(api.body).toEqual({
        statusCode: 400,
        code: 'EMAIL_DISPOSABLE',
        message: 'Addresses from disposable email services cannot sign. Please use an email address you keep.',
        details: [{ field: 'email', problems: ['email is at a disposable email service'] }],
      });
      for (const lang of ['ar', 'en'] as const) {
        const page = await t.http().post(`/${lang}/c/${slug}`).set(SAME_ORIGIN).set('X-Forwarded-For', '198.18.5.2').type(FORM)
          .send({ name: 'Throw Away', email: 'throwaway@mailinator.com', country: 'IQ' }).expect(400);
        expect(page.text).toContain(`<p class="field-error" id="f-email-error">${PAGE_STRINGS[lang].errorEmailDisposable}</p>`);
        expect(page.text).toMatch(/id="f-email"[^>]*value="throwaway@mailinator.com"/);
      }
      expect(await rowOf('throwaway@mailinator.com')).toEqual([]);
    });
  });

  describe("the page form's bots", () => {
    const post = (fields: Record<string, string>, from: string) =>
      t.http().post(`/en/c/${slug}`).set(SAME_ORIGIN).set('X-Forwarded-For', from).type(FORM).send({ country: 'IQ', ...fields });
    const formOf = async () => {
      const page = await t.http().get(`/en/c/${slug}`).expect(200);
      const renderedAt = /name="renderedAt" value="([^"]+)"/.exec(page.text)?.[1];
      if (!renderedAt) throw new Error('no renderedAt in the form');
      return { renderedAt, shownAt: Number(renderedAt.split('.')[0]) };
    };
    const expectCheckEmail = (res: { status: number; headers: Record<string, string> }) =>
      expect([res.status, res.headers.location]).toEqual([303, `/en/c/${slug}/check-email`]);

    it('carries a honeypot hidden from people, screen readers and the keyboard, and a signed render time', async () => {
      const page = await t.http().get(`/ar/c/${slug}`).expect(200);
      expect(page.text).toContain(
        `<div class="hp" aria-hidden="true"><label for="f-website">${PAGE_STRINGS.ar.honeypotLabel}</label><input id="f-website" name="website" type="text" tabindex="-1" autocomplete="off" value=""></div>`,
      );
      expect(page.text).toMatch(/<input type="hidden" name="renderedAt" value="\d{13}\.[A-Za-z0-9_-]{22}">/);
    });

    it('a person who fills the form normally signs and is mailed', async () => {
      const { renderedAt, shownAt } = await formOf();
      await waitUntil(async () => Date.now() - shownAt >= 1000); // a person takes longer than SIGN_MIN_FORM_SECONDS to fill it
      expectCheckEmail(await post({ name: 'Noor Person', email: 'noor.person@gmail.com', renderedAt, website: '' }, '198.18.6.1'));
      expect(await rowOf('noor.person@gmail.com')).toEqual(['pending']);
      const [mail] = await smtp.waitFor('noor.person@gmail.com');
      expect(confirmLink(mail)).toContain('/confirm/');
    });

    it('holds a filled honeypot, a post sooner than SIGN_MIN_FORM_SECONDS, and a missing or forged time; each sees "check your email"', async () => {
      const { renderedAt, shownAt } = await formOf();
      const [ms, mac] = renderedAt.split('.');
      expectCheckEmail(await post({ name: 'Too Fast', email: 'too.fast@gmail.com', renderedAt }, '198.18.7.1'));
      await waitUntil(async () => Date.now() - shownAt >= 1000);
      expectCheckEmail(await post({ name: 'Honey Pot', email: 'honey.pot@gmail.com', renderedAt, website: 'https://spam.example' }, '198.18.7.2'));
      expectCheckEmail(await post({ name: 'No Time', email: 'no.time@gmail.com' }, '198.18.7.3'));
      expectCheckEmail(await post({ name: 'Old Time', email: 'old.time@gmail.com', renderedAt: `${Number(ms) - 60_000}.${mac}` }, '198.18.7.4'));
      expect([
        await rowOf('too.fast@gmail.com'),
        await rowOf('honey.pot@gmail.com'),
        await rowOf('no.time@gmail.com'),
        await rowOf('old.time@gmail.com'),
      ]).toEqual([['held:too_fast:0:0'], ['held:honeypot:0:0'], ['held:too_fast:0:0'], ['held:too_fast:0:0']]);
      await expectNoMail(['too.fast@gmail.com', 'honey.pot@gmail.com', 'no.time@gmail.com', 'old.time@gmail.com']);
    });

    it('the API has no form checks', async () => {
      expectAccepted(await sign('api.signer@gmail.com', '198.18.8.1'));
      expect(await rowOf('api.signer@gmail.com')).toEqual(['pending']);
    });
  });
});
