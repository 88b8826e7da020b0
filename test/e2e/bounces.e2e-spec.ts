import { createTransport } from 'nodemailer';
import { createLiveCampaign, createOrganiserWithOrganisation } from '../support/factories';
import { dsn } from '../support/dsn';
import { freePort } from '../support/processes';
import { signAndConfirm } from '../support/signing';
import { SmtpSink } from '../support/smtp-sink';
import { createTestApp, TestApp } from '../support/test-app';
import { waitUntil } from '../support/wait';

/** Delivery reports sent back to a letter's own bounce address mark it, and suppress a failing target. */
describe('bounces', () => {
  let t: TestApp;
  let bouncePort: number;
  const smtp = new SmtpSink();
  beforeAll(async () => {
    bouncePort = await freePort();
    t = await createTestApp({
      SMTP_URL: await smtp.start(),
      MAIL_FROM: 'Nida <letters@nida.test>',
      LETTER_DISPATCH_INTERVAL_MS: '100',
      BOUNCE_SMTP_PORT: String(bouncePort),
      BOUNCE_SMTP_HOST: '127.0.0.1',
      BOUNCE_SUPPRESS_AFTER: '2',
    });
  });
  afterAll(async () => {
    await t.close();
    await smtp.stop();
  });

  /** What a receiving mail server does: send a report to the letter's envelope sender. */
  async function report(to: string, raw: string): Promise<void> {
    const transport = createTransport({ host: '127.0.0.1', port: bouncePort, ignoreTLS: true });
    try {
      await transport.sendMail({ envelope: { from: '', to }, raw });
    } finally {
      transport.close();
    }
  }

  it('marks a letter bounced on 5.x.x, ignores 4.x.x and auto-replies, refuses other addresses, and suppresses the target', async () => {
    const org = await createOrganiserWithOrganisation(t);
    const auth = { Authorization: `Bearer ${org.token}` };
    const campaign = await createLiveCampaign(t, org.token, {
      letter: { mode: 'per_signature', subject: 'From {{supporter.name}}', body: 'Dear {{target.name}}' },
    });
    const target = (await t.http().post(`/api/v1/campaigns/${campaign.id}/targets`).set(auth).send({ name: 'Gone', email: 'gone@old.example.org' }).expect(201)).body;
    for (const n of [1, 2, 3]) await signAndConfirm(t, smtp, campaign.slug, { name: `Supporter ${n}`, email: `b${n}@example.org`, country: 'IQ' });
    const letters = await smtp.waitFor('gone@old.example.org', 3);
    await waitUntil(async () => (await t.db.query(`SELECT count(*)::int AS n FROM letters WHERE status = 'sent'`))[0].n === 3);
    const [first, second, third] = letters.map((m) => m.envelope.from);
    const statusOf = async (bounceAddress: string) => {
      const id = bounceAddress.slice('bounce+'.length, bounceAddress.indexOf('@'));
      return (await t.db.query('SELECT status FROM letters WHERE id = $1', [id]))[0].status as string;
    };

    await report(first, dsn('5.1.1', 'failed', first));
    await waitUntil(async () => (await statusOf(first)) === 'bounced');

    await report(second, dsn('4.2.2', 'delayed', second));
    await report(second, 'From: gone@old.example.org\r\nAuto-Submitted: auto-replied\r\nSubject: Out of office\r\n\r\nAway.\r\n');
    expect(await statusOf(second)).toBe('sent');

    await expect(report('someone@nida.test', dsn('5.1.1', 'failed'))).rejects.toMatchObject({ responseCode: 550 });

    const listed = await t.http().get(`/api/v1/campaigns/${campaign.id}/letters`).query({ status: 'bounced' }).set(auth).expect(200);
    expect(listed.body.items).toEqual([expect.objectContaining({ status: 'bounced', lastError: 'bounced: 5.1.1' })]);
    let targets = await t.http().get(`/api/v1/campaigns/${campaign.id}/targets`).set(auth).expect(200);
    expect(targets.body[0].suppressedAt).toBeNull();

    // The second hard bounce reaches BOUNCE_SUPPRESS_AFTER: the organiser sees the target suppressed.
    await report(third, dsn('5.2.1', 'failed', third));
    await waitUntil(async () => (await t.http().get(`/api/v1/campaigns/${campaign.id}/targets`).set(auth)).body[0].suppressedAt !== null);
    targets = await t.http().get(`/api/v1/campaigns/${campaign.id}/targets`).set(auth).expect(200);
    expect(targets.body[0]).toMatchObject({ id: target.id, suppressedAt: expect.any(String) });

    // No further letter is written to a suppressed address.
    await signAndConfirm(t, smtp, campaign.slug, { name: 'Supporter 4', email: 'b4@example.org', country: 'IQ' });
    const [{ n }] = await t.db.query('SELECT count(*)::int AS n FROM letters WHERE target_id = $1', [target.id]);
    expect(n).toBe(3);
  });
});
