import { BackgroundTasks } from '../../common/background-tasks';
import { validateEnvironment } from '../../config/environment';
import { SignaturesService } from './signatures.service';

/** The answer to a signing request must not wait for, or depend on, what a duplicate causes. */
describe('SignaturesService.sign', () => {
  const env = validateEnvironment({ NODE_ENV: 'test' });
  const dto = { name: 'Layla Hassan', email: 'layla@example.org', country: 'IQ' };
  const never = () => new Promise<never>(() => undefined);

  function service(insertNew: unknown, findBySlug: () => Promise<unknown>) {
    const tasks = new BackgroundTasks();
    const enqueue = jest.fn(async () => undefined);
    const svc = new SignaturesService(
      { insertNew: async () => insertNew } as never,
      { findBySlug } as never,
      {} as never,
      {} as never,
      { enqueue } as never,
      {} as never,
      env,
      tasks,
      {} as never,
    );
    return { svc, tasks, enqueue };
  }

  it('answers a duplicate without waiting for its email work', async () => {
    const findBySlug = jest.fn(never);
    const { svc } = service({ open: true, outboxId: null }, findBySlug);
    await expect(svc.sign('c', { ...dto }, '203.0.113.1')).resolves.toBeUndefined();
    expect(findBySlug).toHaveBeenCalledTimes(1); // started, still running
  });

  it('answers a new signer without waiting for the queue', async () => {
    const { svc, enqueue } = service({ open: true, outboxId: 'o1' }, never);
    enqueue.mockImplementation(never);
    await expect(svc.sign('c', { ...dto }, '203.0.113.1')).resolves.toBeUndefined();
    expect(enqueue).toHaveBeenCalledWith(['o1']);
  });

  it('tells 404 from 409 when the campaign takes no signatures', async () => {
    const draft = service({ open: false, outboxId: null }, async () => ({ status: 'draft' }));
    await expect(draft.svc.sign('c', { ...dto }, 'x')).rejects.toMatchObject({ code: 'CAMPAIGN_NOT_FOUND' });
    const closed = service({ open: false, outboxId: null }, async () => ({ status: 'closed' }));
    await expect(closed.svc.sign('c', { ...dto }, 'x')).rejects.toMatchObject({ code: 'CAMPAIGN_CLOSED' });
  });
});
