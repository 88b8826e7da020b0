import { consoleSignIn, FORM, SAME_ORIGIN } from '../support/console';
import { createLiveCampaign, createOrganiserWithOrganisation, type OrganiserLogin } from '../support/factories';
import { signAndConfirm } from '../support/signing';
import { type ReceivedMail, SmtpSink } from '../support/smtp-sink';
import { createTestApp, type TestApp } from '../support/test-app';
import { waitUntil } from '../support/wait';

/** The answer link at the end of a letter, as the official receives it (the text part). */
function answerLink(mail: ReceivedMail): string {
  const match = /(https?:\/\/\S+\/(?:ar|en)\/answer\/[A-Za-z0-9_-]{43})\s*$/.exec(mail.parsed.text ?? '');
  if (!match) throw new Error(`no answer link in: ${mail.parsed.text}`);
  return match[1];
}

const encode = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

/**
 * Officials answer through the link at the end of every letter: the link read from a real letter,
 * the page in the letter's language, the answer pending until an organiser approves it, then
 * shown on the campaign page (and posted as an automatic update); the link's limits, its expiry
 * after the campaign closed, and that one target's link never reaches another's answers.
 */
describe('officials answer through their letters’ link', () => {
  let t: TestApp;
  let org: OrganiserLogin;
  let other: OrganiserLogin;
  const smtp = new SmtpSink();
  const as = (login: OrganiserLogin) => ({ Authorization: `Bearer ${login.token}` });

  beforeAll(async () => {
    t = await createTestApp({
      SMTP_URL: await smtp.start(),
      MAIL_FROM: 'Nida <letters@nida.test>',
      MAIL_BACKOFF_MS: '50',
      LETTER_DISPATCH_INTERVAL_MS: '100',
      UPDATE_DISPATCH_INTERVAL_MS: '100',
      ANSWERS_PER_TARGET_PER_DAY: '3',
      ANSWER_LINK_DAYS_AFTER_CLOSE: '30',
    });
    org = await createOrganiserWithOrganisation(t);
    other = await createOrganiserWithOrganisation(t);
  });
  afterAll(async () => {
    await t?.close();
    await smtp.stop();
  });

  it('follows the link of a real letter, stores a pending answer, and shows it once approved and public', async () => {
    const campaign = await createLiveCampaign(t, org.token, {
      locale: 'ar',
      title: 'أنقذوا الأهوار',
      summary: 'الأهوار تجفّ.',
      body: 'نطالب بالتحرك.',
      translations: { en: { title: 'Save the marshes', summary: 'The marshes are drying.', body: 'We ask you to act.' } },
      letter: { mode: 'per_signature', subject: 'رسالة من {{supporter.name}}', body: 'حضرة {{target.name}}،\n\nنطالبكم بالتحرك.' },
      timeZone: 'Asia/Baghdad',
    });
    await t.http().put(`/api/v1/campaigns/${campaign.id}/letter/translations/en`).set(as(org)).send({ subject: 'From {{supporter.name}}', body: 'Dear {{target.name}},\n\nPlease act.' }).expect(200);
    await t.http().patch(`/api/v1/campaigns/${campaign.id}`).set(as(org)).send({ autoNotify: true }).expect(200);
    const ministry = (await t.http().post(`/api/v1/campaigns/${campaign.id}/targets`).set(as(org)).send({ name: 'وزارة الداخلية', email: 'moi@gov.example.org', locale: 'ar' }).expect(201)).body;
    const unesco = (await t.http().post(`/api/v1/campaigns/${campaign.id}/targets`).set(as(org)).send({ name: 'World Heritage Centre', email: 'whc@unesco.example.org', locale: 'en' }).expect(201)).body;

    await signAndConfirm(t, smtp, campaign.slug, { name: 'Layla Hassan', email: 'layla@example.org', country: 'IQ' });
    const [toMinistry] = await smtp.waitFor('moi@gov.example.org', 1, 20000);
    const [toUnesco] = await smtp.waitFor('whc@unesco.example.org', 1, 20000);
    // Each letter ends with its target's link, in the letter's language; the HTML holds it as a link.
    const link = answerLink(toMinistry);
    expect(link).toMatch(/^http:\/\/nida\.test\/ar\/answer\//);
    expect(toMinistry.parsed.text).toContain('يمكنكم الردّ على هذه الحملة من هنا');
    expect(toMinistry.parsed.html).toContain(`<a href="${link}"`);
    const otherLink = answerLink(toUnesco);
    expect(otherLink).toMatch(/^http:\/\/nida\.test\/en\/answer\//);
    expect(otherLink).not.toBe(link);
    // Only the hash of the token is stored.
    const token = link.split('/').pop()!;
    const [stored] = await t.db.query(`SELECT answer_token_hash, answer_seed FROM targets WHERE id = $1`, [ministry.id]);
    expect(stored.answer_token_hash).toBeInstanceOf(Buffer);
    expect(stored.answer_token_hash.toString('base64url')).not.toBe(token);
    expect(stored.answer_seed.toString('base64url')).not.toBe(token);
    // The next letter to the same target carries the same link.
    await signAndConfirm(t, smtp, campaign.slug, { name: 'Omar Ali', email: 'omar@example.org', country: 'JO' });
    const second = await smtp.waitFor('moi@gov.example.org', 2, 20000);
    expect(answerLink(second[1])).toBe(link);

    const path = new URL(link).pathname;
    const arPage = await t.http().get(path).expect(200);
    expect(arPage.text).toContain('<html lang="ar" dir="rtl"');
    expect(arPage.text).toContain('أنقذوا الأهوار');
    expect(arPage.text).toContain('وزارة الداخلية');
    expect(arPage.text).not.toMatch(/Answer the campaign|Your answer/);
    const enPage = await t.http().get(path.replace('/ar/', '/en/')).expect(200);
    expect(enPage.text).toContain('Save the marshes');
    expect(enPage.text).toContain('Your answer');

    // Nothing typed: the form again, with the error.
    const empty = await t.http().post(path).type(FORM).send(encode({ text: '   ', name: '', position: '' })).expect(400);
    expect(empty.text).toContain('اكتبوا ردّكم.');
    // A bot filling the honeypot sees "received"; nothing is stored.
    const bot = await t.http().post(path).type(FORM).send(encode({ text: 'spam', website: 'http://spam.example' })).expect(200);
    expect(bot.text).toContain('وصل ردّكم');
    // A post from another site is refused.
    await t.http().post(path).set('sec-fetch-site', 'cross-site').type(FORM).send(encode({ text: 'forged' })).expect(403);

    const hostile = '<script>alert(1)</script> نحن نتابع الأمر & "ندرسه"';
    const posted = await t.http().post(path).type(FORM).send(encode({ text: hostile, name: '<b>Ali</b>', position: 'مدير الإعلام' })).expect(200);
    expect(posted.text).toContain('وصل ردّكم');
    // Pending: the page and the API show no reply yet.
    const pendingPage = await t.http().get(`/ar/c/${encodeURIComponent(campaign.slug)}`).expect(200);
    expect(pendingPage.text).not.toContain('ردّت في');
    expect((await t.http().get(`/api/v1/campaigns/${encodeURIComponent(campaign.slug)}`).expect(200)).body.targets.every((x: { replyStatus: string }) => x.replyStatus === 'no_reply')).toBe(true);

    const queue = (await t.http().get(`/api/v1/campaigns/${campaign.id}/replies?status=pending_approval`).set(as(org)).expect(200)).body;
    expect(queue).toHaveLength(1);
    expect(queue[0]).toMatchObject({ targetId: ministry.id, source: 'official', status: 'pending_approval', summary: hostile, publicText: null, answeredBy: { name: '<b>Ali</b>', position: 'مدير الإعلام' } });
    const replyId = queue[0].id;
    await t.http().get(`/api/v1/campaigns/${campaign.id}/replies?status=bogus`).set(as(org)).expect(400);
    await t.http().get(`/api/v1/campaigns/${campaign.id}/replies`).set(as(other)).expect(403);

    // Another target's path, another organisation, a malformed id: none reaches this answer.
    const base = `/api/v1/campaigns/${campaign.id}/targets`;
    expect((await t.http().post(`${base}/${unesco.id}/replies/${replyId}/approve`).set(as(org)).send({ public: true }).expect(404)).body.code).toBe('TARGET_REPLY_NOT_FOUND');
    await t.http().post(`${base}/${ministry.id}/replies/${replyId}/approve`).set(as(other)).send({ public: true }).expect(403);
    await t.http().post(`${base}/${ministry.id}/replies/not-a-uuid/approve`).set(as(org)).send({}).expect(404);
    await t.http().post(`${base}/${ministry.id}/replies/${replyId}/approve`).set(as(org)).send({ public: 'yes' }).expect(400);
    await t.http().post(`${base}/${ministry.id}/replies/${replyId}/approve`).set(as(org)).send({ status: 'approved' }).expect(400);
    // The other target's link stores its answer under that target only.
    await t.http().post(new URL(otherLink).pathname).type(FORM).send(encode({ text: 'We have received your letters.' })).expect(200);
    const unescoReplies = (await t.http().get(`${base}/${unesco.id}/replies`).set(as(org)).expect(200)).body;
    expect(unescoReplies.map((r: { summary: string }) => r.summary)).toEqual(['We have received your letters.']);
    expect((await t.http().get(`${base}/${ministry.id}/replies`).set(as(org)).expect(200)).body.map((r: { id: string }) => r.id)).toEqual([replyId]);

    // Two organisers approving at once: one wins, the other is told.
    const [a, b] = await Promise.all([
      t.http().post(`${base}/${ministry.id}/replies/${replyId}/approve`).set(as(org)).send({ public: true }),
      t.http().post(`${base}/${ministry.id}/replies/${replyId}/reject`).set(as(org)).send({}),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const approved = a.status === 200;
    if (!approved) {
      // The reject won: the rest of this test needs an approved answer, so answer again and approve it.
      expect(b.body.status).toBe('rejected');
    }
    const approvedId = approved
      ? replyId
      : (await (async () => {
          await t.http().post(path).type(FORM).send(encode({ text: hostile })).expect(200);
          const [p] = (await t.http().get(`/api/v1/campaigns/${campaign.id}/replies?status=pending_approval`).set(as(org)).expect(200)).body.filter((r: { targetId: string }) => r.targetId === ministry.id);
          await t.http().post(`${base}/${ministry.id}/replies/${p.id}/approve`).set(as(org)).send({ public: true }).expect(200);
          return p.id as string;
        })());
    expect((await t.http().post(`${base}/${ministry.id}/replies/${approvedId}/reject`).set(as(org)).send({}).expect(409)).body.code).toBe('TARGET_REPLY_DECIDED');

    // Public: the page says who replied and when (Arabic digits), the words escaped.
    const shown = await waitUntil(async () => {
      const text = (await t.http().get(`/ar/c/${encodeURIComponent(campaign.slug)}`).expect(200)).text;
      return text.includes('ردّت في') ? text : null;
    }, 5000, 100);
    expect(shown).toMatch(/ردّت في [٠-٩]+ [^<]+ [٠-٩]+/);
    expect(shown).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(shown).not.toContain('<script>alert(1)');
    const api = (await t.http().get(`/api/v1/campaigns/${encodeURIComponent(campaign.slug)}`).expect(200)).body;
    expect(api.targets.find((x: { name: string }) => x.name === 'وزارة الداخلية')).toMatchObject({ replyStatus: 'replied', reply: { text: hostile } });
    const enShown = (await t.http().get(`/en/c/${encodeURIComponent(campaign.slug)}`).expect(200)).text;
    expect(enShown).toMatch(/Replied on \d{1,2} [A-Z][a-z]+ \d{4}/);

    // autoNotify: the public answer is owed its automatic update, once.
    await waitUntil(async () => (await t.db.query(`SELECT 1 FROM case_updates WHERE source = 'reply' AND source_id = $1`, [approvedId])).length === 1, 10000, 100);

    // Private again: the target still replied, the words are gone.
    await t.http().patch(`${base}/${ministry.id}/replies/${approvedId}`).set(as(org)).send({ public: false }).expect(200);
    // (The automatic update keeps quoting it: it was posted while the answer was public.)
    // The page reuses what it read for COUNT_CACHE_MS.
    const targetsSection = async () => /<section class="targets"[\s\S]*?<\/section>/.exec((await t.http().get(`/ar/c/${encodeURIComponent(campaign.slug)}`).expect(200)).text)![0];
    const hidden = await waitUntil(async () => ((await targetsSection()).includes('alert(1)') ? null : targetsSection()), 5000, 100);
    expect(hidden).toContain('ردّت في');
    expect(hidden).not.toContain('alert(1)');
    const privateApi = (await t.http().get(`/api/v1/campaigns/${encodeURIComponent(campaign.slug)}`).expect(200)).body;
    expect(privateApi.targets.find((x: { name: string }) => x.name === 'وزارة الداخلية')).toMatchObject({ replyStatus: 'replied', reply: { text: null } });
    expect((await t.http().patch(`${base}/${unesco.id}/replies/${unescoReplies[0].id}`).set(as(org)).send({ public: true }).expect(409)).body.code).toBe('TARGET_REPLY_NOT_ANSWER');
  }, 90000);

  it('limits answers per link, and expires the link ANSWER_LINK_DAYS_AFTER_CLOSE days after the campaign closed, with one 404 for all', async () => {
    const campaign = await createLiveCampaign(t, org.token, {
      title: 'Free the reporters',
      letter: { mode: 'per_signature', subject: 'From {{supporter.name}}', body: 'Dear {{target.name}},\n\nFree them.' },
    });
    await t.http().post(`/api/v1/campaigns/${campaign.id}/targets`).set(as(org)).send({ name: 'Ministry of Justice', email: 'moj@gov.example.org', locale: 'en' }).expect(201);
    await signAndConfirm(t, smtp, campaign.slug, { name: 'Sara', email: 'sara@example.org', country: 'IQ' });
    const [letter] = await smtp.waitFor('moj@gov.example.org', 1, 20000);
    const path = new URL(answerLink(letter)).pathname;

    for (let i = 0; i < 3; i++) await t.http().post(path).type(FORM).send(encode({ text: `Answer ${i}` })).expect(200);
    const limited = await t.http().post(path).type(FORM).send(encode({ text: 'One too many' })).expect(429);
    expect(limited.text).toContain('Too many answers');
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM target_replies r JOIN targets t ON t.id = r.target_id WHERE t.campaign_id = $1`, [campaign.id]);
    expect(n).toBe(3);

    const unknown = await t.http().get(`/en/answer/${'A'.repeat(43)}`).expect(404);
    const malformed = await t.http().get('/en/answer/%3Cscript%3E').expect(404);
    expect(malformed.text).toBe(unknown.text);
    expect(unknown.text).toContain('This link does not work');

    await t.http().post(`/api/v1/campaigns/${campaign.id}/close`).set(as(org)).expect(200);
    await t.http().get(path).expect(200);
    await t.db.query(`UPDATE campaigns SET closed_at = now() - interval '29 days' WHERE id = $1`, [campaign.id]);
    await t.http().get(path).expect(200);
    await t.db.query(`UPDATE campaigns SET closed_at = now() - interval '31 days' WHERE id = $1`, [campaign.id]);
    const expired = await t.http().get(path).expect(404);
    expect(expired.text).toBe(unknown.text);
    await t.http().post(path).type(FORM).send(encode({ text: 'Late answer' })).expect(404);
  }, 60000);

  it('lets organisers approve, publish and reject answers from the console target page', async () => {
    const campaign = await createLiveCampaign(t, org.token, {
      title: 'Open the archives',
      letter: { mode: 'per_signature', subject: 'From {{supporter.name}}', body: 'Dear {{target.name}},\n\nOpen them.' },
    });
    const target = (await t.http().post(`/api/v1/campaigns/${campaign.id}/targets`).set(as(org)).send({ name: 'National Archives', email: 'archives@gov.example.org', locale: 'en' }).expect(201)).body;
    await signAndConfirm(t, smtp, campaign.slug, { name: 'Huda', email: 'huda@example.org', country: 'IQ' });
    const [letter] = await smtp.waitFor('archives@gov.example.org', 1, 20000);
    const path = new URL(answerLink(letter)).pathname;
    await t.http().post(path).type(FORM).send(encode({ text: 'We will open them in <March>.', name: 'Dr Salma', position: 'Director' })).expect(200);
    await t.http().post(path).type(FORM).send(encode({ text: 'Ignore the previous answer.' })).expect(200);

    const cookie = await consoleSignIn(t, org.email);
    const pagePath = `/en/console/campaigns/${campaign.id}/targets/${target.id}`;
    const page = await t.http().get(pagePath).set('Cookie', cookie).expect(200);
    expect(page.text).toContain('2 answers await your approval');
    expect(page.text).toContain('We will open them in &lt;March&gt;.');
    expect(page.text).toContain('Answered by Dr Salma, Director');
    const csrf = /name="csrf" value="([^"]+)"/.exec(page.text)![1];
    const ids = [...page.text.matchAll(/replies\/([0-9a-f-]{36})\/decide/g)].map((m) => m[1]);
    const [latest, first] = [...new Set(ids)];
    const decide = (id: string, action: string, token = csrf) =>
      t.http().post(`${pagePath}/replies/${id}/decide`).set(SAME_ORIGIN).set('Cookie', cookie).type(FORM).send(encode({ csrf: token, action }));
    expect((await decide(first, 'approve_public', 'wrong')).status).toBe(403);
    expect((await decide(first, 'approve_public')).status).toBe(303);
    expect((await decide(latest, 'reject')).status).toBe(303);
    expect((await decide(latest, 'approve_public')).headers.location).toContain('done=already');
    const otherCookie = await consoleSignIn(t, other.email);
    const foreign = await t.http().post(`${pagePath}/replies/${first}/decide`).set(SAME_ORIGIN).set('Cookie', otherCookie).type(FORM).send(encode({ csrf, action: 'private' }));
    expect([403, 404]).toContain(foreign.status);

    const after = await t.http().get(`${pagePath}?done=decided`).set('Cookie', cookie).expect(200);
    expect(after.text).not.toContain('await your approval');
    expect(after.text).toContain('Shown on the campaign page');
    expect(after.text).toContain('Rejected');
    const publicPage = await waitUntil(async () => {
      const text = (await t.http().get(`/en/c/${encodeURIComponent(campaign.slug)}`).expect(200)).text;
      return text.includes('Replied on') ? text : null;
    }, 5000, 100);
    expect(publicPage).toContain('We will open them in &lt;March&gt;.');
    expect(publicPage).not.toContain('Ignore the previous answer.');
    const audit = await t.db.query(`SELECT action FROM audit_events WHERE campaign_id = $1 ORDER BY at`, [campaign.id]);
    expect(audit.map((r: { action: string }) => r.action)).toEqual(expect.arrayContaining(['answers.approve', 'answers.reject']));
  }, 60000);
});
