import type { EntityManager } from 'typeorm';
import type { Principal } from '../../common/principal';
import type { AuditService } from '../audit/audit.service';
import { CampaignErrors } from '../campaigns/campaigns.errors';
import type { CampaignsService } from '../campaigns/campaigns.service';
import type { LetterDeliveriesService } from '../letter-deliveries/letter-deliveries.service';
import type { TallyService } from '../tally/tally.service';
import type { CreateInvalidationDto } from './dto/create-invalidation.dto';
import type { InvalidationRecord, InvalidationsRepository } from './invalidations.repository';
import { InvalidationsService, matchOf, removalsOf } from './invalidations.service';

/** Bulk invalidation's rules with the repository and the other modules' services faked. */
const principal: Principal = { id: 'u1', organisationId: 'org1', role: 'organiser' };
const tx = { transaction: 'the invalidating one' } as unknown as EntityManager;
type Repo = InvalidationsRepository;

const record = (matched: number): InvalidationRecord => ({
  id: 'i1',
  campaignId: 'c1',
  criteria: { domain: 'bots.example' },
  reason: 'flood',
  matched,
  createdBy: 'u1',
  createdAt: new Date('2026-05-01T10:00:00Z'),
  cursor: { at: '2026-05-01T10:00:00.000000Z', id: 'i1' },
});

function fakes() {
  const repo = {
    transaction: jest.fn((fn: (m: EntityManager) => Promise<unknown>) => fn(tx)),
    countMatching: jest.fn<ReturnType<Repo['countMatching']>, Parameters<Repo['countMatching']>>(async () => new Map()),
    lockMatching: jest.fn<ReturnType<Repo['lockMatching']>, Parameters<Repo['lockMatching']>>(async () => []),
    insert: jest.fn<ReturnType<Repo['insert']>, Parameters<Repo['insert']>>(async () => 'i1'),
    setMatched: jest.fn<ReturnType<Repo['setMatched']>, Parameters<Repo['setMatched']>>(async (_m, _id, n) => record(n)),
    invalidate: jest.fn<ReturnType<Repo['invalidate']>, Parameters<Repo['invalidate']>>(async () => []),
    deleteUnconfirmed: jest.fn<ReturnType<Repo['deleteUnconfirmed']>, Parameters<Repo['deleteUnconfirmed']>>(async () => 0),
    list: jest.fn<ReturnType<Repo['list']>, Parameters<Repo['list']>>(async () => []),
  } satisfies Record<keyof Repo, jest.Mock>;
  const campaigns = {
    owned: jest.fn<ReturnType<CampaignsService['owned']>, Parameters<CampaignsService['owned']>>(
      async () => ({ id: 'c1' }) as Awaited<ReturnType<CampaignsService['owned']>>,
    ),
  };
  const tally = {
    recordInvalidated: jest.fn<ReturnType<TallyService['recordInvalidated']>, Parameters<TallyService['recordInvalidated']>>(async () => undefined),
  };
  const letters = {
    cancelForSignatures: jest.fn<ReturnType<LetterDeliveriesService['cancelForSignatures']>, Parameters<LetterDeliveriesService['cancelForSignatures']>>(
      async () => 0,
    ),
  };
  const audit = { record: jest.fn<ReturnType<AuditService['record']>, Parameters<AuditService['record']>>(async () => undefined) };
  const svc = new InvalidationsService(
    repo as unknown as InvalidationsRepository,
    campaigns as unknown as CampaignsService,
    tally as unknown as TallyService,
    letters as unknown as LetterDeliveriesService,
    audit as unknown as AuditService,
  );
  return { svc, repo, campaigns, tally, letters, audit };
}

