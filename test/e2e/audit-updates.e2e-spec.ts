import { createLiveCampaign, createOrganiserWithOrganisation, OrganiserLogin } from '../support/factories';
import { png } from '../support/photos';
import { createTestApp, TestApp } from '../support/test-app';

interface Event {
  action: string;
  actorId: string | null;
  actorKind: string;
  campaignId: string | null;
  subjectId: string | null;
  details: Record<string, unknown>;
  ipHash: string | null;
}

/**
 * The audit log holds every change organisers make to a campaign's updates and photo: an update
 * posted, its send paused, resumed, cancelled; a photo set or removed. Run as the `api` role (no
 * workers), so a notified update's send stays in progress for the test to move.
 */
describe('audit events of updates and photos (e2e)', () => {
  let t: TestApp;
  let org: OrganiserLogin;
  let campaignId: string;
  const auth = () => ({ Authorization: `Bearer ${org.token}` });

  const events = async (query: Record<string, string> = {}) =>
    (await t.http().get('/api/v1/audit').query({ campaignId, ...query }).set(auth()).expect(200)).body.items as Event[];

  beforeAll(async () => {
    t = await createTestApp({ APP_ROLE: 'api' });
    org = await createOrganiserWithOrganisation(t);
    campaignId = (await createLiveCampaign(t, org.token, { kind: 'urgent_action' })).id;
  }, 180_000);
  afterAll(async () => t.close());

  it('records an update posted, and each move of its send once, with the organiser and the address’s hash', async () => {
    const quiet = await t.http().post(`/api/v1/campaigns/${campaignId}/updates`).set(auth()).send({ title: 'Hearing on Sunday', body: 'The court sits at 9.', notify: false, caseStatus: 'on_trial' }).expect(201);
    const loud = await t.http().post(`/api/v1/campaigns/${campaignId}/updates`).set(auth()).send({ title: 'Salim is free', body: 'He was released.', notify: true }).expect(201);
    const posted = await events({ action: 'updates.post' });
    expect(posted.map((e) => [e.subjectId, e.details])).toEqual([
      [loud.body.id, { notify: true, caseStatus: null }],
      [quiet.body.id, { notify: false, caseStatus: 'on_trial' }],
    ]);
    expect(posted[0]).toMatchObject({ actorId: org.organiserId, actorKind: 'organiser', campaignId });
    expect(posted[0].ipHash).toMatch(/^[A-Za-z0-9_-]{20,}$/);

    const move = (action: string) => t.http().post(`/api/v1/campaigns/${campaignId}/updates/${loud.body.id}/${action}`).set(auth());
    await move('pause').expect(200);
    await move('pause').expect(200); // already paused: nothing moved, nothing recorded
    await move('resume').expect(200);
    await move('cancel').expect(200);
    expect((await move('pause')).status).toBe(409);
    const moves = (await events()).filter((e) => e.action !== 'updates.post' && e.subjectId === loud.body.id).reverse();
    expect(moves.map((e) => [e.action, e.details])).toEqual([
      ['updates.pause', { from: 'sending', to: 'paused' }],
      ['updates.resume', { from: 'paused', to: 'sending' }],
      ['updates.cancel', { from: 'sending', to: 'cancelled' }],
    ]);
    // The filter takes the new codes.
    expect((await events({ action: 'updates.cancel' })).map((e) => e.subjectId)).toEqual([loud.body.id]);
  });

  it('records a photo set, replaced and removed (removing none records nothing)', async () => {
    const put = async () =>
      t
        .http()
        .put(`/api/v1/campaigns/${campaignId}/image`)
        .set(auth())
        .field('altAr', 'صورة سليم')
        .field('altEn', 'Salim at home')
        .attach('image', await png(800, 600), { filename: 'salim.png', contentType: 'application/octet-stream' })
        .expect(200);
    await put();
    await put();
    await t.http().delete(`/api/v1/campaigns/${campaignId}/image`).set(auth()).expect(204);
    await t.http().delete(`/api/v1/campaigns/${campaignId}/image`).set(auth()).expect(204);
    const photo = (await events()).filter((e) => e.action.startsWith('media.')).reverse();
    expect(photo.map((e) => [e.action, e.details])).toEqual([
      ['media.photo_set', { replaced: false, width: 800, height: 600 }],
      ['media.photo_set', { replaced: true, width: 800, height: 600 }],
      ['media.photo_remove', {}],
    ]);
    expect(photo.every((e) => e.actorId === org.organiserId && e.campaignId === campaignId)).toBe(true);
  });
});
