import { createLiveCampaign, createOrganiserWithOrganisation, OrganiserLogin } from '../support/factories';
import { signAndConfirm } from '../support/signing';
import { confirmLink, SmtpSink } from '../support/smtp-sink';
import { createTestApp, TestApp } from '../support/test-app';
import { waitUntil } from '../support/wait';
import { emailHash } from '../support/supporter-data';

/** per_signature letters: each confirmed signature writes to each target, in its language, tracked. */
describe('letters to officials', () => {
  let t: TestApp;
  let org: OrganiserLogin;
  const smtp = new SmtpSink();
  beforeAll(async () => {
    t = await createTestApp({
      SMTP_URL: await smtp.start(),
      MAIL_FROM: 'Nida <letters@nida.test>',
      MAIL_BACKOFF_MS: '50',
      LETTER_DISPATCH_INTERVAL_MS: '100',
    });
    org = await createOrganiserWithOrganisation(t);
  });
  afterAll(async () => {
    await t.close();
    await smtp.stop();
  });

  it('sends exactly one letter per supporter and target, From "<name> via Nida", Reply-To only with consent, in the target\'s language', async () => {
    const auth = { Authorization: `Bearer ${org.token}` };
    const campaign = await createLiveCampaign(t, org.token, {
      title: 'Protect the Mesopotamian marshes',
      letter: { mode: 'per_signature', subject: 'From {{supporter.name}}', body: 'Dear {{target.name}},\n\n{{supporter.name}} of {{supporter.city}} asks you to act. We are {{count}}.' },
    });
    await t.http().put(`/api/v1/campaigns/${campaign.id}/letter/translations/ar`).set(auth)
      .send({ subject: 'رسالة من {{supporter.name}}', body: 'حضرة {{target.name}}،\n\nنطالبكم بالتحرك.' }).expect(200);
    const unesco = await t.http().post(`/api/v1/campaigns/${campaign.id}/targets`).set(auth)
      .send({ name: 'World Heritage Centre', email: 'whc@unesco.example.org', locale: 'en' }).expect(201);
    const ministry = await t.http().post(`/api/v1/campaigns/${campaign.id}/targets`).set(auth)
      .send({ name: 'وزير الموارد المائية', email: 'minister@water.example.org', locale: 'ar' }).expect(201);

    await signAndConfirm(t, smtp, campaign.slug, { name: 'Layla Hassan', email: 'layla@example.org', country: 'IQ', city: 'Basra', replyConsent: true });
    await signAndConfirm(t, smtp, campaign.slug, { name: 'Omar Ali', email: 'omar@example.org', country: 'JO' });
    // Signing refuses line breaks in a name; a hostile one that reached the database some other way
    // (an import, an old row) must still not add a header or a recipient when the letter is sent.
    const hostile = 'Eve\r\nBcc: evil@example.org';
    await t.http().post(`/api/v1/campaigns/${campaign.slug}/signatures`).send({ name: 'Eve', email: 'eve@example.org', country: 'LB' }).expect(202);
    const [eveMail] = await smtp.waitFor('eve@example.org');
    await t.db.query(`UPDATE signatures SET name = 'plain:' || $1 WHERE email_hash = $2`, [hostile, emailHash('eve@example.org')]);
    const eveToken = new URL(confirmLink(eveMail)).pathname.split('/').pop();
    await t.http().post('/api/v1/signatures/confirm').send({ token: eveToken }).expect(200);

    const toUnesco = await smtp.waitFor('whc@unesco.example.org', 3);
    const toMinistry = await smtp.waitFor('minister@water.example.org', 3);
    await waitUntil(async () => {
      const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM letters WHERE campaign_id = $1 AND status = 'sent'`, [campaign.id]);
      return n === 6;
    });
    const letters = smtp.received.filter((m) => m.parsed.headers.get('x-nida-letter'));
    expect(letters).toHaveLength(6);

    const layla = toUnesco.find((m) => m.parsed.subject === 'From Layla Hassan');
    expect(layla).toBeDefined();
    expect(layla!.parsed.from?.value).toEqual([{ name: 'Layla Hassan via Nida', address: 'letters@nida.test' }]);
    expect(layla!.parsed.replyTo?.value).toEqual([{ name: '', address: 'layla@example.org' }]);
    expect(layla!.parsed.text).toContain('Dear World Heritage Centre,');
    expect(layla!.parsed.text).toContain('Layla Hassan of Basra asks you to act.');
    const omar = toUnesco.find((m) => m.parsed.subject === 'From Omar Ali');
    expect(omar!.parsed.replyTo).toBeUndefined();

    expect(toMinistry.map((m) => m.parsed.subject).sort()).toEqual(
      ['رسالة من Eve Bcc: evil@example.org', 'رسالة من Layla Hassan', 'رسالة من Omar Ali'].sort(),
    );
    const eve = toUnesco.find((m) => m.parsed.subject?.startsWith('From Eve'));
    expect(eve!.parsed.subject).toBe('From Eve Bcc: evil@example.org');
    expect(eve!.parsed.from?.value).toEqual([{ name: 'Eve Bcc: evil@example.org via Nida', address: 'letters@nida.test' }]);
    expect(eve!.parsed.to).toMatchObject({ value: [{ address: 'whc@unesco.example.org' }] });
    expect(eve!.raw.split('\r\n\r\n')[0]).not.toMatch(/^bcc:/im
    );
    expect(toMinistry[0].parsed.html).toContain('dir="rtl"');

    // Each letter: its own Message-ID and bounce address, one recipient, and never a copy to anyone else.
    const ids = new Set<string>();
    for (const m of letters) {
      const letterId = String(m.parsed.headers.get('x-nida-letter'));
      expect(m.parsed.messageId).toBe(`<letter-${letterId}@nida.test>`);
      expect(m.envelope.from).toBe(`bounce+${letterId}@nida.test`);
      expect(m.envelope.to).toHaveLength(1);
      expect(m.parsed.headers.has('bcc')).toBe(false);
      ids.add(letterId);
    }
    expect(ids.size).toBe(6);
    expect(smtp.received.some((m) => m.envelope.to.includes('evil@example.org'))).toBe(false);

    const list = await t.http().get(`/api/v1/campaigns/${campaign.id}/letters`).set(auth).expect(200);
    expect(list.body.total).toBe(6);
    expect(list.body.items.every((l: { status: string; messageId: string }) => l.status === 'sent' && l.messageId.startsWith('<letter-'))).toBe(true);
    const onlyUnesco = await t.http().get(`/api/v1/campaigns/${campaign.id}/letters`).query({ targetId: unesco.body.id, status: 'sent' }).set(auth).expect(200);
    expect(onlyUnesco.body.total).toBe(3);
    await t.http().get(`/api/v1/campaigns/${campaign.id}/letters`).query({ status: 'lost' }).set(auth).expect(400);

    const stats = await t.http().get(`/api/v1/campaigns/${campaign.id}/stats`).set(auth).expect(200);
    expect(stats.body.letters).toEqual([
      { targetId: unesco.body.id, name: 'World Heritage Centre', totals: { queued: 0, sending: 0, sent: 3, failed: 0, bounced: 0, cancelled: 0 } },
      { targetId: ministry.body.id, name: 'وزير الموارد المائية', totals: { queued: 0, sending: 0, sent: 3, failed: 0, bounced: 0, cancelled: 0 } },
    ]);

    // Confirming again writes no second letter.
    const [{ n }] = await t.db.query('SELECT count(*)::int AS n FROM letters WHERE campaign_id = $1', [campaign.id]);
    expect(n).toBe(6);
  });

  it('writes nothing for a campaign whose letter mode is none', async () => {
    const auth = { Authorization: `Bearer ${org.token}` };
    const campaign = await createLiveCampaign(t, org.token, { letter: { mode: 'none' } });
    await t.http().post(`/api/v1/campaigns/${campaign.id}/targets`).set(auth).send({ name: 'Nobody', email: 'quiet@example.org' }).expect(201);
    await signAndConfirm(t, smtp, campaign.slug, { name: 'Sara', email: 'sara@example.org', country: 'IQ' });
    const [{ n }] = await t.db.query('SELECT count(*)::int AS n FROM letters WHERE campaign_id = $1', [campaign.id]);
    expect(n).toBe(0);
  });
});
