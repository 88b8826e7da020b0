import { Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AppError } from '../../common/app-error';
import type { Principal } from '../../common/principal';
import { validateEnvironment } from '../../config/environment';
import { UpdatesService } from './updates.service';

/** Posting updates: the weekly cap and when the next is allowed, translations, the case status, the fan-out after commit. */
describe('UpdatesService', () => {
  const env = validateEnvironment({ NODE_ENV: 'test', UPDATE_EMAILS_PER_WEEK: '3' });
  const m = { tx: true } as unknown as EntityManager;
  const principal: Principal = { id: 'o1', organisationId: 'org1', role: 'organiser' };
  const DAY = 24 * 3600 * 1000;

  function service(recent: Date[], campaign: Record<string, unknown> = {}) {
    const updates = {
      transaction: jest.fn(async <T>(fn: (tx: EntityManager) => Promise<T>) => fn(m)),
      lockCampaign: jest.fn(async () => undefined),
      notifiedSince: jest.fn(async () => recent),
      insert: jest.fn(async (_m: EntityManager, u: Record<string, unknown>) => ({
        id: 'u1',
        ...u,
        sendState: u.notify ? 'sending' : null,
        fannedOutAt: null,
        finishedAt: null,
        createdAt: new Date(),
      })),
      counts: jest.fn(async () => ({ recipients: 0, sent: 0, failed: 0, pending: 0, skipped: 0, cancelled: 0 })),
    };
    const campaigns = {
      owned: jest.fn(async () => ({ id: 'c1', organisationId: 'org1', kind: 'urgent_action', status: 'live', locale: 'ar', ...campaign })),
      access: jest.fn(async () => ({
        campaign: { id: 'c1', organisationId: 'org1', kind: 'urgent_action', status: 'live', locale: 'ar', ...campaign },
        organisationId: 'org1',
        level: 'lead',
      })),
      caseStatusProblem: jest.fn((c: { kind: string }) => (c.kind === 'urgent_action' ? null : 'only an urgent action has a case status')),
      setCaseStatus: jest.fn(async () => true),
    };
    const sender = { startFanOut: jest.fn(async () => undefined) };
    const audit = { record: jest.fn(async () => undefined) };
    return { svc: new UpdatesService(updates as never, campaigns as never, sender as never, env.updates, audit as never), updates, campaigns, sender, audit };
  }

  beforeEach(() => jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined));
  afterEach(() => jest.restoreAllMocks());

  it('posts a notified update under the campaign lock and starts its fan-out after commit', async () => {
    const { svc, updates, sender, audit } = service([new Date(Date.now() - DAY), new Date(Date.now() - 2 * DAY)]);
    const posted = await svc.post(principal, 'c1', { title: 'Salim is free', body: 'Text', notify: true }, '192.0.2.8');
    // In the posting transaction: the update and its audit event commit together.
    expect(audit.record).toHaveBeenCalledWith(
      { actor: principal, action: 'updates.post', campaignId: 'c1', subjectId: 'u1', details: { notify: true, caseStatus: null }, ip: '192.0.2.8' },
      m,
    );
    expect(updates.lockCampaign).toHaveBeenCalledWith(m, 'c1');
    expect(posted).toMatchObject({ notify: true, sendState: 'sending', locale: 'ar' });
    expect(sender.startFanOut).toHaveBeenCalledWith('u1');
  });

  it('refuses the fourth notified update in 7 days with when the next may go: the oldest of the last three plus 7 days', async () => {
    const times = [new Date(Date.now() - 6 * DAY), new Date(Date.now() - 3 * DAY), new Date(Date.now() - DAY)];
    const { svc, updates, sender } = service(times);
    const error = await svc.post(principal, 'c1', { title: 'One more', body: 'Text', notify: true }).catch((e: AppError) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ status: 429, code: 'UPDATE_EMAIL_CAP_REACHED', details: { perWeek: 3, nextAllowedAt: new Date(times[0].getTime() + 7 * DAY).toISOString() } });
    expect(Number((error as AppError).headers!['Retry-After'])).toBeGreaterThan(DAY / 1000 - 5);
    expect(updates.insert).not.toHaveBeenCalled();
    expect(sender.startFanOut).not.toHaveBeenCalled();
  });

  it('posts without notify whatever the cap', async () => {
    const { svc, updates, sender } = service([new Date(), new Date(), new Date()]);
    await svc.post(principal, 'c1', { title: 'Quiet news', body: 'Text', notify: false });
    expect(updates.lockCampaign).not.toHaveBeenCalled();
    expect(sender.startFanOut).not.toHaveBeenCalled();
  });

  it('sets the case status in the update’s transaction; refuses one on a petition and a translation in the campaign’s own language', async () => {
    const urgent = service([]);
    await urgent.svc.post(principal, 'c1', { title: 'Released', body: 'Text', notify: false, caseStatus: 'released' });
    expect(urgent.campaigns.setCaseStatus).toHaveBeenCalledWith(m, 'c1', 'released');

    const petition = service([], { kind: 'petition' });
    await expect(petition.svc.post(principal, 'c1', { title: 'Released', body: 'Text', notify: false, caseStatus: 'released' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    await expect(urgent.svc.post(principal, 'c1', { title: 'News', body: 'Text', notify: false, translations: { ar: { title: 'خبر', body: 'نص' } } })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
  });

  it('refuses to email the supporters of a draft', async () => {
    const { svc } = service([], { status: 'draft' });
    await expect(svc.post(principal, 'c1', { title: 'News', body: 'Text', notify: true })).rejects.toMatchObject({ code: 'UPDATE_CAMPAIGN_NOT_PUBLISHED' });
  });
});
