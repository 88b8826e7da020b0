import type { Principal } from '../../common/principal';
import type { EntityManager } from 'typeorm';
import { LetterDeliveriesService } from './letter-deliveries.service';

/** The face of letter deliveries to other modules and organisers. */
describe('LetterDeliveriesService', () => {
  const principal: Principal = { id: 'o1', organisationId: 'org1', role: 'organiser' };

  function service(owned: () => Promise<unknown>) {
    const letters = {
      createForSignature: jest.fn(async () => 2),
      cancelForSignatures: jest.fn(async () => 3),
      list: jest.fn(async () => ({
        total: 1,
        rows: [
          {
            id: 'l1',
            targetId: 't1',
            targetName: 'Minister',
            signatureId: 's1',
            status: 'sent' as const,
            attempts: 1,
            lastError: null,
            messageId: '<letter-l1@nida.test>',
            createdAt: new Date('2026-11-28T10:00:00Z'),
            sentAt: new Date('2026-11-28T10:00:05Z'),
          },
        ],
      })),
    };
    return { svc: new LetterDeliveriesService(letters as never, { owned: jest.fn(owned) } as never), letters };
  }

  it('creates the letters of a signature in the caller\'s transaction', async () => {
    const m = { tx: true } as unknown as EntityManager;
    const { svc, letters } = service(async () => ({}));
    await expect(svc.createForSignature(m, 'c1', 's1')).resolves.toBe(2);
    expect(letters.createForSignature).toHaveBeenCalledWith(m, 'c1', 's1');
  });

  it('cancels the unsent letters of invalidated signatures in the caller\'s transaction, and asks nothing for none', async () => {
    const m = { tx: true } as unknown as EntityManager;
    const { svc, letters } = service(async () => ({}));
    await expect(svc.cancelForSignatures(m, ['s1', 's2'], 'x'.repeat(600))).resolves.toBe(3);
    expect(letters.cancelForSignatures).toHaveBeenCalledWith(m, ['s1', 's2'], 'x'.repeat(500));
    await expect(svc.cancelForSignatures(m, [], 'none')).resolves.toBe(0);
    expect(letters.cancelForSignatures).toHaveBeenCalledTimes(1);
  });

  it('lists a campaign\'s letters only for its organisers, with dates as ISO strings', async () => {
    const { svc, letters } = service(async () => ({ id: 'c1' }));
    const page = await svc.list(principal, 'c1', { page: 2, pageSize: 10, status: 'sent' });
    expect(letters.list).toHaveBeenCalledWith('c1', { status: 'sent', targetId: undefined }, 2, 10);
    expect(page).toEqual({
      items: [expect.objectContaining({ id: 'l1', createdAt: '2026-11-28T10:00:00.000Z', sentAt: '2026-11-28T10:00:05.000Z' })],
      total: 1,
      page: 2,
      pageSize: 10,
    });

    const forbidden = Object.assign(new Error('another organisation'), { code: 'CAMPAIGN_FORBIDDEN' });
    const other = service(async () => Promise.reject(forbidden));
    await expect(other.svc.list(principal, 'c1', { page: 1, pageSize: 50 })).rejects.toBe(forbidden);
    expect(other.letters.list).not.toHaveBeenCalled();
  });
});
