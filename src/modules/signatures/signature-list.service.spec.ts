import type { Readable } from 'node:stream';
import { AppError } from '../../common/app-error';
import { decodeCursor } from '../../common/keyset-cursor';
import type { Principal } from '../../common/principal';
import { BlindIndex } from '../../infra/crypto/blind-index';
import type { AuditService } from '../audit/audit.service';
import { CampaignErrors } from '../campaigns/campaigns.errors';
import type { CampaignsService } from '../campaigns/campaigns.service';
import type { ListedSignature, SignatureListRepository } from './signature-list.repository';
import { EXPORT_COLUMNS, SignatureListService } from './signature-list.service';

/** The list and export's rules with the repository and the other modules' services faked. */
const principal: Principal = { id: 'u1', organisationId: 'org1', role: 'organiser' };
const index = new BlindIndex('a-test-secret');

function signature(n: number, extra: Partial<ListedSignature> = {}): ListedSignature {
  return {
    id: `00000000-0000-4000-8000-00000000000${n}`,
    status: 'verified',
    country: 'IQ',
    createdAt: new Date('2026-11-30T10:00:00Z'),
    verifiedAt: null,
    name: `ليلى ${n}`,
    city: null,
    comment: null,
    showName: false,
    contactConsent: false,
    replyConsent: false,
    locale: 'ar',
    heldReason: null,
    anonymised: false,
    email: null,
    cursor: { at: `2026-11-30T10:00:00.00000${n}Z`, id: `00000000-0000-4000-8000-00000000000${n}` },
    ...extra,
  };
}

function fakes() {
  const repo = {
    page: jest.fn<ReturnType<SignatureListRepository['page']>, Parameters<SignatureListRepository['page']>>(async () => []),
    count: jest.fn<ReturnType<SignatureListRepository['count']>, Parameters<SignatureListRepository['count']>>(async () => 0),
    all: jest.fn<ReturnType<SignatureListRepository['all']>, Parameters<SignatureListRepository['all']>>(),
  };
  const campaigns = {
    access: jest.fn<ReturnType<CampaignsService['access']>, Parameters<CampaignsService['access']>>(
      async () =>
        ({ campaign: { id: 'c1', slug: 'save-the-marshes' }, organisationId: 'org1', level: 'lead' }) as Awaited<ReturnType<CampaignsService['access']>>,
    ),
  };
  const audit = { record: jest.fn<ReturnType<AuditService['record']>, Parameters<AuditService['record']>>(async () => undefined) };
  const svc = new SignatureListService(
    repo as unknown as SignatureListRepository,
    campaigns as unknown as CampaignsService,
    index,
    audit as unknown as AuditService,
  );
  return { svc, repo, campaigns, audit };
}

const read = async (stream: Readable) => {
  let text = '';
  for await (const chunk of stream) text += String(chunk);
  return text;
};

describe('SignatureListService.list', () => {
  it('asks for one row more than the page and gives the cursor of its last row', async () => {
    const f = fakes();
    f.repo.page.mockResolvedValue([signature(1), signature(2), signature(3)]);
    const res = await f.svc.list(principal, 'c1', { limit: 2, status: 'held', country: 'EG', email: 'Layla@Example.org' });
    expect(f.repo.page).toHaveBeenCalledWith({ campaignId: 'c1', organisationId: 'org1', consentedOnly: false, campaign: expect.anything() }, { status: 'held', country: 'EG', from: null, to: null, emailHash: index.email('layla@example.org') }, null, 3);
    expect(res.items.map((i) => i.name)).toEqual(['ليلى 1', 'ليلى 2']);
    expect(decodeCursor(res.nextCursor!)).toEqual(signature(2).cursor);
  });

  it('reads dates as UTC and refuses an empty range or a bad cursor before any query', async () => {
    const f = fakes();
    await f.svc.list(principal, 'c1', { limit: 50, from: '2026-01-01', to: '2026-01-02T03:00' });
    expect(f.repo.page.mock.calls[0][1]).toMatchObject({ from: new Date('2026-01-01T00:00:00Z'), to: new Date('2026-01-02T03:00:00Z') });
    for (const query of [{ limit: 50, from: '2026-01-02', to: '2026-01-02' }, { limit: 50, cursor: 'x' }]) {
      await expect(f.svc.list(principal, 'c1', query)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    }
    expect(f.repo.page).toHaveBeenCalledTimes(1);
  });
});

describe('SignatureListService.export', () => {
  it('records the export before streaming: BOM, header, neutralised cells, booleans as words', async () => {
    const f = fakes();
    f.repo.count.mockResolvedValue(3);
    f.repo.all.mockImplementation(async function* () {
      yield [signature(1, { name: '=HYPERLINK("x")', contactConsent: true, email: '+x@example.org' })];
      yield [signature(2, { anonymised: true, name: null }), signature(3, { city: 'البصرة, العراق' })];
    });
    const file = await f.svc.export(principal, 'c1', { status: 'verified', email: 'a@b.org' }, '10.0.0.1');
    expect(f.audit.record).toHaveBeenCalledWith({
      actor: principal,
      action: 'signatures.export',
      campaignId: 'c1',
      details: { rows: 3, status: 'verified', country: null, from: null, to: null, email: true },
      ip: '10.0.0.1',
    });
    expect(f.repo.all).not.toHaveBeenCalled(); // nothing read until the client reads
    expect(file.filename).toBe('save-the-marshes-signatures.csv');
    const lines = (await read(file.body)).split('\r\n');
    expect(lines[0]).toBe('\ufeff' + EXPORT_COLUMNS.join(','));
    expect(lines[1]).toContain(`,"'=HYPERLINK(""x"")",`);
    expect(lines[1].endsWith(",'+x@example.org")).toBe(true);
    expect(lines[1]).toContain(',false,true,false,ar,,false,');
    expect(lines[2]).toContain(',true,');
    expect(lines[3]).toContain(',"البصرة, العراق",');
    expect(lines).toHaveLength(5); // header, 3 rows, and the empty string after the last CRLF
  });

  it('refuses another organisation before recording or reading anything', async () => {
    const f = fakes();
    f.campaigns.access.mockRejectedValue(CampaignErrors.forbidden());
    await expect(f.svc.export(principal, 'c1', {})).rejects.toBeInstanceOf(AppError);
    expect(f.audit.record).not.toHaveBeenCalled();
    expect(f.repo.count).not.toHaveBeenCalled();
  });
});
