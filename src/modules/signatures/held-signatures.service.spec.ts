import type { EntityManager } from 'typeorm';
import type { Principal } from '../../common/principal';
import { validateEnvironment } from '../../config/environment';
import type { AuditService } from '../audit/audit.service';
import { CampaignErrors } from '../campaigns/campaigns.errors';
import type { CampaignsService } from '../campaigns/campaigns.service';
import type { MailOutboxService } from '../mail/mail-outbox.service';
import type { HeldSignaturesRepository } from './held-signatures.repository';
import { HeldSignaturesService } from './held-signatures.service';
import { encodeCursor } from '../../common/keyset-cursor';
import type { SignaturesRepository } from './signatures.repository';

/** Held signatures' rules with the repositories and the other modules' services faked. */
const env = validateEnvironment({ NODE_ENV: 'test', SIGNATURE_MAX_EMAILS: '4' });
const principal: Principal = { id: 'u1', organisationId: 'org1', role: 'organiser' };
const tx = { transaction: 'the releasing one' } as unknown as EntityManager;

function fakes() {
  const held = {
    list: jest.fn<ReturnType<HeldSignaturesRepository['list']>, Parameters<HeldSignaturesRepository['list']>>(async () => []),
    release: jest.fn<ReturnType<HeldSignaturesRepository['release']>, Parameters<HeldSignaturesRepository['release']>>(async () => []),
    discard: jest.fn<ReturnType<HeldSignaturesRepository['discard']>, Parameters<HeldSignaturesRepository['discard']>>(async () => 0),
  } satisfies Record<keyof HeldSignaturesRepository, jest.Mock>;
  const signatures = {
    transaction: jest.fn((fn: (m: EntityManager) => Promise<unknown>) => fn(tx)),
    insertToken: jest.fn<ReturnType<SignaturesRepository['insertToken']>, Parameters<SignaturesRepository['insertToken']>>(async () => undefined),
  };
  const campaigns = {
    owned: jest.fn<ReturnType<CampaignsService['owned']>, Parameters<CampaignsService['owned']>>(
      async () => ({ id: 'c1' }) as Awaited<ReturnType<CampaignsService['owned']>>,
    ),
  };
  let n = 0;
  const mail = {
    add: jest.fn<ReturnType<MailOutboxService['add']>, Parameters<MailOutboxService['add']>>(async () => `o${++n}`),
    enqueue: jest.fn<ReturnType<MailOutboxService['enqueue']>, Parameters<MailOutboxService['enqueue']>>(async () => undefined),
  };
  const audit = { record: jest.fn<ReturnType<AuditService['record']>, Parameters<AuditService['record']>>(async () => undefined) };
  const svc = new HeldSignaturesService(
    held as unknown as HeldSignaturesRepository,
    signatures as unknown as SignaturesRepository,
    campaigns as unknown as CampaignsService,
    mail as unknown as MailOutboxService,
    env,
    audit as unknown as AuditService,
  );
  return { svc, held, signatures, campaigns, mail, audit };
}

describe('HeldSignaturesService.release', () => {
  it('mails each released signature under the cap: a token and an outbox row in the same transaction, enqueued after it', async () => {
    const f = fakes();
    f.held.release.mockResolvedValue([
      { id: 's1', mail: true },
      { id: 's2', mail: false },
      { id: 's3', mail: true },
    ]);
    f.mail.enqueue.mockImplementation(async () => {
      expect(f.signatures.transaction.mock.results[0]).toBeDefined(); // after the transaction ran
    });
    await expect(f.svc.release(principal, 'c1', { ids: ['S1', 's1', 's2', 's3'] })).resolves.toEqual({ released: 3 });
    expect(f.campaigns.owned).toHaveBeenCalledWith(principal, 'c1', 'lead');
    expect(f.held.release).toHaveBeenCalledWith(tx, 'c1', { ids: ['s1', 's2', 's3'], reason: null }, 4);
    expect(f.signatures.insertToken.mock.calls.map((c) => [c[0], c[1]])).toEqual([
      [tx, 's1'],
      [tx, 's3'],
    ]);
    expect(f.mail.add.mock.calls.map(([m, mail]) => [m, mail.kind, mail.signatureId])).toEqual([
      [tx, 'signature.confirmation', 's1'],
      [tx, 'signature.confirmation', 's3'],
    ]);
    // The email carries the seed; the database only the token's hash.
    const [, , hash] = f.signatures.insertToken.mock.calls[0];
    expect(hash).not.toEqual(f.mail.add.mock.calls[0][1].tokenSeed);
    expect(f.mail.enqueue).toHaveBeenCalledWith(['o1', 'o2']);
    expect(f.audit.record).toHaveBeenCalledWith(
      {
        actor: principal,
        action: 'signatures.release',
        campaignId: 'c1',
        details: { selection: 'ids', ids: 3, heldReason: null, released: 3, mailed: 2 },
        ip: null,
      },
      tx,
    );
  });

  it('releases every held one (of a reason) with all: true', async () => {
    const f = fakes();
    await f.svc.release(principal, 'c1', { all: true, reason: 'ip_burst' });
    expect(f.held.release).toHaveBeenCalledWith(tx, 'c1', { ids: null, reason: 'ip_burst' }, 4);
    expect(f.mail.enqueue).toHaveBeenCalledWith([]);
  });

  it.each([[{}], [{ all: false }], [{ ids: ['s1'], all: true }]])('refuses %j with HELD_SELECTION_REQUIRED, before reading anything', async (dto) => {
    const f = fakes();
    await expect(f.svc.release(principal, 'c1', dto)).rejects.toMatchObject({ status: 400, code: 'HELD_SELECTION_REQUIRED' });
    await expect(f.svc.discard(principal, 'c1', dto)).rejects.toMatchObject({ status: 400, code: 'HELD_SELECTION_REQUIRED' });
    expect(f.campaigns.owned).not.toHaveBeenCalled();
    expect(f.held.release).not.toHaveBeenCalled();
    expect(f.held.discard).not.toHaveBeenCalled();
  });

  it('changes nothing for a campaign the caller may not act for', async () => {
    const f = fakes();
    f.campaigns.owned.mockRejectedValue(CampaignErrors.forbidden());
    await expect(f.svc.release(principal, 'c1', { all: true })).rejects.toMatchObject({ code: 'CAMPAIGN_FORBIDDEN' });
    await expect(f.svc.discard(principal, 'c1', { all: true })).rejects.toMatchObject({ code: 'CAMPAIGN_FORBIDDEN' });
    await expect(f.svc.list(principal, 'c1', { limit: 10 })).rejects.toMatchObject({ code: 'CAMPAIGN_FORBIDDEN' });
    expect(f.signatures.transaction).not.toHaveBeenCalled();
    expect(f.held.discard).not.toHaveBeenCalled();
    expect(f.held.list).not.toHaveBeenCalled();
  });
});

