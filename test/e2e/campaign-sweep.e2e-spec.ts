import { createLiveCampaign, createOrganiserWithOrganisation } from '../support/factories';
import { createTestApp, TestApp } from '../support/test-app';
import { waitUntil } from '../support/wait';

/** The scheduled job, through the real BullMQ scheduler and worker, closes campaigns past their deadline. */
describe('campaign deadline sweep', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ CAMPAIGN_CLOSE_SWEEP_SECONDS: '1' });
  });
  afterAll(() => t.close());

  it('closes a live campaign once its deadline passes, and leaves the others live', async () => {
    const { token } = await createOrganiserWithOrganisation(t);
    const due = await createLiveCampaign(t, token);
    const open = await createLiveCampaign(t, token, { endsAt: new Date(Date.now() + 86_400_000).toISOString() });
    await t.db.query("UPDATE campaigns SET ends_at = now() - interval '1 second' WHERE id = $1", [due.id]);

    const status = (id: string) =>
      t.db.query('SELECT status, closed_at FROM campaigns WHERE id = $1', [id]).then((rows) => rows[0]);
    const closed = await waitUntil(async () => {
      const row = await status(due.id);
      return row.status === 'closed' ? row : null;
    });
    expect(closed.closed_at).toBeInstanceOf(Date);
    expect((await status(open.id)).status).toBe('live');

    const list = await t.http().get('/api/v1/campaigns').expect(200);
    expect(list.body.items.map((c: { id: string }) => c.id)).toEqual([open.id]);
  });
});
