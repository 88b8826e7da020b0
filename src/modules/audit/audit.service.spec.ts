import type { EntityManager } from 'typeorm';
import { addressHash } from '../../common/keyed-hash';
import { encodeCursor } from '../../common/keyset-cursor';
import type { Principal } from '../../common/principal';
import { validateEnvironment } from '../../config/environment';
import type { AuditEventRecord, AuditRepository, NewAuditEvent } from './audit.repository';
import { AuditService } from './audit.service';

/** The audit's rules with its repository faked: whose organisation, which hash, what is never kept. */
const env = validateEnvironment({ NODE_ENV: 'test' });
const organiser: Principal = { id: 'u1', organisationId: 'org1', role: 'organiser' };
const admin: Principal = { id: 'a1', organisationId: 'org0', role: 'admin' };
const tx = { transaction: 'the caller’s' } as unknown as EntityManager;

function fakes() {
  const repo = {
    insert: jest.fn<ReturnType<AuditRepository['insert']>, Parameters<AuditRepository['insert']>>(async () => undefined),
    list: jest.fn<ReturnType<AuditRepository['list']>, Parameters<AuditRepository['list']>>(async () => []),
  } satisfies Record<keyof AuditRepository, jest.Mock>;
  const svc = new AuditService(repo as unknown as AuditRepository, env.app);
  const written = (): NewAuditEvent => repo.insert.mock.calls[repo.insert.mock.calls.length - 1][0];
  return { svc, repo, written };
}

describe('AuditService.record', () => {
  it('writes in the caller’s transaction when it is given one, else on its own', async () => {
    const f = fakes();
    await f.svc.record({ actor: organiser, action: 'auth.login' }, tx);
    expect(f.repo.insert.mock.calls[0][1]).toBe(tx);
    await f.svc.record({ actor: organiser, action: 'auth.login' });
    expect(f.repo.insert.mock.calls[1][1]).toBeUndefined();
  });

  it('names an organiser or an admin, and no one for the system or a supporter', async () => {
    const f = fakes();
    await f.svc.record({ actor: organiser, action: 'auth.login' });
    expect(f.written()).toMatchObject({ actorId: 'u1', actorKind: 'organiser' });
    await f.svc.record({ actor: admin, action: 'blocks.add' });
    expect(f.written()).toMatchObject({ actorId: 'a1', actorKind: 'admin' });
    await f.svc.record({ actor: 'system', action: 'retention.run' });
    expect(f.written()).toMatchObject({ actorId: null, actorKind: 'system', organisationId: null, organisationFromCampaign: false });
    await f.svc.record({ actor: 'supporter', action: 'privacy.erasure', campaignId: 'c1' });
    expect(f.written()).toMatchObject({ actorId: null, actorKind: 'supporter', campaignId: 'c1', organisationFromCampaign: true });
  });

  it('takes the organisation as given, else the campaign’s (resolved in the INSERT), else the actor’s', async () => {
    const f = fakes();
    await f.svc.record({ actor: admin, action: 'campaign.close', campaignId: 'c1', organisationId: 'org7' });
    expect(f.written()).toMatchObject({ organisationFromCampaign: false, organisationId: 'org7' });
    await f.svc.record({ actor: admin, action: 'campaign.close', campaignId: 'c1' });
    // The campaign's when it exists; the actor's is the fallback the INSERT uses otherwise.
    expect(f.written()).toMatchObject({ organisationFromCampaign: true, organisationId: 'org0', campaignId: 'c1' });
    await f.svc.record({ actor: organiser, action: 'auth.login' });
    expect(f.written()).toMatchObject({ organisationFromCampaign: false, organisationId: 'org1', campaignId: null });
    await f.svc.record({ actor: 'system', action: 'auth.login_failed', organisationId: null });
    expect(f.written()).toMatchObject({ organisationFromCampaign: false, organisationId: null });
  });

  it('keeps the address only as its keyed hash, the one signatures carry', async () => {
    const f = fakes();
    await f.svc.record({ actor: organiser, action: 'auth.login', ip: '203.0.113.9' });
    const event = f.written();
    expect(event.ipHash).toBe(addressHash(env.APP_SECRET!, '203.0.113.9'));
    expect(event.ipHash).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(JSON.stringify(event)).not.toContain('203.0.113.9');
    await f.svc.record({ actor: organiser, action: 'auth.login', ip: null });
    expect(f.written().ipHash).toBeNull();
    await f.svc.record({ actor: organiser, action: 'auth.login' });
    expect(f.written().ipHash).toBeNull();
  });

  it('never keeps a detail that could be an email, and cuts long ones', async () => {
    const f = fakes();
    await f.svc.record({ actor: organiser, action: 'blocks.add', details: { type: 'email', value: 'layla@example.org', n: 3, ok: true, none: null, long: 'x'.repeat(500) } });
    const { details } = f.written();
    expect(details).toEqual({ type: 'email', value: null, n: 3, ok: true, none: null, long: 'x'.repeat(200) });
  });
});

