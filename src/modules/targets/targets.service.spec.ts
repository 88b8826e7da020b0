import type { Principal } from '../../common/principal';
import type { CampaignsService } from '../campaigns/campaigns.service';
import type { Target } from './target.entity';
import type { TargetsRepository } from './targets.repository';
import { TargetsService } from './targets.service';

/** The rules of targets, with the repository and the campaigns service faked through their interfaces. */
describe('TargetsService', () => {
  const organiser: Principal = { id: 'o1', organisationId: 'org1', role: 'organiser' };
  const window = { timeZone: 'Asia/Baghdad', start: '08:00', end: '14:00', days: [7, 1, 2, 3, 4] };

  function fake(zone = 'Asia/Baghdad') {
    const target = { id: 't1', campaignId: 'c1', name: 'Minister', email: 'm@gov.example', locale: 'ar', createdAt: new Date() } as Target;
    const repo = {
      insert: jest.fn(async (fields: Partial<Target>) => ({ ...target, ...fields })),
      update: jest.fn(async (_c: string, _id: string, changes: Partial<Target>) => ({ ...target, ...changes })),
      findOne: jest.fn(async () => target),
      insertReply: jest.fn(async (_t: string, r: { receivedOn: string }) => ({
        id: 'r1', received_on: r.receivedOn, summary: 's', public_text: null, created_at: new Date(),
      })),
    };
    const campaigns = {
      owned: jest.fn(async () => ({ id: 'c1', locale: 'ar', timeZone: zone })),
      timeZoneOf: (c: { timeZone: string }) => c.timeZone,
    };
    const timeZones = { isKnown: async (z: string) => z === 'Asia/Baghdad' };
    const svc = new TargetsService(repo as unknown as TargetsRepository, campaigns as unknown as CampaignsService, timeZones as never);
    return { svc, repo };
  }

  it('writes only the fields a PATCH names, never a suppression it did not touch', async () => {
    const { svc, repo } = fake();
    await svc.update(organiser, 'c1', 't1', { title: 'Minister of Interior' });
    expect(repo.update).toHaveBeenCalledWith('c1', 't1', { title: 'Minister of Interior' });
  });

  it('clears a dispatch error when the sending window changes', async () => {
    const { svc, repo } = fake();
    await svc.update(organiser, 'c1', 't1', { sendingWindow: window });
    expect(repo.update).toHaveBeenCalledWith('c1', 't1', expect.objectContaining({ timeZone: 'Asia/Baghdad', dispatchError: null }));
  });

  it('refuses a sending window in a zone the database does not know, or ending before it starts', async () => {
    const { svc, repo } = fake();
    await expect(svc.create(organiser, 'c1', { name: 'x', email: 'x@gov.example', sendingWindow: { ...window, timeZone: 'US/Pacific-New' } }))
      .rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'sendingWindow.timeZone' }] });
    await expect(svc.update(organiser, 'c1', 't1', { sendingWindow: { ...window, start: '15:00' } }))
      .rejects.toMatchObject({ details: [{ field: 'sendingWindow.end' }] });
    expect(repo.insert).not.toHaveBeenCalled();
    expect(repo.update).not.toHaveBeenCalled();
  });

  it('judges a reply day against today in the campaign’s zone', async () => {
    // UTC's tomorrow is always in the future at UTC-12; UTC's today is never in the future at UTC+14.
    const tomorrowInUtc = new Date(Date.now() + 24 * 60 * 60 * 1000).toISOString().slice(0, 10);
    await expect(fake('Etc/GMT+12').svc.addReply(organiser, 'c1', 't1', { receivedOn: tomorrowInUtc, summary: 's' }))
      .rejects.toMatchObject({ details: [{ field: 'receivedOn' }] });
    const today = new Date().toISOString().slice(0, 10);
    await expect(fake('Etc/GMT-14').svc.addReply(organiser, 'c1', 't1', { receivedOn: today, summary: 's' })).resolves.toMatchObject({
      receivedOn: today,
    });
  });
});
