import { createLiveCampaign, createOrganiserWithOrganisation } from '../support/factories';
import { signAndConfirm } from '../support/signing';
import { SmtpSink } from '../support/smtp-sink';
import { createTestApp, TestApp } from '../support/test-app';
import { waitUntil } from '../support/wait';
import { LetterDispatcher } from '../../src/modules/letters/jobs/letter-dispatcher';

/** No target receives more than its pace; letters over it wait, in order, and none is dropped. */
describe('letter pacing', () => {
  let t: TestApp;
  const smtp = new SmtpSink();
  beforeAll(async () => {
    t = await createTestApp({ SMTP_URL: await smtp.start(), LETTER_PACE_PER_HOUR: '3', LETTER_DISPATCH_INTERVAL_MS: '100' });
  });
  afterAll(async () => {
    await t.close();
    await smtp.stop();
  });

  it('sends at most LETTER_PACE_PER_HOUR letters an hour to each target, oldest first', async () => {
    const org = await createOrganiserWithOrganisation(t);
    const auth = { Authorization: `Bearer ${org.token}` };
    const campaign = await createLiveCampaign(t, org.token, {
      letter: { mode: 'per_signature', subject: 'From {{supporter.name}}', body: 'Act, {{target.name}}.' },
    });
    for (const [name, email] of [['One', 'one@gov.example.org'], ['Two', 'two@gov.example.org']]) {
      await t.http().post(`/api/v1/campaigns/${campaign.id}/targets`).set(auth).send({ name, email }).expect(201);
    }
    const supporters = ['s1', 's2', 's3', 's4', 's5'];
    for (const s of supporters) await signAndConfirm(t, smtp, campaign.slug, { name: `Supporter ${s}`, email: `${s}@example.org`, country: 'IQ' });

    await smtp.waitFor('one@gov.example.org', 3);
    await smtp.waitFor('two@gov.example.org', 3);
    // More dispatcher passes release nothing more within the hour.
    const dispatcher = t.app.get(LetterDispatcher).loop;
    for (let i = 0; i < 3; i++) await dispatcher.runOnce();
    await waitUntil(async () => {
      const rows = await t.db.query(`SELECT count(*)::int AS n FROM letters WHERE status IN ('sending')`);
      return rows[0].n === 0;
    });
    expect(smtp.to('one@gov.example.org')).toHaveLength(3);
    expect(smtp.to('two@gov.example.org')).toHaveLength(3);
    expect(smtp.to('one@gov.example.org').map((m) => m.parsed.subject).sort()).toEqual([
      'From Supporter s1',
      'From Supporter s2',
      'From Supporter s3',
    ]);
    const waiting = await t.db.query(
      `SELECT s.name FROM letters l JOIN signatures s ON s.id = l.signature_id WHERE l.status = 'queued' ORDER BY s.name`,
    );
    expect(waiting.map((r: { name: string }) => r.name)).toEqual(['Supporter s4', 'Supporter s4', 'Supporter s5', 'Supporter s5']);

    // An hour later (moved back in the database), the waiting letters go, still within the pace.
    await t.db.query(`UPDATE letters SET claimed_at = claimed_at - interval '61 minutes' WHERE claimed_at IS NOT NULL`);
    await smtp.waitFor('one@gov.example.org', 5);
    await smtp.waitFor('two@gov.example.org', 5);
    await waitUntil(async () => (await t.db.query(`SELECT count(*)::int AS n FROM letters WHERE status = 'sent'`))[0].n === 10);
    expect(smtp.to('one@gov.example.org')).toHaveLength(5);
  });
});
