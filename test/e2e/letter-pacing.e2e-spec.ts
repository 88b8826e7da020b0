import { createLiveCampaign, createOrganiserWithOrganisation } from '../support/factories';
import { signAndConfirm } from '../support/signing';
import { SmtpSink } from '../support/smtp-sink';
import { createTestApp, TestApp } from '../support/test-app';
import { waitUntil } from '../support/wait';
import { LetterDispatchLoop } from '../../src/modules/letter-deliveries/jobs/letter-dispatch.loop';
import { opened } from '../support/supporter-data';

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
    const dispatcher = t.app.get(LetterDispatchLoop).loop;
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
    const waiting = await t.db.query(`SELECT s.name FROM letters l JOIN signatures s ON s.id = l.signature_id WHERE l.status = 'queued'`);
    expect(waiting.map((r: { name: string }) => opened(r).name).sort()).toEqual(['Supporter s4', 'Supporter s4', 'Supporter s5', 'Supporter s5']);

    // An hour later (moved back in the database), the waiting letters go, still within the pace.
    await t.db.query(`UPDATE letters SET claimed_at = claimed_at - interval '61 minutes' WHERE claimed_at IS NOT NULL`);
    await smtp.waitFor('one@gov.example.org', 5);
    await smtp.waitFor('two@gov.example.org', 5);
    await waitUntil(async () => (await t.db.query(`SELECT count(*)::int AS n FROM letters WHERE status = 'sent'`))[0].n === 10);
    expect(smtp.to('one@gov.example.org')).toHaveLength(5);
  });

  it('holds letters outside a target\'s sending window and sends them inside it', async () => {
    const org = await createOrganiserWithOrganisation(t);
    const auth = { Authorization: `Bearer ${org.token}` };
    const campaign = await createLiveCampaign(t, org.token, {
      letter: { mode: 'per_signature', subject: 'From {{supporter.name}}', body: 'Act, {{target.name}}.' },
    });
    // Today's ISO weekday in Baghdad; a window on every other day is closed now.
    const today = ((new Date(new Date().toLocaleString('en-US', { timeZone: 'Asia/Baghdad' })).getDay() + 6) % 7) + 1;
    const otherDays = [1, 2, 3, 4, 5, 6, 7].filter((d) => d !== today);
    const target = await t.http().post(`/api/v1/campaigns/${campaign.id}/targets`).set(auth)
      .send({ name: 'Office', email: 'office@gov.example.org', sendingWindow: { timeZone: 'Asia/Baghdad', start: '08:00', end: '16:00', days: otherDays } })
      .expect(201);
    expect(target.body.sendingWindow).toEqual({ timeZone: 'Asia/Baghdad', start: '08:00', end: '16:00', days: otherDays });

    await signAndConfirm(t, smtp, campaign.slug, { name: 'Window Supporter', email: 'window@example.org', country: 'IQ' });
    const dispatcher = t.app.get(LetterDispatchLoop).loop;
    for (let i = 0; i < 3; i++) await dispatcher.runOnce();
    const status = async () => (await t.db.query('SELECT status FROM letters WHERE target_id = $1', [target.body.id]))[0].status;
    expect(await status()).toBe('queued');
    expect(smtp.to('office@gov.example.org')).toHaveLength(0);

    await t.http().patch(`/api/v1/campaigns/${campaign.id}/targets/${target.body.id}`).set(auth)
      .send({ sendingWindow: { timeZone: 'Asia/Baghdad', start: '00:00', end: '23:59', days: [1, 2, 3, 4, 5, 6, 7] } })
      .expect(200);
    await smtp.waitFor('office@gov.example.org', 1);

    for (const bad of [
      { timeZone: 'Mars/Olympus', start: '08:00', end: '16:00', days: [1] },
      { timeZone: 'Asia/Baghdad', start: '16:00', end: '08:00', days: [1] },
      { timeZone: 'Asia/Baghdad', start: '8am', end: '16:00', days: [1] },
      { timeZone: 'Asia/Baghdad', start: '08:00', end: '16:00', days: [0, 8] },
      { timeZone: 'Asia/Baghdad', start: '08:00', end: '16:00', days: [] },
    ]) {
      const res = await t.http().patch(`/api/v1/campaigns/${campaign.id}/targets/${target.body.id}`).set(auth).send({ sendingWindow: bad });
      expect([JSON.stringify(bad), res.status]).toEqual([JSON.stringify(bad), 400]);
    }
    const cleared = await t.http().patch(`/api/v1/campaigns/${campaign.id}/targets/${target.body.id}`).set(auth).send({ sendingWindow: null }).expect(200);
    expect(cleared.body.sendingWindow).toBeNull();
  });

  it('under a flood (10,000 signatures, 3 targets) releases no more than the pace to any target, oldest first', async () => {
    const org = await createOrganiserWithOrganisation(t);
    const auth = { Authorization: `Bearer ${org.token}` };
    const campaign = await createLiveCampaign(t, org.token, {
      letter: { mode: 'per_signature', subject: 'From {{supporter.name}}', body: 'Act.' },
    });
    const targets: string[] = [];
    for (const n of [1, 2, 3]) {
      targets.push((await t.http().post(`/api/v1/campaigns/${campaign.id}/targets`).set(auth).send({ name: `T${n}`, email: `flood${n}@gov.example.org` }).expect(201)).body.id);
    }
    // 10,000 verified signatures and their 30,000 letters, as the confirmations would have written them.
    await t.db.query(
      `WITH s AS (
         INSERT INTO signatures (campaign_id, email, email_hash, name, country, locale, status, verified_at, emails_queued)
         SELECT $1, 'plain:f' || g || '@example.org', 'f' || g || '@example.org', 'plain:Flood ' || g, 'IQ', 'en', 'verified', now(), 1
           FROM generate_series(1, 10000) g
         RETURNING id, name)
       INSERT INTO letters (campaign_id, target_id, signature_id, created_at)
       SELECT $1, t, s.id, now() + (substring(s.name from 13)::int * interval '1 millisecond')
         FROM s CROSS JOIN unnest($2::uuid[]) AS t`,
      [campaign.id, targets],
    );
    const dispatcher = t.app.get(LetterDispatchLoop).loop;
    for (let i = 0; i < 5; i++) await dispatcher.runOnce();
    const released = await t.db.query(
      `SELECT l.target_id, count(*)::int AS n, max(substring(s.name from 13)::int) AS newest
         FROM letters l JOIN signatures s ON s.id = l.signature_id
        WHERE l.campaign_id = $1 AND l.status <> 'queued' GROUP BY l.target_id ORDER BY l.target_id`,
      [campaign.id],
    );
    // Pace 3 an hour: three letters per target, the three oldest; 29,991 still waiting.
    expect(released.map((r: { n: number; newest: number }) => [r.n, r.newest])).toEqual([
      [3, 3],
      [3, 3],
      [3, 3],
    ]);
    const [{ waiting }] = await t.db.query(`SELECT count(*)::int AS waiting FROM letters WHERE campaign_id = $1 AND status = 'queued'`, [campaign.id]);
    expect(waiting).toBe(29_991);
  });
});

