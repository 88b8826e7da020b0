import { Logger } from '@nestjs/common';
import { Queue } from 'bullmq';
import type { EntityManager } from 'typeorm';
import { validateEnvironment } from '../../config/environment';
import { LetterDispatchService } from './letter-dispatch.service';

/** What surrounds the release statement: one dispatcher at a time, lost jobs, the queue, one target's failure. */
describe('LetterDispatchService.dispatch', () => {
  // A Redis nobody listens on: addBulk is replaced below, so nothing is ever sent to it.
  const env = validateEnvironment({ NODE_ENV: 'test', REDIS_URL: 'redis://127.0.0.1:1', LETTER_PACE_PER_HOUR: '7', MAIL_REQUEUE_AFTER_SECONDS: '90', LETTER_SEND_BATCH: '2' });
  const m = { tx: true } as unknown as EntityManager;
  let addBulk: jest.SpyInstance;
  let logError: jest.SpyInstance;
  const services: LetterDispatchService[] = [];

  beforeEach(() => {
    addBulk = jest.spyOn(Queue.prototype, 'addBulk').mockResolvedValue([]);
    // No letter job waiting, unless a test says otherwise.
    jest.spyOn(Queue.prototype, 'getJobs').mockResolvedValue([]);
    logError = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());
  afterAll(() => Promise.all(services.map((s) => s.onModuleDestroy())));

  function service(over: { locked?: boolean; release?: jest.Mock; waiting?: string[]; lost?: string[] } = {}) {
    const calls: string[] = [];
    const letters = {
      transaction: jest.fn(async <T>(fn: (tx: EntityManager) => Promise<T>) => fn(m)),
      tryLock: jest.fn(async () => over.locked ?? true),
      release: over.release ?? jest.fn(async () => (calls.push('release'), [])),
      waitingTargets: jest.fn(async () => over.waiting ?? []),
      takeLost: jest.fn(async () => over.lost ?? []),
      markNotEnqueued: jest.fn(async () => undefined),
    };
    const targets = {
      recordDispatchErrors: jest.fn(async () => void calls.push('recordDispatchErrors')),
      setDispatchError: jest.fn(async () => undefined),
    };
    const svc = new LetterDispatchService(letters as never, targets as never, env);
    services.push(svc);
    return { svc, letters, targets, calls };
  }

  type Added = { name: string; data: { letterIds: string[] }; opts: { jobId: string } }[];
  /** The letter ids of the jobs added, in order (each job: at most LETTER_SEND_BATCH, 2 here). */
  const enqueuedIds = () => (addBulk.mock.calls[0][0] as Added).flatMap((j) => j.data.letterIds);
  const jobs = () => addBulk.mock.calls[0][0] as Added;

  it('releases at the pace, within the limit, then recovers lost letters, and enqueues both in batch jobs of LETTER_SEND_BATCH, keyed by their letters', async () => {
    const release = jest.fn(async () => ['a', 'b']);
    const { svc, letters, targets } = service({ release, lost: ['c'] });
    await expect(svc.dispatch(10)).resolves.toBe(3);
    expect(targets.recordDispatchErrors).toHaveBeenCalledWith(m);
    expect(release).toHaveBeenCalledWith(m, 7, 10, null);
    // No letter job waiting: the cut-off is now's alone.
    expect(letters.takeLost).toHaveBeenCalledWith(90, 10, null);
    expect(addBulk).toHaveBeenCalledTimes(1);
    expect(enqueuedIds()).toEqual(['a', 'b', 'c']);
    expect(jobs().map((j) => [j.name, j.data.letterIds])).toEqual([['letter.send-batch', ['a', 'b']], ['letter.send-batch', ['c']]]);
    expect(jobs()[0].opts.jobId).toMatch(/^batch-[0-9a-f]{32}$/);
    expect(jobs()[0].opts.jobId).not.toBe(jobs()[1].opts.jobId);
    expect(letters.markNotEnqueued).not.toHaveBeenCalled();

    // The same letters again: the same job ids (BullMQ queues each job once).
    const first = jobs().map((j) => j.opts.jobId);
    addBulk.mockClear();
    await svc.dispatch(10);
    expect(jobs().map((j) => j.opts.jobId)).toEqual(first);
  });

  it('says on the targets which zones cannot be evaluated before releasing', async () => {
    const { svc, calls } = service();
    await svc.dispatch();
    expect(calls).toEqual(['recordDispatchErrors', 'release']);
  });

  it('takes as lost only letters enqueued before the oldest letter job still waiting', async () => {
    const since = Date.now() - 300_000;
    const getJobs = jest.spyOn(Queue.prototype, 'getJobs').mockResolvedValue([{ timestamp: since }] as never);
    const { svc, letters } = service({ lost: ['c'] });
    await expect(svc.dispatch(10)).resolves.toBe(1);
    expect(getJobs).toHaveBeenCalledWith(['wait'], 0, 0, true);
    expect(letters.takeLost).toHaveBeenCalledWith(90, 10, new Date(since));
  });

  it('releases nothing while another dispatcher holds the lock, yet still recovers lost letters', async () => {
    const release = jest.fn(async () => ['never']);
    const { svc, targets } = service({ locked: false, release, lost: ['lost-1'] });
    await expect(svc.dispatch()).resolves.toBe(1);
    expect(release).not.toHaveBeenCalled();
    expect(targets.recordDispatchErrors).not.toHaveBeenCalled();
    expect(enqueuedIds()).toEqual(['lost-1']);
  });

  it('enqueues nothing when there is nothing to send', async () => {
    const { svc } = service();
    await expect(svc.dispatch()).resolves.toBe(0);
    expect(addBulk).not.toHaveBeenCalled();
  });

  it('gives every letter back when the enqueue fails (the next pass takes them), and throws', async () => {
    const down = new Error('Redis is away');
    addBulk.mockRejectedValue(down);
    const { svc, letters } = service({ release: jest.fn(async () => ['a']), lost: ['b'] });
    await expect(svc.dispatch()).rejects.toBe(down);
    expect(letters.markNotEnqueued).toHaveBeenCalledWith(['a', 'b']);
  });

  it('when the pass fails, releases target by target within what is left of the limit, and records and logs each failing target', async () => {
    const bad = Object.assign(new Error('invalid parameter'), { code: '22023' });
    const release = jest.fn(async (_m: EntityManager, _pace: number, limit: number, targetId: string | null) => {
      if (targetId === null || targetId === 't2') throw targetId === null ? new Error('one bad row') : bad;
      return Array.from({ length: Math.min(limit, 3) }, (_, i) => `${targetId}-${i}`);
    });
    const { svc, targets } = service({ release, waiting: ['t1', 't2', 't3', 't4'] });

    await expect(svc.dispatch(5)).resolves.toBe(5);

    expect(release.mock.calls.map((c) => [c[2], c[3]])).toEqual([[5, null], [5, 't1'], [2, 't2'], [2, 't3']]); // t4: limit reached
    expect(enqueuedIds()).toEqual(['t1-0', 't1-1', 't1-2', 't3-0', 't3-1']);
    expect(targets.setDispatchError).toHaveBeenCalledTimes(1);
    expect(targets.setDispatchError).toHaveBeenCalledWith(m, 't2', 'dispatch failed (22023)');
    expect(logError).toHaveBeenCalledTimes(1);
    expect(logError.mock.calls[0][0]).toMatchObject({ targetId: 't2' });
  });
});
