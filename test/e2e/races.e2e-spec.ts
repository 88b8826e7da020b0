import { createLiveCampaign, createOrganiserWithOrganisation } from '../support/factories';
import { createTestApp, TestApp } from '../support/test-app';

/** Two writes racing on one row: each keeps what it wrote, neither silently reverts the other. */
describe('racing writes', () => {
  let t: TestApp;
  let token: string;
  let auth: { Authorization: string };

  beforeAll(async () => {
    t = await createTestApp();
    token = (await createOrganiserWithOrganisation(t)).token;
    auth = { Authorization: `Bearer ${token}` };
  });
  afterAll(async () => {
    await t.close();
  });

  it('PATCHes racing a close never put the campaign back to live (20 rounds)', async () => {
    const later = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    for (let round = 0; round < 20; round++) {
      const campaign = await createLiveCampaign(t, token);
      // A stream of PATCHes, one a millisecond, with the close in the middle of it: some PATCH has
      // read the campaign live and writes after the close committed.
      const patches = Array.from({ length: 12 }, (_, i) =>
        later(i).then(() => t.http().patch(`/api/v1/campaigns/${campaign.id}`).set(auth).send({ summary: `Round ${round}, edit ${i}.` })),
      );
      const close = later(3 + (round % 5)).then(() => t.http().post(`/api/v1/campaigns/${campaign.id}/close`).set(auth));
      const [closed, ...edits] = await Promise.all([close, ...patches]);
      expect(closed.status).toBe(200);
      for (const edit of edits) {
        expect([200, 409]).toContain(edit.status);
        if (edit.status === 409) expect(edit.body.code).toBe('CAMPAIGN_CONFLICT');
      }
      const [row] = await t.db.query(`SELECT status FROM campaigns WHERE id = $1`, [campaign.id]);
      expect(row.status).toBe('closed');
    }
  });

  it('a target PATCH racing a suppression after bounces keeps the suppression (20 rounds)', async () => {
    const campaign = await createLiveCampaign(t, token);
    for (let round = 0; round < 20; round++) {
      const target = await t.http().post(`/api/v1/campaigns/${campaign.id}/targets`).set(auth)
        .send({ name: `Official ${round}`, email: `official-${round}@gov.example.org` }).expect(201);
      const [patch] = await Promise.all([
        t.http().patch(`/api/v1/campaigns/${campaign.id}/targets/${target.body.id}`).set(auth).send({ title: 'Minister' }),
        t.db.query(`UPDATE targets SET suppressed_at = now() WHERE id = $1`, [target.body.id]),
      ]);
      expect(patch.status).toBe(200);
      const [row] = await t.db.query(`SELECT suppressed_at, title FROM targets WHERE id = $1`, [target.body.id]);
      expect(row.suppressed_at).not.toBeNull();
      expect(row.title).toBe('Minister');
    }
  });
});