describe('HeldSignaturesService.discard', () => {
  it('deletes the selection and says how many', async () => {
    const f = fakes();
    f.held.discard.mockResolvedValue(2);
    await expect(f.svc.discard(principal, 'c1', { ids: ['s1', 's2'] })).resolves.toEqual({ discarded: 2 });
    expect(f.held.discard).toHaveBeenCalledWith(tx, 'c1', { ids: ['s1', 's2'], reason: null });
    expect(f.mail.add).not.toHaveBeenCalled();
  });

  it('is audited in its transaction: who, which campaign, how many, never whose', async () => {
    const f = fakes();
    f.held.discard.mockResolvedValue(2);
    await f.svc.discard(principal, 'c1', { all: true, reason: 'honeypot' }, '192.0.2.7');
    expect(f.audit.record).toHaveBeenCalledWith(
      {
        actor: principal,
        action: 'signatures.discard',
        campaignId: 'c1',
        details: { selection: 'all', ids: null, heldReason: 'honeypot', discarded: 2 },
        ip: '192.0.2.7',
      },
      tx,
    );
  });
});

describe('HeldSignaturesService.list', () => {
  const row = (id: string, micros: string) => ({
    id,
    name: 'Omar Ali',
    country: 'IQ',
    city: null,
    heldReason: 'ip_burst',
    createdAt: new Date('2026-05-01T10:00:00.000Z'),
    emailDomain: 'example.org',
    cursor: { at: `2026-05-01T10:00:00.000${micros}Z`, id },
  });
  const a = '1b4e28ba-2fa1-41d2-883f-0016d3cca42a';
  const b = '1b4e28ba-2fa1-41d2-883f-0016d3cca42b';
  const c = '1b4e28ba-2fa1-41d2-883f-0016d3cca42c';

  it('reads one more than the page to know whether another follows, and gives the last row\'s cursor', async () => {
    const f = fakes();
    f.held.list.mockResolvedValue([row(c, '003'), row(b, '002'), row(a, '001')]);
    const page = await f.svc.list(principal, 'c1', { limit: 2 });
    expect(f.held.list).toHaveBeenCalledWith('c1', null, null, 3);
    expect(page.items.map((i) => i.id)).toEqual([c, b]);
    expect(page.items[0]).toEqual({
      id: c,
      name: 'Omar Ali',
      country: 'IQ',
      city: null,
      heldReason: 'ip_burst',
      createdAt: '2026-05-01T10:00:00.000Z',
      emailDomain: 'example.org',
    });
    expect(page.nextCursor).toBe(encodeCursor({ at: '2026-05-01T10:00:00.000002Z', id: b }));

    f.held.list.mockResolvedValue([row(a, '001')]);
    const last = await f.svc.list(principal, 'c1', { limit: 2, cursor: page.nextCursor!, reason: 'ip_burst' });
    expect(f.held.list).toHaveBeenLastCalledWith('c1', 'ip_burst', { at: '2026-05-01T10:00:00.000002Z', id: b }, 3);
    expect(last.nextCursor).toBeNull();
  });

  it('refuses a cursor it did not give with 400 VALIDATION_FAILED naming it', async () => {
    const f = fakes();
    await expect(f.svc.list(principal, 'c1', { limit: 2, cursor: 'forged' })).rejects.toMatchObject({
      status: 400,
      code: 'VALIDATION_FAILED',
      details: [{ field: 'cursor' }],
    });
    expect(f.held.list).not.toHaveBeenCalled();
  });
});
