import { Logger } from '@nestjs/common';
import { simpleParser } from 'mailparser';
import type { EntityManager } from 'typeorm';
import { dsn } from '../../../test/support/dsn';
import { validateEnvironment } from '../../config/environment';
import { BouncesService } from './bounces.service';

/** A hard bounce marks its letter; repeated ones suppress the target, through the targets module, in one transaction. */
describe('BouncesService', () => {
  const env = validateEnvironment({ NODE_ENV: 'test', BOUNCE_SUPPRESS_AFTER: '3' });
  const m = { tx: true } as unknown as EntityManager;
  const letterId = '3f1e0b4c-8a1d-4c55-9a7e-0d5f4d2b9e11';

  function service(targetId: string | null, bounced: number, suppressed = true) {
    const bounces = {
      transaction: jest.fn(async <T>(fn: (tx: EntityManager) => Promise<T>) => fn(m)),
      markBounced: jest.fn(async () => targetId),
      countBounced: jest.fn(async () => bounced),
      failQueued: jest.fn(async () => undefined),
    };
    const targets = { suppress: jest.fn(async () => suppressed) };
    return { svc: new BouncesService(bounces as never, targets as never, env), bounces, targets };
  }

  beforeEach(() => {
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'debug').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  it('does nothing more for a letter that was not sent (or already bounced)', async () => {
    const { svc, bounces, targets } = service(null, 0);
    await expect(svc.recordBounce(letterId, '5.1.1')).resolves.toEqual({ bounced: false, suppressed: false });
    expect(bounces.countBounced).not.toHaveBeenCalled();
    expect(targets.suppress).not.toHaveBeenCalled();
  });

  it('keeps writing to a target below BOUNCE_SUPPRESS_AFTER hard bounces', async () => {
    const { svc, bounces, targets } = service('t1', 2);
    await expect(svc.recordBounce(letterId, '5.1.1')).resolves.toEqual({ bounced: true, suppressed: false });
    expect(bounces.markBounced).toHaveBeenCalledWith(m, letterId, '5.1.1');
    expect(bounces.countBounced).toHaveBeenCalledWith(m, 't1');
    expect(targets.suppress).not.toHaveBeenCalled();
    expect(bounces.failQueued).not.toHaveBeenCalled();
  });

  it('suppresses the target at BOUNCE_SUPPRESS_AFTER, in the same transaction, and fails its waiting letters', async () => {
    const { svc, bounces, targets } = service('t1', 3);
    await expect(svc.recordBounce(letterId, '5.1.1')).resolves.toEqual({ bounced: true, suppressed: true });
    expect(targets.suppress).toHaveBeenCalledWith(m, 't1');
    expect(bounces.failQueued).toHaveBeenCalledWith(m, 't1', 'target suppressed after repeated hard bounces');
    expect(bounces.transaction).toHaveBeenCalledTimes(1);
  });

  it('fails no letters again for a target suppressed already', async () => {
    const { svc, bounces } = service('t1', 4, false);
    await expect(svc.recordBounce(letterId, '5.1.1')).resolves.toEqual({ bounced: true, suppressed: false });
    expect(bounces.failQueued).not.toHaveBeenCalled();
  });

  it('records permanent failures for the bounce addresses among the recipients, and only those', async () => {
    const { svc, bounces } = service('t1', 1);
    const to = `bounce+${letterId}@nida.test`;
    await svc.handleReport([to, 'postmaster@nida.test'], await simpleParser(dsn('5.1.1', 'failed', to)));
    expect(bounces.markBounced).toHaveBeenCalledTimes(1);
    expect(bounces.markBounced).toHaveBeenCalledWith(m, letterId, '5.1.1');
  });

  it('only logs temporary failures and ignores automatic replies', async () => {
    const { svc, bounces } = service('t1', 1);
    const to = `bounce+${letterId}@nida.test`;
    await svc.handleReport([to], await simpleParser(dsn('4.2.2', 'delayed', to)));
    await svc.handleReport([to], await simpleParser('From: minister@example.org\r\nAuto-Submitted: auto-replied\r\nSubject: Out of office\r\n\r\nAway.\r\n'));
    expect(bounces.markBounced).not.toHaveBeenCalled();
  });
});
