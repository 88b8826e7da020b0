import { createLiveCampaign, createOrganiserWithOrganisation } from '../support/factories';
import { SmtpSink } from '../support/smtp-sink';
import { createTestApp, TestApp } from '../support/test-app';

/** The settings that turn abuse checks off: SIGN_LIMITS=off (load tests from one address) and SIGN_DISPOSABLE_CHECK=off. */
describe('abuse checks turned off (e2e)', () => {
  let t: TestApp;
  const smtp = new SmtpSink();
  let slug: string;

  beforeAll(async () => {
    t = await createTestApp({ SMTP_URL: await smtp.start(), SIGN_LIMITS: 'off', SIGN_DISPOSABLE_CHECK: 'off', SIGN_LIMIT_IP_BURST: '2' });
    const organiser = await createOrganiserWithOrganisation(t);
    slug = (await createLiveCampaign(t, organiser.token)).slug;
  });

  afterAll(async () => {
    await t?.close();
    await smtp.stop();
  });

  const statuses = async () =>
    (await t.db.query(`SELECT status, count(*)::int AS n FROM signatures GROUP BY 1`)) as { status: string; n: number }[];

  it('SIGN_LIMITS=off: one address signs past every limit, each mailed', async () => {
    for (let i = 0; i < 12; i++) {
      await t.http().post(`/api/v1/campaigns/${slug}/signatures`).send({ name: `Load ${i}`, email: `load.${i}@load.example`, country: 'IQ' }).expect(202);
    }
    expect(await statuses()).toEqual([{ status: 'pending', n: 12 }]);
    await smtp.waitFor('load.11@load.example');
  });

  it('SIGN_DISPOSABLE_CHECK=off: a disposable address signs', async () => {
    await t.http().post(`/api/v1/campaigns/${slug}/signatures`).send({ name: 'Throw Away', email: 'throwaway@mailinator.com', country: 'IQ' }).expect(202);
    await smtp.waitFor('throwaway@mailinator.com');
  });
});