describe('InvalidationsService.create', () => {
  it('a dry run counts by status and writes nothing', async () => {
    const f = fakes();
    f.repo.countMatching.mockResolvedValue(new Map([['verified', 3], ['pending', 1], ['held', 2]]));
    await expect(f.svc.create(principal, 'c1', { domain: 'Bots.Example', dryRun: true })).resolves.toEqual({
      dryRun: true,
      matched: 6,
      counted: 3,
      unconfirmed: 3,
      invalidation: null,
    });
    expect(f.repo.countMatching).toHaveBeenCalledWith('c1', expect.objectContaining({ domain: 'bots.example', statuses: ['verified', 'pending', 'held'] }));
    expect(f.repo.transaction).not.toHaveBeenCalled();
    expect(f.audit.record).not.toHaveBeenCalled();
  });

  it('in one transaction: records it, locks the matches, invalidates the verified, deletes the rest, takes them out of the tally and cancels their letters', async () => {
    const f = fakes();
    f.repo.lockMatching.mockResolvedValue([
      { id: 'v1', status: 'verified' },
      { id: 'p1', status: 'pending' },
      { id: 'v2', status: 'verified' },
      { id: 'h1', status: 'held' },
      { id: 'v3', status: 'verified' },
    ]);
    f.repo.invalidate.mockResolvedValue([
      { id: 'v1', country: 'IQ', day: '2026-01-02' },
      { id: 'v2', country: 'IQ', day: '2026-01-02' },
      { id: 'v3', country: 'SY', day: '2026-05-01' },
    ]);
    f.repo.deleteUnconfirmed.mockResolvedValue(2);
    const result = await f.svc.create(principal, 'c1', { domain: 'bots.example', reason: 'flood' });

    expect(f.repo.insert).toHaveBeenCalledWith(tx, { campaignId: 'c1', criteria: { domain: 'bots.example' }, reason: 'flood', createdBy: 'u1' });
    expect(f.repo.lockMatching).toHaveBeenCalledWith(tx, 'c1', expect.objectContaining({ domain: 'bots.example' }));
    expect(f.repo.invalidate).toHaveBeenCalledWith(tx, ['v1', 'v2', 'v3'], 'i1');
    expect(f.repo.deleteUnconfirmed).toHaveBeenCalledWith(tx, ['p1', 'h1']);
    expect(f.tally.recordInvalidated).toHaveBeenCalledWith(tx, 'c1', [
      { country: 'IQ', day: '2026-01-02', count: 2 },
      { country: 'SY', day: '2026-05-01', count: 1 },
    ]);
    expect(f.letters.cancelForSignatures).toHaveBeenCalledWith(tx, ['v1', 'v2', 'v3'], expect.stringContaining('i1'));
    expect(f.repo.setMatched).toHaveBeenCalledWith(tx, 'i1', 5);
    expect(f.audit.record).toHaveBeenCalledWith(
      {
        actor: principal,
        action: 'signatures.invalidate',
        campaignId: 'c1',
        subjectId: 'i1',
        details: { criteria: 'domain', matched: 5, counted: 3, unconfirmed: 2 },
        ip: null,
      },
      tx,
    );
    expect(result).toEqual({
      dryRun: false,
      matched: 5,
      counted: 3,
      unconfirmed: 2,
      invalidation: {
        id: 'i1',
        campaignId: 'c1',
        criteria: { domain: 'bots.example' },
        reason: 'flood',
        matched: 5,
        createdBy: 'u1',
        createdAt: '2026-05-01T10:00:00.000Z',
      },
    });
  });

  it('audits the criteria by name, never an email pattern itself', async () => {
    const f = fakes();
    await f.svc.create(principal, 'c1', { emailPattern: 'layla.hassan@example.org', from: '2026-01-01', reason: 'her request' }, '192.0.2.7');
    const [entry, m] = f.audit.record.mock.calls[0];
    expect(m).toBe(tx);
    expect(entry.details).toEqual({ criteria: 'emailPattern,from', matched: 0, counted: 0, unconfirmed: 0 });
    expect(JSON.stringify(entry)).not.toMatch(/layla|her request/);
  });

  it('counts only what it changed: a locked row that was no longer verified is not taken out of the tally', async () => {
    const f = fakes();
    f.repo.lockMatching.mockResolvedValue([{ id: 'v1', status: 'verified' }]);
    f.repo.invalidate.mockResolvedValue([]);
    const result = await f.svc.create(principal, 'c1', { domain: 'bots.example', reason: 'flood' });
    expect(result).toMatchObject({ matched: 0, counted: 0, unconfirmed: 0 });
    expect(f.tally.recordInvalidated).toHaveBeenCalledWith(tx, 'c1', []);
    expect(f.letters.cancelForSignatures).toHaveBeenCalledWith(tx, [], expect.any(String));
  });

  it('changes nothing for a campaign the caller may not act for', async () => {
    const f = fakes();
    f.campaigns.owned.mockRejectedValue(CampaignErrors.forbidden());
    await expect(f.svc.create(principal, 'c1', { domain: 'x.org', reason: 'r' })).rejects.toMatchObject({ code: 'CAMPAIGN_FORBIDDEN' });
    await expect(f.svc.list(principal, 'c1', { limit: 5 })).rejects.toMatchObject({ code: 'CAMPAIGN_FORBIDDEN' });
    expect(f.repo.transaction).not.toHaveBeenCalled();
    expect(f.repo.list).not.toHaveBeenCalled();
  });
});

