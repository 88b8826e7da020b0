import { consoleSignIn, FORM, SAME_ORIGIN } from '../support/console';
import { createCampaign, createLiveCampaign, createOrganiserWithOrganisation, type OrganiserLogin } from '../support/factories';
import { signAndConfirm } from '../support/signing';
import { SmtpSink } from '../support/smtp-sink';
import { createTestApp, TestApp } from '../support/test-app';
import { waitUntil } from '../support/wait';

interface PublicComment {
  text: string;
  firstName: string | null;
  city: string | null;
  date: string;
}

const SCRIPT = '<script>alert("x")</script> Free him <b>now</b>';

/**
 * Supporters' comments, moderated (issue 14, item 3), against the real app: a moderated comment is
 * hidden until an organiser approves it, an open one shows once confirmed, none shows when off;
 * the page escapes what supporters typed; names only of supporters who chose to be shown, and
 * organisers can take a name back; erased and invalidated supporters' comments go; every decision
 * is audited once, even when two organisers press at the same moment.
 */
describe('comments and their moderation (e2e)', () => {
  let t: TestApp;
  const smtp = new SmtpSink();
  let org: OrganiserLogin;
  let other: OrganiserLogin;
  let auth: { Authorization: string };
  let n = 0;

  beforeAll(async () => {
    t = await createTestApp({ SMTP_URL: await smtp.start() });
    org = await createOrganiserWithOrganisation(t);
    other = await createOrganiserWithOrganisation(t);
    auth = { Authorization: `Bearer ${org.token}` };
  });

  afterAll(async () => {
    await t?.close();
    await smtp.stop();
  });

  const email = () => `supporter-${Date.now()}-${n++}@example.org`;
  const publicComments = async (slug: string): Promise<PublicComment[]> =>
    (await t.http().get(`/api/v1/campaigns/${slug}/public-comments`).expect(200)).body.items;
  const queue = async (id: string, status = 'pending') =>
    (await t.http().get(`/api/v1/campaigns/${id}/comments`).query({ status }).set(auth).expect(200)).body as {
      items: { signatureId: string; text: string; name: string; showName: boolean; status: string; shown: boolean }[];
      nextCursor: string | null;
    };
  const page = async (slug: string, locale = 'en') => (await t.http().get(`/${locale}/c/${slug}`).expect(200)).text;
  const auditOf = (campaignId: string, action: string): Promise<{ subject_id: string; details: Record<string, unknown> }[]> =>
    t.db.query(`SELECT subject_id, details FROM audit_events WHERE campaign_id = $1 AND action = $2`, [campaignId, action]);

  async function signed(slug: string, body: Record<string, unknown>) {
    await signAndConfirm(t, smtp, slug, { name: 'Layla Hassan', country: 'IQ', city: 'Basra', showName: true, email: email(), ...body });
  }

  it('keeps a moderated comment off the page until an organiser approves it, then shows it escaped, newest first', async () => {
    const campaign = await createLiveCampaign(t, org.token);
    expect(campaign.comments).toBe('moderated');
    await signed(campaign.slug, { comment: SCRIPT });
    await signed(campaign.slug, { comment: 'Second\nline two', name: 'Omar Khalil', city: 'Mosul' });

    expect(await publicComments(campaign.slug)).toEqual([]);
    expect(await page(campaign.slug)).not.toContain('Free him');
    const pending = await queue(campaign.id);
    expect(pending.items.map((c) => c.text)).toEqual(['Second\nline two', SCRIPT]);
    expect(pending.items.every((c) => c.status === 'pending' && !c.shown)).toBe(true);
    expect(pending.items[1].name).toBe('Layla Hassan');

    const approved = await t.http().post(`/api/v1/campaigns/${campaign.id}/comments/${pending.items[1].signatureId}/approve`).set(auth).expect(200);
    expect(approved.body).toEqual({ signatureId: pending.items[1].signatureId, status: 'approved', changed: true });
    // Dated the day it was confirmed (not today's: a run crossing midnight confirms it the day before).
    const [{ day }] = await t.db.query(`SELECT to_char((verified_at AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD') AS day FROM signatures WHERE id = $1`, [
      pending.items[1].signatureId,
    ]);
    expect(await publicComments(campaign.slug)).toEqual([{ text: SCRIPT, firstName: 'Layla', city: 'Basra', date: day }]);
    // The page is reused briefly (COUNT_CACHE_MS); the approval shows within seconds.
    const html = await waitUntil(async () => {
      const text = await page(campaign.slug);
      return text.includes('Free him') ? text : null;
    });
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Free him &lt;b&gt;now&lt;/b&gt;');
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<b>now</b>');
    expect(html).toContain('<bdi>Layla</bdi> · <bdi>Basra</bdi>');
    expect(html).not.toContain('Hassan');
    expect(html).not.toContain('line two');

    await t.http().post(`/api/v1/campaigns/${campaign.id}/comments/${pending.items[0].signatureId}/approve`).set(auth).expect(200);
    expect((await publicComments(campaign.slug)).map((c) => c.firstName)).toEqual(['Omar', 'Layla']);
    expect((await queue(campaign.id, 'approved')).items.every((c) => c.shown)).toBe(true);
    expect(await queue(campaign.id)).toEqual({ items: [], nextCursor: null });
    expect(await auditOf(campaign.id, 'comments.approve')).toHaveLength(2);
  });

  it('shows an open campaign\'s comment once the signature is confirmed, and never before; hidden ones go', async () => {
    const campaign = await createLiveCampaign(t, org.token, { comments: 'open' });
    const address = email();
    await t.http().post(`/api/v1/campaigns/${campaign.slug}/signatures`)
      .send({ name: 'Rana Saleh', email: address, country: 'IQ', comment: 'Open comment', showName: true })
      .expect(202);
    await smtp.waitFor(address);
    expect(await publicComments(campaign.slug)).toEqual([]);
    const [unconfirmed] = (await t.db.query(`SELECT id FROM signatures WHERE campaign_id = $1`, [campaign.id])) as { id: string }[];
    // An unconfirmed signature's comment cannot be approved, and is in no queue.
    const refused = await t.http().post(`/api/v1/campaigns/${campaign.id}/comments/${unconfirmed.id}/approve`).set(auth).expect(409);
    expect(refused.body.code).toBe('COMMENT_NOT_VERIFIED');
    expect((await queue(campaign.id)).items).toEqual([]);

    await signed(campaign.slug, { comment: 'Confirmed open comment', name: 'Sami Adel', city: null, showName: true });
    const shown = await publicComments(campaign.slug);
    expect(shown).toEqual([expect.objectContaining({ text: 'Confirmed open comment', firstName: 'Sami', city: null })]);
    expect((await queue(campaign.id)).items[0]).toMatchObject({ status: 'pending', shown: true });

    const { signatureId } = (await queue(campaign.id)).items[0];
    await t.http().post(`/api/v1/campaigns/${campaign.id}/comments/${signatureId}/hide`).set(auth).expect(200);
    expect(await publicComments(campaign.slug)).toEqual([]);
    expect(await auditOf(campaign.id, 'comments.hide')).toEqual([{ subject_id: signatureId, details: { from: 'pending', to: 'hidden' } }]);
  });

  it('shows no comment when comments are off, approved or not, and the sign form says it is not published', async () => {
    const campaign = await createLiveCampaign(t, org.token, { comments: 'off' });
    await signed(campaign.slug, { comment: 'Off comment' });
    const [item] = (await queue(campaign.id)).items;
    expect(item.shown).toBe(false);
    await t.http().post(`/api/v1/campaigns/${campaign.id}/comments/${item.signatureId}/approve`).set(auth).expect(200);
    expect((await queue(campaign.id, 'approved')).items[0].shown).toBe(false);
    expect(await publicComments(campaign.slug)).toEqual([]);
    const html = await page(campaign.slug);
    expect(html).not.toContain('Off comment');
    expect(html).not.toContain('id="comments"');
    expect(html).toContain('it is not published on this page');
    expect((await t.http().get(`/api/v1/campaigns/${campaign.slug}`).expect(200)).body.comments).toBe('off');

    // Turned on later (PATCH), the approved comment shows.
    await t.http().patch(`/api/v1/campaigns/${campaign.id}`).set(auth).send({ comments: 'moderated' }).expect(200);
    expect((await publicComments(campaign.slug)).map((c) => c.text)).toEqual(['Off comment']);
    const bad = await t.http().patch(`/api/v1/campaigns/${campaign.id}`).set(auth).send({ comments: 'everyone' }).expect(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
  });

  it('names only supporters who chose to be shown, and an organiser can take a name back', async () => {
    const campaign = await createLiveCampaign(t, org.token);
    await signed(campaign.slug, { comment: 'Shown name', name: 'Huda Karim', city: 'Najaf', showName: true });
    await signed(campaign.slug, { comment: 'Hidden name', name: 'Zaid Nouri', city: 'Erbil', showName: false });
    const items = (await queue(campaign.id)).items;
    const ids = items.map((c) => c.signatureId);
    const bulk = await t.http().post(`/api/v1/campaigns/${campaign.id}/comments/moderate`).set(auth).send({ action: 'approve', signatureIds: ids }).expect(200);
    expect(bulk.body).toEqual({ changed: 2 });
    expect(await publicComments(campaign.slug)).toEqual([
      expect.objectContaining({ text: 'Hidden name', firstName: null, city: null }),
      expect.objectContaining({ text: 'Shown name', firstName: 'Huda', city: 'Najaf' }),
    ]);
    const ar = await waitUntil(async () => {
      const html = await page(campaign.slug, 'ar');
      return html.includes('Hidden name') ? html : null;
    });
    expect(ar).toContain('مؤيد · <time');
    expect(ar).not.toContain('Zaid');
    expect(ar).not.toContain('Erbil');

    const shownId = items.find((c) => c.text === 'Shown name')!.signatureId;
    const hidden = await t.http().post(`/api/v1/campaigns/${campaign.id}/signatures/${shownId}/hide-name`).set(auth).expect(200);
    expect(hidden.body).toEqual({ signatureId: shownId, showName: false, changed: true });
    expect((await t.http().post(`/api/v1/campaigns/${campaign.id}/signatures/${shownId}/hide-name`).set(auth).expect(200)).body.changed).toBe(false);
    expect((await publicComments(campaign.slug)).map((c) => c.firstName)).toEqual([null, null]);
    const en = await waitUntil(async () => {
      const html = await page(campaign.slug);
      return html.includes('Huda') ? null : html;
    });
    expect(en).toContain('A supporter · <time');
    expect(en).not.toContain('Najaf');
    expect(await auditOf(campaign.id, 'signatures.hide_name')).toEqual([{ subject_id: shownId, details: {} }]);
  });

  it('audits one approval when two organisers approve the same comment at the same moment', async () => {
    const campaign = await createLiveCampaign(t, org.token);
    await signed(campaign.slug, { comment: 'Raced' });
    const [{ signatureId }] = (await queue(campaign.id)).items;
    const url = `/api/v1/campaigns/${campaign.id}/comments/${signatureId}/approve`;
    const answers = await Promise.all([t.http().post(url).set(auth), t.http().post(url).set(auth), t.http().post(url).set(auth)]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(answers.filter((a) => a.body.changed)).toHaveLength(1);
    expect(await auditOf(campaign.id, 'comments.approve')).toHaveLength(1);
    expect(await publicComments(campaign.slug)).toHaveLength(1);
  });

  it('takes an erased or invalidated supporter\'s comment off the page', async () => {
    const campaign = await createLiveCampaign(t, org.token);
    const erased = email();
    await signed(campaign.slug, { comment: 'To be erased', email: erased });
    await signed(campaign.slug, { comment: 'To be invalidated', email: `x-${n++}@spam.example` });
    await signed(campaign.slug, { comment: 'Stays' });
    const ids = (await queue(campaign.id)).items.map((c) => c.signatureId);
    await t.http().post(`/api/v1/campaigns/${campaign.id}/comments/moderate`).set(auth).send({ action: 'approve', signatureIds: ids }).expect(200);
    expect(await publicComments(campaign.slug)).toHaveLength(3);

    const admin = await t.adminToken();
    await t.http().post('/api/v1/admin/erasures').set('Authorization', `Bearer ${admin}`).send({ email: erased }).expect((r) => expect(r.status).toBeLessThan(300));
    await t.http().post(`/api/v1/campaigns/${campaign.id}/invalidations`).set(auth).send({ domain: 'spam.example', reason: 'A test of comments' }).expect((r) => expect(r.status).toBeLessThan(300));
    expect((await publicComments(campaign.slug)).map((c) => c.text)).toEqual(['Stays']);
    expect((await queue(campaign.id, 'approved')).items.map((c) => c.text)).toEqual(['Stays']);
  });

  it('refuses bad input with a clear 4xx and another organisation\'s organiser, and pages the lists', async () => {
    const campaign = await createLiveCampaign(t, org.token);
    for (let i = 0; i < 3; i++) await signed(campaign.slug, { comment: `Comment ${i}` });
    const first = (await t.http().get(`/api/v1/campaigns/${campaign.id}/comments`).query({ limit: 2 }).set(auth).expect(200)).body;
    expect(first.items.map((c: { text: string }) => c.text)).toEqual(['Comment 2', 'Comment 1']);
    const second = (await t.http().get(`/api/v1/campaigns/${campaign.id}/comments`).query({ limit: 2, cursor: first.nextCursor }).set(auth).expect(200)).body;
    expect(second).toMatchObject({ items: [expect.objectContaining({ text: 'Comment 0' })], nextCursor: null });
    const ids = [...first.items, ...second.items].map((c: { signatureId: string }) => c.signatureId);
    await t.http().post(`/api/v1/campaigns/${campaign.id}/comments/moderate`).set(auth).send({ action: 'approve', signatureIds: ids }).expect(200);
    const pub = (await t.http().get(`/api/v1/campaigns/${campaign.slug}/public-comments`).query({ limit: 2 }).expect(200)).body;
    expect(pub.items).toHaveLength(2);
    const rest = (await t.http().get(`/api/v1/campaigns/${campaign.slug}/public-comments`).query({ cursor: pub.nextCursor }).expect(200)).body;
    expect(rest).toEqual({ items: [expect.objectContaining({ text: 'Comment 0' })], nextCursor: null });

    const code = async (req: Promise<{ status: number; body: { code: string } }>, status: number) => {
      const res = await req;
      expect(res.status).toBe(status);
      return res.body.code;
    };
    const base = `/api/v1/campaigns/${campaign.id}/comments`;
    expect(await code(t.http().get(base).query({ status: 'everything' }).set(auth), 400)).toBe('VALIDATION_FAILED');
    expect(await code(t.http().get(base).query({ cursor: 'nope' }).set(auth), 400)).toBe('VALIDATION_FAILED');
    expect(await code(t.http().get(`/api/v1/campaigns/${campaign.slug}/public-comments`).query({ limit: 1000 }), 400)).toBe('VALIDATION_FAILED');
    expect(await code(t.http().post(`${base}/moderate`).set(auth).send({ action: 'approve', signatureIds: ['x'] }), 400)).toBe('VALIDATION_FAILED');
    expect(await code(t.http().post(`${base}/moderate`).set(auth).send({ action: 'delete', signatureIds: ids }), 400)).toBe('VALIDATION_FAILED');
    expect(await code(t.http().post(`${base}/moderate`).set(auth).send({ action: 'hide', signatureIds: [] }), 400)).toBe('VALIDATION_FAILED');
    expect(await code(t.http().post(`${base}/not-a-uuid/approve`).set(auth), 404)).toBe('COMMENT_NOT_FOUND');
    expect(await code(t.http().post(`${base}/00000000-0000-4000-8000-000000000000/hide`).set(auth), 404)).toBe('COMMENT_NOT_FOUND');
    expect(await code(t.http().post(`/api/v1/campaigns/${campaign.id}/signatures/00000000-0000-4000-8000-000000000000/hide-name`).set(auth), 404)).toBe('SIGNATURE_NOT_FOUND');
    expect(await code(t.http().get(base), 401)).toBeDefined();

    const outsider = { Authorization: `Bearer ${other.token}` };
    expect(await code(t.http().get(base).set(outsider), 403)).toBe('CAMPAIGN_FORBIDDEN');
    expect(await code(t.http().post(`${base}/${ids[0]}/hide`).set(outsider), 403)).toBe('CAMPAIGN_FORBIDDEN');
    expect(await code(t.http().post(`${base}/moderate`).set(outsider).send({ action: 'hide', signatureIds: ids }), 403)).toBe('CAMPAIGN_FORBIDDEN');
    expect(await publicComments(campaign.slug)).toHaveLength(3);
    // Another campaign's signature is no comment of this one.
    const elsewhere = await createLiveCampaign(t, org.token);
    expect(await code(t.http().post(`/api/v1/campaigns/${elsewhere.id}/comments/${ids[0]}/hide`).set(auth), 404)).toBe('COMMENT_NOT_FOUND');

    const draft = await createCampaign(t, org.token);
    expect(await code(t.http().get(`/api/v1/campaigns/${draft.slug}/public-comments`), 404)).toBe('CAMPAIGN_NOT_FOUND');
  });
});

describe('the console\'s Comments tab (e2e)', () => {
  let t: TestApp;
  const smtp = new SmtpSink();
  let org: OrganiserLogin;
  let cookie: string;

  beforeAll(async () => {
    t = await createTestApp({ SMTP_URL: await smtp.start() });
    org = await createOrganiserWithOrganisation(t);
    cookie = await consoleSignIn(t, org.email);
  });

  afterAll(async () => {
    await t?.close();
    await smtp.stop();
  });

  it('approves and hides one or several comments and hides a name, with the CSRF token, in both languages', async () => {
    const campaign = await createLiveCampaign(t, org.token);
    for (const [name, comment] of [['Layla Hassan', 'First <i>one</i>'], ['Omar Khalil', 'Second one'], ['Huda Karim', 'Third one']]) {
      await signAndConfirm(t, smtp, campaign.slug, { name, comment, email: `${name.split(' ')[0].toLowerCase()}-${Date.now()}@example.org`, country: 'IQ', city: 'Basra', showName: true });
    }
    const base = `/en/console/campaigns/${campaign.id}/comments`;
    const queue = await t.http().get(base).set('Cookie', cookie).expect(200);
    expect(queue.text).toContain('First &lt;i&gt;one&lt;/i&gt;');
    expect(queue.text).toContain('aria-current="page">Comments</a>');
    const ids = [...queue.text.matchAll(/name="ids" value="([0-9a-f-]{36})"/g)].map((m) => m[1]);
    expect(ids).toHaveLength(3);
    const csrf = /name="csrf" value="([^"]+)"/.exec(queue.text)![1];
    const post = (body: Record<string, unknown>, path = base) => t.http().post(path).set(SAME_ORIGIN).set('Cookie', cookie).type(FORM).send(body);

    expect((await post({ action: 'approve', ids: ids[0] })).status).toBe(403);
    const none = await post({ csrf, action: 'approve' }).expect(400);
    expect(none.text).toContain('Select at least one comment');

    const one = await post({ csrf, status: 'pending', action: `approve:${ids[0]}` }).expect(303);
    expect(one.headers.location).toBe(`${base}?status=pending&done=approved&n=1`);
    expect((await t.http().get(one.headers.location).set('Cookie', cookie).expect(200)).text).toContain('1 comment approved.');
    const many = await post({ csrf, status: 'pending', action: 'hide', ids: [ids[1], ids[2]] }).expect(303);
    expect(many.headers.location).toBe(`${base}?status=pending&done=hidden&n=2`);
    const ar = await t.http().get(`/ar/console/campaigns/${campaign.id}/comments?status=hidden&done=hidden&n=2`).set('Cookie', cookie).expect(200);
    expect(ar.text).toContain('أُخفي تعليقان.');
    expect(ar.text).toContain('Second one');
    expect(ar.text).toContain('dir="rtl"');

    await post({ csrf, status: 'approved', action: `name:${ids[0]}` }).expect(303);
    const approved = await t.http().get(`${base}?status=approved`).set('Cookie', cookie).expect(200);
    expect(approved.text).toContain('Shown as “a supporter”');
    const pub = (await t.http().get(`/api/v1/campaigns/${campaign.slug}/public-comments`).expect(200)).body.items;
    // Newest first: the first box is the last to sign.
    expect(pub).toEqual([expect.objectContaining({ text: 'Third one', firstName: null })]);
    expect((await t.db.query(`SELECT action FROM audit_events WHERE campaign_id = $1 ORDER BY at, id`, [campaign.id])).map((r: { action: string }) => r.action)).toEqual([
      'campaign.publish',
      'comments.approve',
      'comments.hide',
      'comments.hide',
      'signatures.hide_name',
    ]);
  });
});
