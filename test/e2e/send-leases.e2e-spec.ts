import { MailOutboxService } from '../../src/modules/mail/mail-outbox.service';
import { LetterSendService } from '../../src/modules/letter-deliveries/letter-send.service';
import { createLiveCampaign, createOrganiserWithOrganisation } from '../support/factories';
import { signAndConfirm } from '../support/signing';
import { SmtpSink } from '../support/smtp-sink';
import { createTestApp, TestApp } from '../support/test-app';
import { waitUntil } from '../support/wait';
import { emailHash } from '../support/supporter-data';

/**
 * One sender at a time: an outbox row or a letter sent by two callers at once (a relay's re-enqueue
 * of a running job, a stalled job retaken by another worker) reaches the SMTP server once.
 */
describe('send leases', () => {
  let t: TestApp;
  const smtp = new SmtpSink();
  let token: string;

  beforeAll(async () => {
    t = await createTestApp({
      SMTP_URL: await smtp.start(),
      MAIL_FROM: 'Nida <letters@nida.test>',
      LETTER_DISPATCH_INTERVAL_MS: '100',
      MAIL_RELAY_INTERVAL_MS: '100',
      TALLY_INTERVAL_MS: '100',
    });
    token = (await createOrganiserWithOrganisation(t)).token;
  });
  afterAll(async () => {
    await t.close();
    await smtp.stop();
  });

  it('sends one outbox email once when two callers send it at the same moment', async () => {
    const campaign = await createLiveCampaign(t, token);
    const email = 'twice@example.org';
    await t.http().post(`/api/v1/campaigns/${campaign.slug}/signatures`).send({ name: 'Layla', email, country: 'IQ' }).expect(202);
    await smtp.waitFor(email);
    const [row] = await t.db.query(
      `SELECT m.id FROM mail_outbox m JOIN signatures s ON s.id = m.signature_id WHERE s.email_hash = $1`,
      [emailHash(email)],
    );
    await waitUntil(async () => (await t.db.query(`SELECT status FROM mail_outbox WHERE id = $1`, [row.id]))[0].status === 'sent');
    // As if it had never been sent: pending again, with a seed, just enqueued (so the relay leaves it).
    await t.db.query(
      `UPDATE mail_outbox SET status = 'pending', sent_at = NULL, lease_until = NULL, enqueued_at = now(),
              token_seed = decode(md5(random()::text) || md5(random()::text), 'hex')
        WHERE id = $1`,
      [row.id],
    );
    smtp.clear();
    smtp.answerNext({ accept: true, delayMs: 400 }, { accept: true, delayMs: 400 });

    const outbox = t.app.get(MailOutboxService);
    const results = await Promise.all([outbox.send(row.id), outbox.send(row.id)]);

    expect(results.sort()).toEqual(['sent', 'skipped']);
    expect(smtp.to(email)).toHaveLength(1);
    const [after] = await t.db.query(`SELECT status, attempts, lease_until FROM mail_outbox WHERE id = $1`, [row.id]);
    expect(after.status).toBe('sent');
    expect(after.lease_until).toBeNull();
  });

  it('leaves a row held by a sender to that sender: the relay takes it only once its lease ran out', async () => {
    const campaign = await createLiveCampaign(t, token);
    const email = 'held@example.org';
    await t.http().post(`/api/v1/campaigns/${campaign.slug}/signatures`).send({ name: 'Noor', email, country: 'IQ' }).expect(202);
    await smtp.waitFor(email);
    const [row] = await t.db.query(`SELECT m.id FROM mail_outbox m JOIN signatures s ON s.id = m.signature_id WHERE s.email_hash = $1`, [emailHash(email)]);
    await waitUntil(async () => (await t.db.query(`SELECT status FROM mail_outbox WHERE id = $1`, [row.id]))[0].status === 'sent');
    smtp.clear();
    // Pending, enqueued long ago (its job may be lost), but held by a sender for another minute.
    await t.db.query(
      `UPDATE mail_outbox SET status = 'pending', sent_at = NULL, enqueued_at = now() - interval '1 hour',
              lease_until = now() + interval '1 minute', token_seed = decode(md5(random()::text) || md5(random()::text), 'hex')
        WHERE id = $1`,
      [row.id],
    );
    const outbox = t.app.get(MailOutboxService);
    expect(await outbox.send(row.id)).toBe('skipped');
    await outbox.relay();
    const [held] = await t.db.query(`SELECT status, enqueued_at < now() - interval '30 minutes' AS old FROM mail_outbox WHERE id = $1`, [row.id]);
    expect(held).toEqual({ status: 'pending', old: true }); // not re-enqueued
    expect(smtp.to(email)).toHaveLength(0);

    // The holder died: its lease runs out, and the relay hands the row to a new sender.
    await t.db.query(`UPDATE mail_outbox SET lease_until = now() - interval '1 second' WHERE id = $1`, [row.id]);
    await smtp.waitFor(email);
    await waitUntil(async () => (await t.db.query(`SELECT status FROM mail_outbox WHERE id = $1`, [row.id]))[0].status === 'sent');
    expect(smtp.to(email)).toHaveLength(1);
  });

  it('sends one letter once when two callers send it at the same moment', async () => {
    const auth = { Authorization: `Bearer ${token}` };
    const campaign = await createLiveCampaign(t, token, {
      letter: { mode: 'per_signature', subject: 'From {{supporter.name}}', body: 'Act, {{target.name}}.' },
    });
    const official = 'official@gov.example.org';
    await t.http().post(`/api/v1/campaigns/${campaign.id}/targets`).set(auth).send({ name: 'Official', email: official }).expect(201);
    await signAndConfirm(t, smtp, campaign.slug, { name: 'Sami', email: 'sami@example.org', country: 'IQ' });
    await smtp.waitFor(official);
    const [letter] = await t.db.query(`SELECT id FROM letters WHERE campaign_id = $1`, [campaign.id]);
    await waitUntil(async () => (await t.db.query(`SELECT status FROM letters WHERE id = $1`, [letter.id]))[0].status === 'sent');
    // Released again, just enqueued (so lost-job recovery leaves it).
    await t.db.query(
      `UPDATE letters SET status = 'sending', sent_at = NULL, lease_until = NULL, enqueued_at = now() WHERE id = $1`,
      [letter.id],
    );
    smtp.clear();
    smtp.answerNext({ accept: true, delayMs: 400 }, { accept: true, delayMs: 400 });

    const delivery = t.app.get(LetterSendService);
    const results = await Promise.all([delivery.send(letter.id), delivery.send(letter.id)]);

    expect(results.sort()).toEqual(['sent', 'skipped']);
    expect(smtp.to(official)).toHaveLength(1);
    const [after] = await t.db.query(`SELECT status, lease_until FROM letters WHERE id = $1`, [letter.id]);
    expect(after).toEqual({ status: 'sent', lease_until: null });
  });
});
