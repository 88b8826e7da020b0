import { appSecret } from '../../src/config/environment';
import { UnsubscribeTokens } from '../../src/modules/updates/unsubscribe-token';
import { createLiveCampaign, createOrganiserWithOrganisation } from '../support/factories';
import { signAndConfirm } from '../support/signing';
import { SmtpSink } from '../support/smtp-sink';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * RFC 8058 one-click from every kind of mail provider: `List-Unsubscribe=One-Click` arrives as
 * application/x-www-form-urlencoded (most) or multipart/form-data (some); both unsubscribe at
 * once, recorded as one-click, without cookie or CSRF token.
 */
describe('one-click unsubscribe, urlencoded and multipart (e2e)', () => {
  let t: TestApp;
  const smtp = new SmtpSink();
  let slug: string;
  let campaignId: string;
  let organisationId: string;
  let n = 0;

  beforeAll(async () => {
    t = await createTestApp({ SMTP_URL: await smtp.start(), MAIL_BACKOFF_MS: '50', MAIL_RELAY_INTERVAL_MS: '100' });
    const org = await createOrganiserWithOrganisation(t);
    organisationId = org.organisationId;
    const c = await createLiveCampaign(t, org.token);
    slug = c.slug;
    campaignId = c.id;
  }, 180_000);
  afterAll(async () => {
    await t.close();
    await smtp.stop();
  });

  /** A confirmed supporter who consented to updates, and the token of their unsubscribe link. */
  async function supporter(): Promise<{ token: string; emailHash: string }> {
    const email = `one-click-${++n}@example.net`;
    await signAndConfirm(t, smtp, slug, { name: 'Layla Hassan', email, country: 'IQ', contactConsent: true });
    const [row] = await t.db.query(`SELECT id, email_hash FROM signatures WHERE campaign_id = $1 ORDER BY created_at DESC LIMIT 1`, [campaignId]);
    return { token: new UnsubscribeTokens(appSecret(t.env)).forSignature(row.id), emailHash: row.email_hash };
  }

  const optOuts = (emailHash: string) =>
    t.db.query(`SELECT scope, scope_id AS "scopeId", reason FROM update_opt_outs WHERE email_hash = $1 ORDER BY scope`, [emailHash]) as Promise<
      { scope: string; scopeId: string; reason: string }[]
    >;

  it('unsubscribes from the campaign with an application/x-www-form-urlencoded one-click', async () => {
    const s = await supporter();
    const res = await t.http().post(`/u/${s.token}`).type('form').send('List-Unsubscribe=One-Click');
    expect(res.status).toBe(200);
    expect(await optOuts(s.emailHash)).toEqual([{ scope: 'campaign', scopeId: campaignId, reason: 'one-click' }]);
  });

  it('unsubscribes from the campaign with a multipart/form-data one-click', async () => {
    const s = await supporter();
    const res = await t.http().post(`/u/${s.token}`).field('List-Unsubscribe', 'One-Click');
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.status).toBe(200);
    expect(await optOuts(s.emailHash)).toEqual([{ scope: 'campaign', scopeId: campaignId, reason: 'one-click' }]);
    // Again: the same answer, nothing more.
    await t.http().post(`/u/${s.token}`).field('List-Unsubscribe', 'One-Click').expect(200);
    expect(await optOuts(s.emailHash)).toHaveLength(1);
  });

  it('reads the page’s scope from a multipart post too, and ignores a file or an oversized field', async () => {
    const s = await supporter();
    await t.http().post(`/en/u/${s.token}`).field('scope', 'organisation').expect(200);
    expect(await optOuts(s.emailHash)).toEqual([{ scope: 'organisation', scopeId: organisationId, reason: 'page' }]);

    const other = await supporter();
    const res = await t
      .http()
      .post(`/u/${other.token}`)
      .field('List-Unsubscribe', 'One-Click')
      .attach('file', Buffer.from('not wanted'), 'x.txt');
    expect(res.status).toBe(200);
    expect(await optOuts(other.emailHash)).toEqual([{ scope: 'campaign', scopeId: campaignId, reason: 'one-click' }]);

    const third = await supporter();
    const big = await t.http().post(`/u/${third.token}`).field('List-Unsubscribe', 'x'.repeat(5000));
    expect(big.status).toBe(200);
    expect(await optOuts(third.emailHash)).toEqual([{ scope: 'campaign', scopeId: campaignId, reason: 'page' }]);
  });

  it('answers a forged token with 404 whatever the body’s form', async () => {
    const forged = 'A'.repeat(43);
    await t.http().post(`/u/${forged}`).field('List-Unsubscribe', 'One-Click').expect(404);
    await t.http().post(`/u/${forged}`).type('form').send('List-Unsubscribe=One-Click').expect(404);
  });
});
