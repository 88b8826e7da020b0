import { consoleCsrf, consoleSignIn, FORM, SAME_ORIGIN } from '../support/console';
import { createCampaign, createOrganiserWithOrganisation, type OrganiserLogin } from '../support/factories';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Review before publishing (issue 14, item 4) with PUBLISH_REQUIRES_REVIEW=true: an organiser's
 * publish puts the campaign in review (not public, no signatures, texts locked); only an admin
 * approves it (it goes live) or sends it back with a note the organisers read in the API and the
 * console; both audited, once each even when two admins press at the same moment.
 */
describe('review before publishing (e2e)', () => {
  let t: TestApp;
  let org: OrganiserLogin;
  let auth: { Authorization: string };
  let admin: { Authorization: string };

  beforeAll(async () => {
    t = await createTestApp({ PUBLISH_REQUIRES_REVIEW: 'true' });
    org = await createOrganiserWithOrganisation(t);
    auth = { Authorization: `Bearer ${org.token}` };
    admin = { Authorization: `Bearer ${await t.adminToken()}` };
  });

  afterAll(async () => {
    await t?.close();
  });

  const audit = (campaignId: string): Promise<{ action: string; actor_kind: string; details: Record<string, unknown> }[]> =>
    t.db.query(`SELECT action, actor_kind, details FROM audit_events WHERE campaign_id = $1 ORDER BY at, id`, [campaignId]);
  const mine = async (id: string) =>
    ((await t.http().get(`/api/v1/organisations/${org.organisationId}/campaigns`).query({ pageSize: 50 }).set(auth).expect(200)).body.items as {
      id: string;
      status: string;
      reviewNote: string | null;
      reviewRequestedAt: string | null;
      publishedAt: string | null;
    }[]).find((c) => c.id === id)!;

  it('holds an organiser\'s publish for review, refuses non-admins, and goes live once an admin approves it', async () => {
    const campaign = await createCampaign(t, org.token);
    const asked = await t.http().post(`/api/v1/campaigns/${campaign.id}/publish`).set(auth).expect(200);
    expect(asked.body).toMatchObject({ status: 'in_review', publishedAt: null, reviewNote: null });
    expect(asked.body.reviewRequestedAt).toEqual(expect.any(String));
    // Asking again changes nothing.
    expect((await t.http().post(`/api/v1/campaigns/${campaign.id}/publish`).set(auth).expect(200)).body.status).toBe('in_review');

    // Not public, takes no signatures, not listed, texts locked.
    expect((await t.http().get(`/api/v1/campaigns/${campaign.slug}`).expect(404)).body.code).toBe('CAMPAIGN_NOT_FOUND');
    expect((await t.http().get(`/api/v1/campaigns/${campaign.slug}/count`).expect(404)).body.code).toBe('CAMPAIGN_NOT_FOUND');
    await t.http().get(`/en/c/${campaign.slug}`).expect(404);
    const sign = await t.http().post(`/api/v1/campaigns/${campaign.slug}/signatures`).send({ name: 'Layla Hassan', email: 'layla@example.org', country: 'IQ' });
    expect([sign.status, sign.body.code]).toEqual([404, 'CAMPAIGN_NOT_FOUND']);
    expect((await t.http().get('/api/v1/campaigns').expect(200)).body.items.map((c: { id: string }) => c.id)).not.toContain(campaign.id);
    const locked = await t.http().patch(`/api/v1/campaigns/${campaign.id}`).set(auth).send({ title: 'A new title here' }).expect(409);
    expect(locked.body.code).toBe('CAMPAIGN_IN_REVIEW');

    // Only admins review.
    for (const path of ['review/approve', 'review/reject']) {
      const refused = await t.http().post(`/api/v1/campaigns/${campaign.id}/${path}`).set(auth).send({ note: 'Looks fine' }).expect(403);
      expect(refused.body.code).toBe('AUTH_ADMIN_ONLY');
    }
    expect((await t.http().get('/api/v1/admin/reviews').set(auth).expect(403)).body.code).toBe('AUTH_ADMIN_ONLY');
    expect((await t.http().post(`/api/v1/campaigns/${campaign.id}/review/approve`).expect(401)).body.code).toBeDefined();
    const listed = (await t.http().get('/api/v1/admin/reviews').set(admin).expect(200)).body.items;
    expect(listed).toEqual([expect.objectContaining({ id: campaign.id, status: 'in_review', organisationName: expect.any(String) })]);

    // Two admins approve at the same moment: both answered, it goes live once.
    const answers = await Promise.all([0, 1, 2].map(() => t.http().post(`/api/v1/campaigns/${campaign.id}/review/approve`).set(admin)));
    expect(answers.map((a) => [a.status, a.body.status])).toEqual([[200, 'live'], [200, 'live'], [200, 'live']]);
    expect((await t.http().get(`/api/v1/campaigns/${campaign.slug}`).expect(200)).body.status).toBe('live');
    expect((await mine(campaign.id)).publishedAt).toEqual(expect.any(String));
    expect((await audit(campaign.id)).map((e) => [e.action, e.actor_kind, e.details])).toEqual([
      ['campaign.review_request', 'organiser', { from: 'draft', to: 'in_review' }],
      ['campaign.review_approve', 'admin', { from: 'in_review', to: 'live' }],
    ]);
    expect((await t.http().get('/api/v1/admin/reviews').set(admin).expect(200)).body.items).toEqual([]);
    // Rejecting a live campaign is refused with a stable code.
    const late = await t.http().post(`/api/v1/campaigns/${campaign.id}/review/reject`).set(admin).send({ note: 'Too late' }).expect(409);
    expect(late.body.code).toBe('CAMPAIGN_NOT_IN_REVIEW');
  });

  it('sends a campaign back with a note the organisers read, and takes it again', async () => {
    const campaign = await createCampaign(t, org.token);
    await t.http().post(`/api/v1/campaigns/${campaign.id}/publish`).set(auth).expect(200);
    for (const body of [{}, { note: '' }, { note: '   ' }, { note: 'x'.repeat(2001) }, { note: 'ok', extra: 1 }]) {
      const bad = await t.http().post(`/api/v1/campaigns/${campaign.id}/review/reject`).set(admin).send(body).expect(400);
      expect(bad.body.code).toBe('VALIDATION_FAILED');
    }
    const unknown = await t.http().post('/api/v1/campaigns/00000000-0000-4000-8000-000000000000/review/approve').set(admin).expect(404);
    expect(unknown.body.code).toBe('CAMPAIGN_NOT_FOUND');
    expect((await t.http().post('/api/v1/campaigns/not-an-id/review/approve').set(admin).expect(404)).body.code).toBe('CAMPAIGN_NOT_FOUND');

    const note = 'Please name the ministry in the summary.';
    const back = await t.http().post(`/api/v1/campaigns/${campaign.id}/review/reject`).set(admin).send({ note }).expect(200);
    expect(back.body).toMatchObject({ status: 'draft', reviewNote: note, reviewRequestedAt: null });
    expect(await mine(campaign.id)).toMatchObject({ status: 'draft', reviewNote: note });
    // Its organisers read the note on the campaign's console page.
    const cookie = await consoleSignIn(t, org.email);
    const page = await t.http().get(`/en/console/campaigns/${campaign.id}`).set('Cookie', cookie).expect(200);
    expect(page.text).toContain('id="review-note"');
    expect(page.text).toContain(note);
    const ar = await t.http().get(`/ar/console/campaigns/${campaign.id}`).set('Cookie', cookie).expect(200);
    expect(ar.text).toContain('أعادها أحد المشرفين');

    // Fixed and sent again: the note is cleared, and the console says it waits.
    await t.http().patch(`/api/v1/campaigns/${campaign.id}`).set(auth).send({ summary: 'The Ministry of Water Resources must act.' }).expect(200);
    const csrf = await consoleCsrf(t, cookie, `/en/console/campaigns/${campaign.id}/status/publish`);
    const confirm = await t.http().get(`/en/console/campaigns/${campaign.id}/status/publish`).set('Cookie', cookie).expect(200);
    expect(confirm.text).toContain('An admin reviews the campaign before it goes live');
    const posted = await t.http().post(`/en/console/campaigns/${campaign.id}/status/publish`).set(SAME_ORIGIN).set('Cookie', cookie).type(FORM).send({ csrf }).expect(303);
    expect(posted.headers.location).toBe(`/en/console/campaigns/${campaign.id}?done=submitted`);
    const waiting = await t.http().get(posted.headers.location).set('Cookie', cookie).expect(200);
    expect(waiting.text).toContain('The campaign was sent for review');
    expect(waiting.text).toContain('id="review-waiting"');
    expect(waiting.text).not.toContain(note);
    expect(waiting.text).not.toContain('status/publish');
    expect(await mine(campaign.id)).toMatchObject({ status: 'in_review', reviewNote: null });

    // The admin's console: the list, a refused empty note, then approval.
    const adminCookie = await consoleSignIn(t, process.env.ADMIN_EMAIL!, process.env.ADMIN_PASSWORD!);
    const home = await t.http().get('/en/console').set('Cookie', adminCookie).expect(200);
    expect(home.text).toContain('href="/en/console/reviews"');
    const list = await t.http().get('/ar/console/reviews').set('Cookie', adminCookie).expect(200);
    expect(list.text).toContain(`id="review-${campaign.id}"`);
    expect(list.text).toContain('dir="rtl"');
    const adminCsrf = /name="csrf" value="([^"]+)"/.exec(list.text)![1];
    const empty = await t.http().post(`/ar/console/reviews/${campaign.id}`).set(SAME_ORIGIN).set('Cookie', adminCookie).type(FORM).send({ csrf: adminCsrf, action: 'reject', note: ' ' }).expect(400);
    expect(empty.text).toContain('اكتب ملاحظة');
    const noCsrf = await t.http().post(`/ar/console/reviews/${campaign.id}`).set(SAME_ORIGIN).set('Cookie', adminCookie).type(FORM).send({ action: 'approve' }).expect(403);
    expect(noCsrf.headers['x-error-code']).toBe('CONSOLE_CSRF_INVALID');
    const approved = await t.http().post(`/ar/console/reviews/${campaign.id}`).set(SAME_ORIGIN).set('Cookie', adminCookie).type(FORM).send({ csrf: adminCsrf, action: 'approve' }).expect(303);
    expect(approved.headers.location).toBe('/ar/console/reviews?done=approved');
    expect((await mine(campaign.id)).status).toBe('live');
    const again = await t.http().post(`/ar/console/reviews/${campaign.id}`).set(SAME_ORIGIN).set('Cookie', adminCookie).type(FORM).send({ csrf: adminCsrf, action: 'reject', note: 'late' }).expect(409);
    expect(again.text).toContain('CAMPAIGN_NOT_IN_REVIEW');

    // An organiser is shown the admins-only page.
    await t.http().get('/en/console/reviews').set('Cookie', cookie).expect(403);
    const orgCsrf = await consoleCsrf(t, cookie);
    await t.http().post(`/en/console/reviews/${campaign.id}`).set(SAME_ORIGIN).set('Cookie', cookie).type(FORM).send({ csrf: orgCsrf, action: 'approve' }).expect(403);

    expect((await audit(campaign.id)).map((e) => e.action)).toEqual([
      'campaign.review_request',
      'campaign.review_reject',
      'campaign.review_request',
      'campaign.review_approve',
    ]);
  });

  it('lets an admin publish a campaign at once (admins are the reviewers)', async () => {
    const campaign = await createCampaign(t, (await t.adminToken()));
    const published = await t.http().post(`/api/v1/campaigns/${campaign.id}/publish`).set(admin).expect(200);
    expect(published.body.status).toBe('live');
    expect((await audit(campaign.id)).map((e) => [e.action, e.actor_kind])).toEqual([['campaign.publish', 'admin']]);
  });
});
