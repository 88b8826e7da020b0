import { validateEnvironment } from '../../config/environment';
import type { Principal } from '../../common/principal';
import type { Campaign } from './campaign.entity';
import type { CampaignsRepository } from './campaigns.repository';
import { CampaignsService } from './campaigns.service';

/** The rules of an organiser's campaign writes, with the repository faked through its interface. */
describe('CampaignsService', () => {
  const env = validateEnvironment({ NODE_ENV: 'test', URGENT_ACTION_DEFAULT_DAYS: '30', COUNT_CACHE_MS: '0' });
  const organiser: Principal = { id: 'o1', organisationId: 'org1', role: 'organiser' };
  const DAY = 24 * 60 * 60 * 1000;
  const TX = { transaction: 'campaign move' };

  function campaign(fields: Partial<Campaign> = {}): Campaign {
    return {
      id: 'c1', organisationId: 'org1', kind: 'petition', status: 'draft', slug: 'marshes', locale: 'en',
      title: 'Marshes', summary: 'Save them', body: 'Body', translations: {}, goal: null, endsAt: null, timeZone: null,
      letterMode: 'none', letterSubject: null, letterBody: null, outcome: null, publishedAt: null, closedAt: null,
      wonAt: null, createdAt: new Date(), updatedAt: new Date(), ...fields,
    } as Campaign;
  }

  /** A repository over one row, whose status another writer may change between a read and a write. */
  function fake(row: Campaign, onWrite?: () => void) {
    const repo = {
      findById: jest.fn(async () => ({ ...row })),
      signatureCount: jest.fn(async () => 0),
      transaction: async <T>(fn: (m: unknown) => Promise<T>) => fn(TX),
      updateFields: jest.fn(async (_id: string, status: string, changes: Partial<Campaign>) => {
        onWrite?.();
        if (row.status !== status) return null;
        Object.assign(row, changes);
        return { ...row };
      }),
    };
    const timeZones = { isKnown: async (zone: string) => zone === 'Asia/Baghdad' };
    const audit = { record: jest.fn(async (_entry: unknown, _m?: unknown) => undefined) };
    const svc = new CampaignsService(repo as unknown as CampaignsRepository, env, timeZones as never, {} as never, audit as never, { acceptedRole: async () => null } as never);
    return { svc, repo, audit };
  }

  describe('update', () => {
    it('writes only the fields sent, guarded by the status it read', async () => {
      const row = campaign({ status: 'live' });
      const { svc, repo } = fake(row);
      await svc.update(organiser, 'c1', { title: 'New title' });
      expect(repo.updateFields).toHaveBeenCalledWith('c1', 'live', { title: 'New title' });
    });

    it('judges again when the status moved under it, and keeps the new status', async () => {
      const row = campaign({ status: 'live' });
      let closedOnce = false;
      const { svc, repo } = fake(row, () => {
        if (closedOnce) return;
        closedOnce = true;
        row.status = 'closed';
      });
      const saved = await svc.update(organiser, 'c1', { summary: 'Still drying' });
      expect(repo.updateFields).toHaveBeenCalledTimes(2);
      expect(saved).toMatchObject({ status: 'closed', summary: 'Still drying' });
    });

    it('gives up with CAMPAIGN_CONFLICT when the status keeps moving', async () => {
      const row = campaign({ status: 'live' });
      const { svc } = fake(row, () => (row.status = row.status === 'live' ? 'closed' : 'live'));
      await expect(svc.update(organiser, 'c1', { title: 'x' })).rejects.toMatchObject({ code: 'CAMPAIGN_CONFLICT', status: 409 });
    });

    it('refuses a new slug or kind once published, and an unknown time zone, writing nothing', async () => {
      const { svc, repo } = fake(campaign({ status: 'live' }));
      await expect(svc.update(organiser, 'c1', { slug: 'other' })).rejects.toMatchObject({ code: 'CAMPAIGN_FIELD_LOCKED' });
      await expect(svc.update(organiser, 'c1', { kind: 'urgent_action' })).rejects.toMatchObject({ code: 'CAMPAIGN_FIELD_LOCKED' });
      await expect(svc.update(organiser, 'c1', { timeZone: 'US/Pacific-New' })).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
        details: [{ field: 'timeZone' }],
      });
      expect(repo.updateFields).not.toHaveBeenCalled();
    });

    it('refuses a translation in the campaign’s own language and a letter without a body', async () => {
      const { svc } = fake(campaign());
      await expect(
        svc.update(organiser, 'c1', { translations: { en: { title: 't', summary: 's', body: 'b' } } }),
      ).rejects.toMatchObject({ details: [{ field: 'translations.en' }] });
      await expect(svc.update(organiser, 'c1', { letter: { mode: 'per_signature', subject: 'Hi' } })).rejects.toMatchObject({
        details: [{ field: 'letter.body' }],
      });
    });

    it('refuses another organisation’s campaign', async () => {
      const { svc } = fake(campaign({ organisationId: 'org2' }));
      await expect(svc.update(organiser, 'c1', { title: 'x' })).rejects.toMatchObject({ code: 'CAMPAIGN_FORBIDDEN' });
    });
  });

  describe('publish', () => {
    it('gives an urgent action without a deadline the default number of days', async () => {
      const row = campaign({ kind: 'urgent_action' });
      const { svc } = fake(row);
      const before = Date.now();
      const res = await svc.publish(organiser, 'c1');
      expect(res.status).toBe('live');
      const endsAt = Date.parse(res.endsAt!);
      expect(endsAt - before).toBeGreaterThanOrEqual(30 * DAY - 1000);
      expect(endsAt - before).toBeLessThanOrEqual(30 * DAY + 1000);
    });

    it('leaves a petition without a deadline open-ended, and refuses a deadline already past', async () => {
      expect((await fake(campaign()).svc.publish(organiser, 'c1')).endsAt).toBeNull();
      const past = fake(campaign({ status: 'closed', endsAt: new Date(Date.now() - DAY) }));
      await expect(past.svc.publish(organiser, 'c1')).rejects.toMatchObject({ code: 'CAMPAIGN_DEADLINE_PASSED' });
    });

    it('answers a repeated publish with the live campaign, changing nothing', async () => {
      const { svc, repo } = fake(campaign({ status: 'live', publishedAt: new Date() }));
      expect((await svc.publish(organiser, 'c1')).status).toBe('live');
      expect(repo.updateFields).not.toHaveBeenCalled();
    });
  });

  describe('close and win', () => {
    it('closes a live campaign; a closed one cannot close again but can be won', async () => {
      const row = campaign({ status: 'live' });
      const { svc } = fake(row);
      expect((await svc.close(organiser, 'c1')).status).toBe('closed');
      expect((await svc.win(organiser, 'c1', 'Released')).status).toBe('won');
      await expect(svc.publish(organiser, 'c1')).rejects.toMatchObject({ code: 'CAMPAIGN_INVALID_TRANSITION' });
    });

    it('audits each status change in its transaction, as publish, close, reopen or win, and a repeat not at all', async () => {
      const row = campaign();
      const { svc, audit } = fake(row);
      await svc.publish(organiser, 'c1', '192.0.2.7');
      await svc.publish(organiser, 'c1', '192.0.2.7');
      await svc.close(organiser, 'c1', '192.0.2.7');
      await svc.publish(organiser, 'c1', '192.0.2.7');
      await svc.close(organiser, 'c1');
      await svc.win(organiser, 'c1', 'Released', '192.0.2.8');
      expect(audit.record.mock.calls.map((c) => [(c[0] as { action: string }).action, c[1]])).toEqual([
        ['campaign.publish', TX],
        ['campaign.close', TX],
        ['campaign.reopen', TX],
        ['campaign.close', TX],
        ['campaign.win', TX],
      ]);
      expect(audit.record.mock.calls[4][0]).toEqual({
        actor: organiser, action: 'campaign.win', campaignId: 'c1', organisationId: 'org1', details: { from: 'closed', to: 'won' }, ip: '192.0.2.8',
      });
    });

    it('records nothing when the change is refused', async () => {
      const { svc, audit } = fake(campaign());
      await expect(svc.close(organiser, 'c1')).rejects.toMatchObject({ code: 'CAMPAIGN_INVALID_TRANSITION' });
      expect(audit.record).not.toHaveBeenCalled();
    });

    it('refuses to close a draft', async () => {
      await expect(fake(campaign()).svc.close(organiser, 'c1')).rejects.toMatchObject({ code: 'CAMPAIGN_INVALID_TRANSITION' });
    });
  });
});