describe('AuditService.list', () => {
  const row = (id: string, at: string): AuditEventRecord => ({
    id,
    at: new Date(at.replace(/\d{3}Z$/, 'Z')),
    actorId: 'u1',
    actorKind: 'organiser',
    organisationId: 'org1',
    action: 'campaign.publish',
    campaignId: 'c1',
    subjectId: null,
    details: { from: 'draft', to: 'live' },
    ipHash: 'h',
    cursor: { at, id },
  });

  it('shows an organiser their organisation’s events, an admin all of them', async () => {
    const f = fakes();
    await f.svc.list(organiser, { limit: 10, campaignId: 'C0FFEE00-0000-4000-8000-000000000000', action: 'campaign.close' });
    expect(f.repo.list).toHaveBeenCalledWith({ organisationId: 'org1', campaignId: 'c0ffee00-0000-4000-8000-000000000000', action: 'campaign.close' }, null, 11);
    await f.svc.list(admin, { limit: 10 });
    expect(f.repo.list).toHaveBeenLastCalledWith({ organisationId: null, campaignId: null, action: null }, null, 11);
  });

  it('reads one row more than the page to know whether another follows, and hands its cursor', async () => {
    const f = fakes();
    const id = (n: number) => `00000000-0000-4000-8000-00000000000${n}`;
    f.repo.list.mockResolvedValue([row(id(3), '2026-05-01T10:00:03.000123Z'), row(id(2), '2026-05-01T10:00:02.000456Z'), row(id(1), '2026-05-01T10:00:01.000789Z')]);
    const page = await f.svc.list(organiser, { limit: 2 });
    expect(page.items.map((i) => i.id)).toEqual([id(3), id(2)]);
    expect(page.items[0]).toEqual({
      id: id(3),
      at: '2026-05-01T10:00:03.000Z',
      actorId: 'u1',
      actorKind: 'organiser',
      organisationId: 'org1',
      action: 'campaign.publish',
      campaignId: 'c1',
      subjectId: null,
      details: { from: 'draft', to: 'live' },
      ipHash: 'h',
    });
    expect(page.nextCursor).toBe(encodeCursor({ at: '2026-05-01T10:00:02.000456Z', id: id(2) }));
    await f.svc.list(organiser, { limit: 2, cursor: page.nextCursor! });
    expect(f.repo.list).toHaveBeenLastCalledWith(expect.anything(), { at: '2026-05-01T10:00:02.000456Z', id: id(2) }, 3);
  });

  it('refuses a cursor it never gave out with 400 VALIDATION_FAILED naming cursor, before any query', async () => {
    const f = fakes();
    await expect(f.svc.list(organiser, { limit: 2, cursor: 'bm9wZQ' })).rejects.toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    expect(f.repo.list).not.toHaveBeenCalled();
  });
});
