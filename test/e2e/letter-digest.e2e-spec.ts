import { DigestsService } from '../../src/modules/letter-deliveries/digests.service';
import { DigestsRepository } from '../../src/modules/letter-deliveries/digests.repository';
import { createLiveCampaign, createOrganiserWithOrganisation } from '../support/factories';
import { signAndConfirm } from '../support/signing';
import { SmtpSink } from '../support/smtp-sink';
import { createTestApp, TestApp } from '../support/test-app';
import { waitUntil } from '../support/wait';
import { emailHash } from '../support/supporter-data';

/** A digest campaign writes once per interval to each target: counts, consenting names, a safe CSV. */
describe('digest letters', () => {
  let t: TestApp;
  const smtp = new SmtpSink();
  beforeAll(async () => {
    t = await createTestApp({ SMTP_URL: await smtp.start(), MAIL_FROM: 'Nida <letters@nida.test>', LETTER_DISPATCH_INTERVAL_MS: '100' });
  });
  afterAll(async () => {
    await t.close();
    await smtp.stop();
  });

  it('sends one letter per target with the new supporters, the total, and the consenting names in the body and the CSV', async () => {
    const org = await createOrganiserWithOrganisation(t);
    const auth = { Authorization: `Bearer ${org.token}` };
    const campaign = await createLiveCampaign(t, org.token, {
      letter: { mode: 'digest', subject: 'Supporters of {{campaign.title}}', body: 'Dear {{target.name}},\n\nPlease read on.' },
    });
    await t.http().put(`/api/v1/campaigns/${campaign.id}/letter/translations/ar`).set(auth)
      .send({ subject: 'مؤيدو الحملة', body: 'حضرة {{target.name}}،' }).expect(200);
    await t.http().post(`/api/v1/campaigns/${campaign.id}/targets`).set(auth).send({ name: 'Director', email: 'director@unesco.example.org', locale: 'en' }).expect(201);
    await t.http().post(`/api/v1/campaigns/${campaign.id}/targets`).set(auth).send({ name: 'الوزير', email: 'minister@gov.example.org', locale: 'ar' }).expect(201);

    await signAndConfirm(t, smtp, campaign.slug, { name: 'Layla Hassan', email: 'layla@example.org', country: 'IQ', city: 'Basra', showName: true });
    await signAndConfirm(t, smtp, campaign.slug, { name: 'Hidden Person', email: 'hidden@example.org', country: 'SY' });
    await signAndConfirm(t, smtp, campaign.slug, { name: 'Cell Trick', email: 'trick@example.org', country: 'JO', showName: true });
    // A name that would run as a formula, as if it had reached the database some other way.
    await t.db.query(`UPDATE signatures SET name = 'plain:=HYPERLINK("http://evil.example","x")' WHERE email_hash = $1`, [emailHash('trick@example.org')]);

    // The total comes from the public counter: let the tally fold the three confirmations first.
    await waitUntil(async () => (await t.http().get(`/api/v1/campaigns/${campaign.slug}/count`)).body.verified === 3);
    const digests = t.app.get(DigestsService);
    expect(await digests.cutDue()).toBe(0); // not due: published moments ago
    await t.db.query(`UPDATE campaigns SET published_at = now() - interval '25 hours' WHERE id = $1`, [campaign.id]);
    await t.db.query(`UPDATE signatures SET verified_at = now() - interval '1 hour' WHERE campaign_id = $1`, [campaign.id]);
    expect(await digests.cutDue()).toBe(2);
    expect(await digests.cutDue()).toBe(0); // the next one is a day away

    const [en] = await smtp.waitFor('director@unesco.example.org');
    const [ar] = await smtp.waitFor('minister@gov.example.org');
    expect(en.parsed.from?.value).toEqual([{ name: 'Nida', address: 'letters@nida.test' }]);
    expect(en.parsed.subject).toMatch(/^Supporters of /);
    expect(en.parsed.text).toContain('3 new supporters since');
    expect(en.parsed.text).toContain('3 in all');
    expect(en.parsed.text).toContain('those who agreed to be named: ');
    expect(en.parsed.text).toContain('Layla Hassan (Basra)');
    expect(en.parsed.text).not.toContain('Hidden Person');
    expect(ar.parsed.subject).toBe('مؤيدو الحملة');
    expect(ar.parsed.text).toContain('انضم ٣ مؤيدين جدد منذ');

    for (const mail of [en, ar]) {
      expect(mail.parsed.attachments).toHaveLength(1);
      const file = mail.parsed.attachments[0];
      expect(file.contentType).toBe('text/csv');
      const lines = file.content.toString('utf8').replace(/^\ufeff/, '').trim().split('\r\n');
      expect(lines[0]).toBe('name,city,country');
      // Only those who agreed to be shown, as in the body: never the others, never an email.
      expect(lines.slice(1).sort()).toEqual(['"\'=HYPERLINK(""http://evil.example"",""x"")",,JO', 'Layla Hassan,Basra,IQ'].sort());
      expect(file.content.toString('utf8')).not.toContain('Hidden Person');
      expect(file.content.toString('utf8')).not.toContain('@example.org');
    }
    const [digest] = await t.db.query('SELECT supporters FROM digests WHERE campaign_id = $1', [campaign.id]);
    expect(digest.supporters).toBe(3);
  });

  it("writes the digest's day in the target's zone (its sending window's, else the campaign's), in the letter's language and digits", async () => {
    const org = await createOrganiserWithOrganisation(t);
    const auth = { Authorization: `Bearer ${org.token}` };
    const campaign = await createLiveCampaign(t, org.token, {
      locale: 'ar',
      title: 'أنقذوا الأهوار',
      timeZone: 'America/New_York',
      letter: { mode: 'digest', subject: 'مؤيدو {{campaign.title}}', body: '{{target.name}} المحترم،' },
    });
    await t.http().put(`/api/v1/campaigns/${campaign.id}/letter/translations/en`).set(auth)
      .send({ subject: 'Supporters', body: 'Dear {{target.name}},' }).expect(200);
    // Office hours in Baghdad, every day and all day (a letter waits at most the minute 23:59).
    await t.http().post(`/api/v1/campaigns/${campaign.id}/targets`).set(auth).send({
      name: 'معالي الوزير', email: 'minister.office@gov.example.org', locale: 'ar',
      sendingWindow: { timeZone: 'Asia/Baghdad', start: '00:00', end: '23:59', days: [1, 2, 3, 4, 5, 6, 7] },
    }).expect(201);
    await t.http().post(`/api/v1/campaigns/${campaign.id}/targets`).set(auth).send({ name: 'Director', email: 'director.office@unesco.example.org', locale: 'en' }).expect(201);
    await signAndConfirm(t, smtp, campaign.slug, { name: 'Layla Hassan', email: 'layla.tz@example.org', country: 'IQ' });
    await waitUntil(async () => (await t.http().get(`/api/v1/campaigns/${encodeURIComponent(campaign.slug)}/count`)).body.verified === 1);

    // The period starts at 22:30 UTC two days ago: the next day in Baghdad (+3), the same day in New York (-5/-4).
    await t.db.query(
      `UPDATE campaigns SET published_at = date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' - interval '2 days' + interval '22 hours 30 minutes'
        WHERE id = $1`,
      [campaign.id],
    );
    const [{ since }] = await t.db.query('SELECT published_at AS since FROM campaigns WHERE id = $1', [campaign.id]);
    await t.db.query(`UPDATE signatures SET verified_at = now() - interval '1 hour' WHERE campaign_id = $1`, [campaign.id]);
    expect(await t.app.get(DigestsService).cutDue()).toBe(2);

    const dayAfter = new Date(since.getTime() + 86_400_000);
    const arDay = new Intl.DateTimeFormat('ar-u-nu-arab', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(dayAfter);
    const enDay = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(since);
    const [ar] = await smtp.waitFor('minister.office@gov.example.org', 1, 70_000);
    const [en] = await smtp.waitFor('director.office@unesco.example.org');
    expect(ar.parsed.text).toContain(`انضم مؤيد جديد واحد منذ ${arDay}، فصار عدد الموقّعين ١.`);
    expect(ar.parsed.text).toContain('معالي الوزير المحترم،');
    // Arabic digits in the text; the answer link's token (Latin letters and digits) is an address, not text.
    expect((ar.parsed.text ?? '').replace(/https?:\/\/\S+/g, '')).not.toMatch(/[0-9]/);
    expect(en.parsed.text).toContain(`1 new supporter since ${enDay}; 1 in all.`);
    expect(en.parsed.text).not.toMatch(/\d{4}-\d\d-\d\d/);
  }, 90_000);

  it('names each consenting supporter of the period once, to the microsecond, across pages', async () => {
    const org = await createOrganiserWithOrganisation(t);
    const campaign = await createLiveCampaign(t, org.token, {
      letter: { mode: 'digest', subject: 'Supporters', body: 'Dear {{target.name}},' },
    });
    // Six verifications within one millisecond; the period ends on the last of them.
    await t.db.query(
      `INSERT INTO signatures (campaign_id, email, email_hash, name, country, locale, status, verified_at, show_name)
       SELECT $1::uuid, 'plain:micro-' || g || '@example.org', 'micro-' || g, 'plain:Micro ' || g, 'IQ', 'en', 'verified',
              timestamptz '2026-11-28 10:00:00.123000+00' + make_interval(secs => g / 1000000.0), true
         FROM generate_series(1, 6) g`,
      [campaign.id],
    );
    const [digest] = await t.db.query(
      `INSERT INTO digests (campaign_id, period_start, period_end, supporters)
       VALUES ($1, '2026-11-28 09:00:00+00', '2026-11-28 10:00:00.123006+00', 6) RETURNING id`,
      [campaign.id],
    );
    const repo = t.app.get(DigestsRepository);
    const named: string[] = [];
    for await (const page of repo.supporters(digest.id, 2)) named.push(...page.map((s) => s.name));
    expect(named).toEqual(['Micro 1', 'Micro 2', 'Micro 3', 'Micro 4', 'Micro 5', 'Micro 6']);
  });
});
