import { createLiveCampaign, createOrganiserWithOrganisation, OrganiserLogin } from '../support/factories';
import { createTestApp, TestApp } from '../support/test-app';

/** Targets edited and shown publicly; the letter's translations and preview. */
describe('targets and the letter', () => {
  let t: TestApp;
  let a: OrganiserLogin;
  let b: OrganiserLogin;
  beforeAll(async () => {
    t = await createTestApp();
    a = await createOrganiserWithOrganisation(t);
    b = await createOrganiserWithOrganisation(t);
  });
  afterAll(() => t.close());

  const as = (login: OrganiserLogin) => ({ Authorization: `Bearer ${login.token}` });
  const arabicCampaign = () =>
    createLiveCampaign(t, a.token, {
      locale: 'ar',
      title: 'أنقذوا الأهوار من الجفاف',
      translations: { en: { title: 'Save the marshes from drought', summary: 's', body: 'b' } },
      letter: { mode: 'per_signature', subject: 'رسالة من {{supporter.name}}', body: 'حضرة {{target.name}}،\n\nنحن {{count}} موقّعاً.' },
    });
  const addTarget = (campaignId: string, body: Record<string, unknown>) =>
    t.http().post(`/api/v1/campaigns/${campaignId}/targets`).set(as(a)).send(body).expect(201);

  describe('targets', () => {
    it('are edited and deleted by their campaign\'s organisers only', async () => {
      const campaign = await arabicCampaign();
      const target = (await addTarget(campaign.id, { name: 'World Heritage Centre', email: 'whc@example.org', locale: 'en' })).body;
      const path = `/api/v1/campaigns/${campaign.id}/targets/${target.id}`;

      const changed = await t.http().patch(path).set(as(a)).send({ title: 'Director', emailPublic: true }).expect(200);
      expect(changed.body).toMatchObject({ name: 'World Heritage Centre', title: 'Director', emailPublic: true, suppressedAt: null });
      const cleared = await t.http().patch(path).set(as(a)).send({ title: null }).expect(200);
      expect(cleared.body.title).toBeNull();

      const nullName = await t.http().patch(path).set(as(a)).send({ name: null }).expect(400);
      expect(nullName.body.details).toEqual([expect.objectContaining({ field: 'name' })]);
      const sneaky = await t.http().patch(path).set(as(a)).send({ suppressedAt: null, campaignId: campaign.id }).expect(400);
      expect(sneaky.body.code).toBe('VALIDATION_FAILED');

      expect((await t.http().patch(path).set(as(b)).send({ title: 'Hijacked' }).expect(403)).body.code).toBe('CAMPAIGN_FORBIDDEN');
      await t.http().delete(path).set(as(b)).expect(403);
      await t.http().patch(`/api/v1/campaigns/${campaign.id}/targets/00000000-0000-4000-8000-000000000000`).set(as(a)).send({ title: 'x' }).expect(404);

      await t.http().delete(path).set(as(a)).expect(204);
      expect((await t.http().delete(path).set(as(a)).expect(404)).body.code).toBe('TARGET_NOT_FOUND');
      expect((await t.http().get(`/api/v1/campaigns/${campaign.id}/targets`).set(as(a)).expect(200)).body).toEqual([]);
    });

    it('show publicly by name and title, with an address only where made public', async () => {
      const campaign = await arabicCampaign();
      await addTarget(campaign.id, { name: 'Minister of Water Resources', title: 'Minister', email: 'private.minister@example.org' });
      await addTarget(campaign.id, { name: 'UNESCO', organisation: 'World Heritage Centre', email: 'public.desk@example.org', emailPublic: true });
      const res = await t.http().get(`/api/v1/campaigns/${encodeURIComponent(campaign.slug)}`).expect(200);
      expect(res.body.targets).toEqual([
        { name: 'Minister of Water Resources', title: 'Minister', organisation: null, replyStatus: 'no_reply' },
        { name: 'UNESCO', title: null, organisation: 'World Heritage Centre', email: 'public.desk@example.org', replyStatus: 'no_reply' },
      ]);
      expect(JSON.stringify(res.body)).not.toContain('private.minister');
    });

    it('show "replied" once the organiser records a reply, with its public text only', async () => {
      const campaign = await arabicCampaign();
      const minister = (await addTarget(campaign.id, { name: 'Minister', email: 'm@example.org' })).body;
      const other = (await addTarget(campaign.id, { name: 'Governor', email: 'g@example.org' })).body;
      const replies = `/api/v1/campaigns/${campaign.id}/targets/${minister.id}/replies`;

      const created = await t
        .http()
        .post(replies)
        .set(as(a))
        .send({ receivedOn: '2026-11-20', summary: 'Promised an inquiry; nothing concrete.', publicText: 'The minister promised an inquiry.' })
        .expect(201);
      expect(created.body).toMatchObject({ receivedOn: '2026-11-20', publicText: 'The minister promised an inquiry.' });
      await t.http().post(replies).set(as(a)).send({ receivedOn: '2026-11-10', summary: 'An earlier, private note.' }).expect(201);

      const page = await t.http().get(`/api/v1/campaigns/${encodeURIComponent(campaign.slug)}`).expect(200);
      expect(page.body.targets).toEqual([
        expect.objectContaining({ name: 'Minister', replyStatus: 'replied', reply: { receivedOn: '2026-11-20', text: 'The minister promised an inquiry.' } }),
        expect.objectContaining({ name: 'Governor', replyStatus: 'no_reply' }),
      ]);
      expect(JSON.stringify(page.body)).not.toContain('nothing concrete');
      expect((await t.http().get(replies).set(as(a)).expect(200)).body.map((r: { receivedOn: string }) => r.receivedOn)).toEqual([
        '2026-11-20',
        '2026-11-10',
      ]);

      await t.http().post(replies).set(as(a)).send({ receivedOn: '2999-01-01', summary: 'x' }).expect(400);
      await t.http().post(replies).set(as(a)).send({ receivedOn: 'yesterday', summary: 'x' }).expect(400);
      // ISO 8601 has other shapes (a month, a week, an ordinal day, a time); a reply's day is YYYY-MM-DD.
      for (const receivedOn of ['2026-11', '2026-W47-5', '2026-324', '2026-11-20T10:00:00Z', '2026-02-30']) {
        const res = await t.http().post(replies).set(as(a)).send({ receivedOn, summary: 'x' }).expect(400);
        expect(res.body.details).toEqual([{ field: 'receivedOn', problems: ['receivedOn must be a date (YYYY-MM-DD)'] }]);
      }
      await t.http().post(replies).set(as(a)).send({ receivedOn: '2026-11-20' }).expect(400);
      await t.http().post(replies).set(as(b)).send({ receivedOn: '2026-11-20', summary: 'x' }).expect(403);
      await t.http().post(`/api/v1/campaigns/${campaign.id}/targets/${other.id}/replies`).set(as(a)).send({ receivedOn: '2026-11-20', summary: 'ok' }).expect(201);
    });

    it("judge a reply's day against today in the campaign's time zone, not in UTC", async () => {
      // Kiritimati (UTC+14) is always a day or two ahead of Pago Pago (UTC-11): its today is tomorrow there.
      const kiritimatiToday = new Intl.DateTimeFormat('en-CA', { timeZone: 'Pacific/Kiritimati' }).format(new Date());
      const reply = async (timeZone: string) => {
        const campaign = await createLiveCampaign(t, a.token, { timeZone });
        const target = (await addTarget(campaign.id, { name: 'Minister', email: 'm@example.org' })).body;
        return t.http().post(`/api/v1/campaigns/${campaign.id}/targets/${target.id}/replies`).set(as(a)).send({ receivedOn: kiritimatiToday, summary: 'Answered today.' });
      };
      const ahead = await reply('Pacific/Kiritimati');
      expect(ahead.status).toBe(201);
      expect(ahead.body.receivedOn).toBe(kiritimatiToday);
      const behind = await reply('Pacific/Pago_Pago');
      expect(behind.status).toBe(400);
      expect(behind.body).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'receivedOn', problems: ['receivedOn may not be in the future'] }] });
    });
  });

  describe('the letter', () => {
    it('refuses unknown placeholders in the campaign\'s letter', async () => {
      const res = await t
        .http()
        .post('/api/v1/campaigns')
        .set(as(a))
        .send({
          kind: 'petition',
          title: 'A campaign with a bad letter',
          summary: 's',
          body: 'b',
          locale: 'en',
          letter: { mode: 'per_signature', subject: 'Hello', body: 'Dear {{target.nam}}, {{constructor}}' },
        })
        .expect(400);
      expect(res.body.details).toEqual([
        { field: 'letter.body', problems: [expect.stringContaining('{{target.nam}}, {{constructor}}')] },
      ]);
    });

    it('takes translations, renders previews in the target\'s language, and falls back to its own', async () => {
      const campaign = await arabicCampaign();
      const english = (await addTarget(campaign.id, { name: 'Dr. Amal <Director>', email: 'director@example.org', locale: 'en' })).body;
      const base = `/api/v1/campaigns/${campaign.id}/letter`;

      const put = await t
        .http()
        .put(`${base}/translations/en`)
        .set(as(a))
        .send({ subject: 'A letter from {{supporter.name}}', body: 'Dear {{target.name}},\n\nWe are {{count}} who signed "{{campaign.title}}".' })
        .expect(200);
      expect(put.body).toMatchObject({ mode: 'per_signature', locale: 'ar', translations: { en: { subject: 'A letter from {{supporter.name}}' } } });

      const en = await t.http().get(`${base}/preview`).query({ targetId: english.id }).set(as(a)).expect(200);
      expect(en.body).toMatchObject({ locale: 'en', requestedLocale: 'en', fellBack: false });
      expect(en.body.subject).toBe('A letter from Layla Hassan');
      expect(en.body.text).toBe('Dear Dr. Amal <Director>,\n\nWe are 0 who signed "Save the marshes from drought".');
      expect(en.body.html).toContain('Dr. Amal &lt;Director&gt;');
      expect(en.body.html).not.toContain('<Director>');

      const ar = await t.http().get(`${base}/preview`).query({ locale: 'ar' }).set(as(a)).expect(200);
      expect(ar.body).toMatchObject({ locale: 'ar', requestedLocale: 'ar', fellBack: false, subject: 'رسالة من ليلى حسن' });
      expect(ar.body.text).toContain('نحن ٠ موقّعاً');
      expect(ar.body.html).toContain('dir="rtl"');

      await t.http().delete(`${base}/translations/en`).set(as(a)).expect(204);
      const fallback = await t.http().get(`${base}/preview`).query({ targetId: english.id }).set(as(a)).expect(200);
      // The target reads English, the letter has no English: it goes in Arabic, and the preview says so.
      expect(fallback.body).toMatchObject({ locale: 'ar', requestedLocale: 'en', fellBack: true });
      const asked = await t.http().get(`${base}/preview`).query({ locale: 'en' }).set(as(a)).expect(200);
      expect(asked.body).toMatchObject({ locale: 'ar', requestedLocale: 'en', fellBack: true });
      expect(fallback.body.text).toContain('حضرة Dr. Amal <Director>');
    });

    it('refuses bad translations and bad preview requests', async () => {
      const campaign = await arabicCampaign();
      const base = `/api/v1/campaigns/${campaign.id}/letter`;
      const own = await t.http().put(`${base}/translations/ar`).set(as(a)).send({ subject: 's', body: 'b' }).expect(400);
      expect(own.body.details[0].field).toBe('locale');
      const unknown = await t.http().put(`${base}/translations/en`).set(as(a)).send({ subject: '{{supporter.email}}', body: 'b' }).expect(400);
      expect(unknown.body.details[0].field).toBe('letter.subject');
      expect((await t.http().put(`${base}/translations/fr`).set(as(a)).send({ subject: 's', body: 'b' }).expect(404)).body.code).toBe(
        'LETTER_LOCALE_UNKNOWN',
      );
      await t.http().put(`${base}/translations/en`).set(as(a)).send({ subject: 's', body: 'b', extra: 1 }).expect(400);
      await t.http().put(`${base}/translations/en`).set(as(b)).send({ subject: 's', body: 'b' }).expect(403);
      await t.http().get(`${base}/preview`).query({ targetId: 'not-a-uuid' }).set(as(a)).expect(400);
      await t.http().get(`${base}/preview`).query({ targetId: '00000000-0000-4000-8000-000000000000' }).set(as(a)).expect(400);
      await t.http().get(`${base}/preview`).expect(401);
      const letter = await t.http().get(base).set(as(a)).expect(200);
      expect(letter.body.translations).toEqual({});
    });
  });
});
