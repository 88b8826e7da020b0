import { createLiveCampaign, createOrganiserWithOrganisation } from '../support/factories';
import { confirmLink, SmtpSink } from '../support/smtp-sink';
import { createTestApp, TestApp } from '../support/test-app';
import { waitUntil } from '../support/wait';

describe('signing smoke', () => {
  let t: TestApp;
  const smtp = new SmtpSink();
  beforeAll(async () => {
    t = await createTestApp({ SMTP_URL: await smtp.start() });
  });
  afterAll(async () => {
    await t.close();
    await smtp.stop();
  });

  it('sign → mail → confirm page → POST confirm → count 1', async () => {
    const { token } = await createOrganiserWithOrganisation(t);
    const campaign = await createLiveCampaign(t, token);
    const res = await t
      .http()
      .post(`/api/v1/campaigns/${campaign.slug}/signatures`)
      .send({ name: 'Layla Hassan', email: 'layla@example.org', country: 'IQ' })
      .expect(202);
    expect(res.text).toBe('{"status":"pending"}');
    const [mail] = await smtp.waitFor('layla@example.org');
    const link = confirmLink(mail);
    const path = new URL(link).pathname;
    const page = await t.http().get(path).expect(200);
    expect(page.text).toContain('<form method="post"');
    const tokenValue = path.split('/').pop();
    const confirmed = await t.http().post('/api/v1/signatures/confirm').send({ token: tokenValue }).expect(200);
    expect(confirmed.body.status).toBe('verified');
    const count = await waitUntil(async () => {
      const c = await t.http().get(`/api/v1/campaigns/${campaign.slug}/count`);
      return c.body.verified === 1 ? c.body : null;
    });
    expect(count.verified).toBe(1);
  });
});