describe('matchOf (the criteria)', () => {
  const dto = (d: Partial<CreateInvalidationDto>): CreateInvalidationDto => ({ reason: 'r', ...d });

  it('needs one criterion that narrows by source or time; status alone does not', () => {
    expect(() => matchOf(dto({}))).toThrow(expect.objectContaining({ code: 'INVALIDATION_CRITERIA_REQUIRED' }));
    expect(() => matchOf(dto({ status: 'verified' }))).toThrow(expect.objectContaining({ code: 'INVALIDATION_CRITERIA_REQUIRED' }));
  });

  it('reads dates as UTC, a date alone as its midnight, and refuses an empty range', () => {
    const { match, criteria } = matchOf(dto({ from: '2026-05-01', to: '2026-05-02T06:00' }));
    expect(match.from?.toISOString()).toBe('2026-05-01T00:00:00.000Z');
    expect(match.to?.toISOString()).toBe('2026-05-02T06:00:00.000Z');
    expect(criteria).toEqual({ from: '2026-05-01T00:00:00.000Z', to: '2026-05-02T06:00:00.000Z' });
    expect(matchOf(dto({ from: '2026-05-01T03:00:00+03:00' })).match.from?.toISOString()).toBe('2026-05-01T00:00:00.000Z');
    expect(() => matchOf(dto({ from: '2026-05-02', to: '2026-05-02' }))).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
    expect(() => matchOf(dto({ from: '2026-W18' }))).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
  });

  it('lowers the domain, keeps the pattern and the status, and records the criteria as given', () => {
    const { match, criteria } = matchOf(dto({ domain: 'Bots.Example', emailPattern: 'Bot_*@x.org', status: 'held', ipHash: 'a'.repeat(43) }));
    expect(match).toMatchObject({ domain: 'bots.example', emailPattern: 'Bot_*@x.org', statuses: ['held'], ipHash: 'a'.repeat(43) });
    expect(criteria).toEqual({ domain: 'bots.example', emailPattern: 'Bot_*@x.org', status: 'held', ipHash: 'a'.repeat(43) });
  });
});

describe('removalsOf', () => {
  it('groups invalidated signatures by the country and day they were counted on', () => {
    expect(
      removalsOf([
        { id: '1', country: 'IQ', day: '2026-05-01' },
        { id: '2', country: 'IQ', day: '2026-05-02' },
        { id: '3', country: 'IQ', day: '2026-05-01' },
      ]),
    ).toEqual([
      { country: 'IQ', day: '2026-05-01', count: 2 },
      { country: 'IQ', day: '2026-05-02', count: 1 },
    ]);
  });
});
