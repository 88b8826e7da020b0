import type { Queue } from 'bullmq';
import { oldestWaitingJobAt } from './producer-queue';

/** A queue whose getJobs answers `answer` (a promise that never settles: Redis not answering). */
const queueAnswering = (answer: Promise<unknown>) => ({ getJobs: jest.fn(() => answer) }) as unknown as Queue & { getJobs: jest.Mock };

describe('oldestWaitingJobAt', () => {
  it('reads the oldest waiting job (one, oldest first) and gives when it was added', async () => {
    const queue = queueAnswering(Promise.resolve([{ timestamp: 1_700_000_000_000 }]));
    await expect(oldestWaitingJobAt(queue)).resolves.toEqual(new Date(1_700_000_000_000));
    expect(queue.getJobs).toHaveBeenCalledWith(['wait'], 0, 0, true);
  });

  it('is null when no job waits', async () => {
    await expect(oldestWaitingJobAt(queueAnswering(Promise.resolve([])))).resolves.toBeNull();
  });

  it('is null when Redis refuses, and when it does not answer in time (a relay never hangs on it)', async () => {
    await expect(oldestWaitingJobAt(queueAnswering(Promise.reject(new Error('Connection is closed.'))))).resolves.toBeNull();
    const started = Date.now();
    await expect(oldestWaitingJobAt(queueAnswering(new Promise(() => undefined)), 50)).resolves.toBeNull();
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
