import { createLiveCampaign, createOrganiserWithOrganisation } from '../support/factories';
import { SmtpSink } from '../support/smtp-sink';
import { createTestApp, TestApp } from '../support/test-app';
import { waitUntil } from '../support/wait';
import { RedisCut } from '../support/redis-cut';
import { emailHash } from '../support/supporter-data';

/** Redis away: signing goes on without limits (a warning is logged), and the limits return with it. */
describe('signing while Redis is away (e2e)', () => {
  let t: TestApp;
  const smtp = new SmtpSink();
  const relay = new RedisCut();
  let slug: string;

  beforeAll(async () => {
    t = await createTestApp({ SMTP_URL: await smtp.start(), REDIS_URL: await relay.open(), SIGN_LIMITS: 'on', SIGN_LIMIT_IP_BURST: '2' });
    const organiser = await createOrganiserWithOrganisation(t);
    slug = (await createLiveCampaign(t, organiser.token)).slug;
  });

  afterAll(async () => {
    await t?.close();
    await smtp.stop();
    await relay.close();
  });

  const sign = (email: string) =>
    t.http().post(`/api/v1/campaigns/${slug}/signatures`).send({ name: 'Away Signer', email, country: 'IQ' });
  const statusOf = async (email: string) =>
    ((await t.db.query(`SELECT status FROM signatures WHERE email_hash = $1`, [emailHash(email)])) as { status: string }[]).map((r) => r.status);

  it('signs every one, unlimited, instead of refusing everyone; holds again once Redis is back', async () => {
    await relay.cut();
    const emails = [1, 2, 3, 4, 5].map((i) => `away.${i}@gmail.com`);
    for (const email of emails) expect((await sign(email)).status).toBe(202);
    expect((await Promise.all(emails.map(statusOf))).flat()).toEqual(emails.map(() => 'pending'));

    await relay.open(); // the same port: the app reconnects by itself
    let i = 0;
    await waitUntil(async () => {
      const email = `back.${++i}@gmail.com`;
      expect((await sign(email)).status).toBe(202);
      return (await statusOf(email))[0] === 'held';
    }, 15_000, 100);
    // The mail of those signed while Redis was away goes out once it is back (the relay catches up).
    await smtp.waitFor('away.5@gmail.com', 1, 15_000);
  }, 40_000);
});
