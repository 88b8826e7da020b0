import { Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { validateEnvironment } from '../../config/environment';
import type { FoldResult, TallyRepository } from './tally.repository';
import { TallyService } from './tally.service';

/** The tally's rules in TypeScript: folding in batches until one comes back short, reconciling, and what stats read. */
describe('TallyService', () => {
  const env = validateEnvironment({ NODE_ENV: 'test', TALLY_BATCH_SIZE: '100' });
  type Rows = Pick<
    TallyRepository,
    'recordVerified' | 'recordRemoved' | 'fold' | 'reconcile' | 'verified' | 'byCountry' | 'byDay' | 'milestones'
  >;

  function service(overrides: Partial<Rows> = {}) {
    const rows: jest.Mocked<Rows> = {
      recordVerified: jest.fn(async () => undefined),
      recordRemoved: jest.fn(async () => undefined),
      fold: jest.fn(async (): Promise<FoldResult> => ({ events: 0, milestones: [] })),
      reconcile: jest.fn(async () => []),
      verified: jest.fn(async () => 0),
      byCountry: jest.fn(async () => []),
      byDay: jest.fn(async () => []),
      milestones: jest.fn(async () => []),
      ...overrides,
    } as jest.Mocked<Rows>;
    return { svc: new TallyService(rows as unknown as TallyRepository, env), rows };
  }

  let log: jest.SpyInstance;
  let warn: jest.SpyInstance;
  beforeEach(() => {
    log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  describe('recordInvalidated', () => {
    const m = { tx: 'the invalidating one' } as unknown as EntityManager;

    it('writes the removals in the caller\'s transaction, per country and day', async () => {
      const { svc, rows } = service();
      const removed = [
        { country: 'IQ', day: '2026-01-02', count: 2 },
        { country: 'SY', day: '2026-05-01', count: 1 },
      ];
      await svc.recordInvalidated(m, 'c1', removed);
      expect(rows.recordRemoved).toHaveBeenCalledWith(m, 'c1', removed);
    });

    it('writes nothing when nothing counted was taken out', async () => {
      const { svc, rows } = service();
      await svc.recordInvalidated(m, 'c1', []);
      await svc.recordInvalidated(m, 'c1', [{ country: 'IQ', day: '2026-01-02', count: 0 }]);
      expect(rows.recordRemoved).not.toHaveBeenCalled();
    });
  });

  describe('foldAll', () => {
    it('folds full batches until one comes back short, and adds them up', async () => {
      const fold = jest
        .fn<Promise<FoldResult>, [number]>()
        .mockResolvedValueOnce({ events: 100, milestones: [] })
        .mockResolvedValueOnce({ events: 100, milestones: [] })
        .mockResolvedValueOnce({ events: 7, milestones: [] });
      const { svc } = service({ fold });
      await expect(svc.foldAll()).resolves.toBe(207);
      expect(fold).toHaveBeenCalledTimes(3);
      expect(fold).toHaveBeenCalledWith(100);
    });

    it('stops after one pass when nothing waits', async () => {
      const { svc, rows } = service();
      await expect(svc.foldAll()).resolves.toBe(0);
      expect(rows.fold).toHaveBeenCalledTimes(1);
    });

    it('logs each milestone a batch reached', async () => {
      const fold = jest.fn(async (): Promise<FoldResult> => ({
        events: 3,
        milestones: [
          { campaignId: 'c1', percent: 25 },
          { campaignId: 'c1', percent: 50 },
        ],
      }));
      const { svc } = service({ fold });
      await svc.foldAll();
      expect(log).toHaveBeenCalledWith({ campaignId: 'c1', percent: 25 }, 'Milestone reached');
      expect(log).toHaveBeenCalledWith({ campaignId: 'c1', percent: 50 }, 'Milestone reached');
    });

    it('lets a failing fold throw (the loop logs and tries again next interval)', async () => {
      const fold = jest.fn(async (): Promise<FoldResult> => {
        throw new Error('connection terminated');
      });
      await expect(service({ fold }).svc.foldAll()).rejects.toThrow('connection terminated');
    });
  });

  describe('reconcile', () => {
    it('returns and logs each repaired drift', async () => {
      const drift = [{ campaignId: 'c1', counted: 3, actual: 5 }];
      const { svc } = service({ reconcile: jest.fn(async () => drift) });
      await expect(svc.reconcile()).resolves.toEqual(drift);
      expect(warn).toHaveBeenCalledWith(drift[0], 'Counter drift repaired');
      expect(log).not.toHaveBeenCalledWith('Counters match the verified signatures');
    });

    it('says so when the counters match', async () => {
      const { svc } = service();
      await expect(svc.reconcile()).resolves.toEqual([]);
      expect(warn).not.toHaveBeenCalled();
      expect(log).toHaveBeenCalledWith('Counters match the verified signatures');
    });
  });

  it('records a verified signature in the caller’s transaction', async () => {
    const { svc, rows } = service();
    const m = {} as EntityManager;
    await svc.recordVerified(m, 'c1', 'IQ');
    expect(rows.recordVerified).toHaveBeenCalledWith(m, 'c1', 'IQ');
  });

  it('gathers a campaign’s counters for the stats', async () => {
    const { svc } = service({
      verified: jest.fn(async () => 12),
      byCountry: jest.fn(async () => [{ country: 'IQ', verified: 12 }]),
      byDay: jest.fn(async () => [{ day: '2026-05-01', verified: 12 }]),
      milestones: jest.fn(async () => [{ percent: 25, reachedAt: '2026-05-01T10:00:00.000Z' }]),
    });
    await expect(svc.campaignTally('c1')).resolves.toEqual({
      verified: 12,
      byCountry: [{ country: 'IQ', verified: 12 }],
      byDay: [{ day: '2026-05-01', verified: 12 }],
      milestones: [{ percent: 25, reachedAt: '2026-05-01T10:00:00.000Z' }],
    });
  });
});
