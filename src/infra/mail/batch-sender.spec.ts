import { BatchSender } from './batch-sender';

const tick = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));

/** A fake SMTP server: each send waits for the test to answer it (or answers after `ms`). */
function smtp(ms?: number) {
  const open: { id: number; done: () => void; fail: (e: Error) => void }[] = [];
  const order: number[] = [];
  let peak = 0;
  return {
    open,
    order,
    get peak() {
      return peak;
    },
    send: (id: number) =>
      new Promise<void>((done, fail) => {
        order.push(id);
        open.push({ id, done, fail });
        peak = Math.max(peak, open.length);
        if (ms !== undefined) {
          setTimeout(() => {
            open.splice(open.findIndex((o) => o.id === id), 1);
            done();
          }, ms);
        }
      }),
    answer(id: number, error?: Error) {
      const i = open.findIndex((o) => o.id === id);
      const [o] = open.splice(i, 1);
      if (error) o.fail(error);
      else o.done();
    },
  };
}

describe('BatchSender', () => {
  const ids = (n: number, from = 0) => Array.from({ length: n }, (_, i) => from + i);

  it('keeps the in-flight limit over every batch of the process, the batch started first first', async () => {
    const server = smtp(2);
    const sender = new BatchSender({ inFlight: 4, recordBudgetMs: 1000 });
    const recorded: number[] = [];
    const hooks = { send: server.send, recordSent: async (g: number[]) => void recorded.push(...g), recordFailure: async () => undefined };
    const [a, b] = await Promise.all([sender.run(ids(20), hooks), sender.run(ids(20, 100), hooks)]);
    expect(a).toEqual({ sent: 20, failed: 0, unsent: [] });
    expect(b).toEqual({ sent: 20, failed: 0, unsent: [] });
    expect(server.peak).toBe(4);
    expect(sender.inFlight).toBe(0);
    expect(recorded.sort((x, y) => x - y)).toEqual([...ids(20), ...ids(20, 100)]);
    // The second batch fills the pool only as the first runs out: its first message goes after the first batch's 17th.
    expect(server.order.indexOf(100)).toBeGreaterThanOrEqual(16);
  });

  it('records accepted messages in groups (group commit), each once, and all before it returns', async () => {
    const server = smtp(1);
    const groups: number[][] = [];
    const sender = new BatchSender({ inFlight: 5, recordBudgetMs: 1000, groupSize: 5, groupDelayMs: 5 });
    await sender.run(ids(200), {
      send: server.send,
      recordSent: async (g) => {
        await tick(3); // a statement's round trip
        groups.push(g);
      },
      recordFailure: async () => undefined,
    });
    const all = groups.flat();
    expect(all.sort((x, y) => x - y)).toEqual(ids(200));
    expect(groups.length).toBeLessThan(200 / 2);
  });

  it('retries recording in place and never sends again; gives up (throws) after its budget', async () => {
    const server = smtp(0);
    let failures = 2;
    const recorded: number[] = [];
    const sender = new BatchSender({ inFlight: 2, recordBudgetMs: 2000 });
    const result = await sender.run(ids(3), {
      send: server.send,
      recordSent: async (g) => {
        if (failures-- > 0) throw new Error('database away');
        recorded.push(...g);
      },
      recordFailure: async () => undefined,
    });
    expect(result.sent).toBe(3);
    expect(recorded.sort()).toEqual(ids(3));
    expect(server.order).toEqual(ids(3));

    const down = new BatchSender({ inFlight: 2, recordBudgetMs: 50 });
    await expect(
      down.run(ids(3), { send: server.send, recordSent: async () => Promise.reject(new Error('database away')), recordFailure: async () => undefined }),
    ).rejects.toThrow('database away');
  });

  it('hands failures to the owner and goes on with the rest', async () => {
    const server = smtp();
    const failed: [number, string][] = [];
    const sender = new BatchSender({ inFlight: 2, recordBudgetMs: 1000 });
    const run = sender.run(ids(4), {
      send: server.send,
      recordSent: async () => undefined,
      recordFailure: async (id, error) => void failed.push([id, (error as Error).message]),
    });
    await tick();
    server.answer(0, new Error('550'));
    await tick();
    server.answer(1);
    await tick();
    server.answer(2);
    await tick();
    server.answer(3, new Error('451'));
    expect(await run).toEqual({ sent: 2, failed: 2, unsent: [] });
    expect(failed).toEqual([
      [0, '550'],
      [3, '451'],
    ]);
  });

  it('stops between messages when no longer wanted (paused), finishing those in flight, and returns the rest unsent', async () => {
    const server = smtp();
    let wanted = true;
    const recorded: number[] = [];
    const sender = new BatchSender({ inFlight: 2, recordBudgetMs: 1000, checkEveryMs: 0 });
    const run = sender.run(ids(10), {
      send: server.send,
      recordSent: async (g) => void recorded.push(...g),
      recordFailure: async () => undefined,
      stillWanted: async () => wanted,
    });
    await tick();
    server.answer(0);
    await tick();
    wanted = false;
    server.answer(1);
    await tick();
    server.answer(2);
    const result = await run;
    expect(result.sent).toBe(3);
    expect(result.unsent).toEqual(ids(7, 3));
    expect(recorded.sort()).toEqual([0, 1, 2]);
    expect(server.order).toEqual([0, 1, 2]);
  });
});
