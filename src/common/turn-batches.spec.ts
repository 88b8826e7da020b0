import { TurnBatches } from './turn-batches';

/** A run whose calls stay open until the test ends them. */
function heldRun() {
  const calls: { items: number[]; end: (answers?: number[]) => void; fail: (e: Error) => void }[] = [];
  const run = (items: number[]) =>
    new Promise<number[]>((resolve, reject) => {
      calls.push({ items, end: (answers) => resolve(answers ?? items.map((i) => i * 10)), fail: reject });
    });
  return { calls, run };
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('TurnBatches', () => {
  it('sends the items of one turn in one call, at its end, and answers each in order', async () => {
    const { calls, run } = heldRun();
    const batches = new TurnBatches(run, { maxBatch: 10, maxCalls: 2 });
    const answers = Promise.all([1, 2, 3].map((i) => batches.add(i)));
    expect(calls).toHaveLength(0);
    await nextTurn();
    expect(calls.map((c) => c.items)).toEqual([[1, 2, 3]]);
    calls[0].end();
    await expect(answers).resolves.toEqual([10, 20, 30]);
  });

  it('below maxCalls a new turn gets a call of its own; at it, items wait and go together (at most maxBatch)', async () => {
    const { calls, run } = heldRun();
    const batches = new TurnBatches(run, { maxBatch: 3, maxCalls: 2 });
    const first = batches.add(1);
    await nextTurn();
    const second = batches.add(2);
    await nextTurn();
    expect(calls.map((c) => c.items)).toEqual([[1], [2]]);
    const waiting = [3, 4, 5, 6, 7].map((i) => batches.add(i));
    await nextTurn();
    expect(calls).toHaveLength(2); // both callers busy
    calls[0].end();
    await first;
    await nextTurn();
    expect(calls.map((c) => c.items)).toEqual([[1], [2], [3, 4, 5]]);
    calls[1].end();
    await second;
    await nextTurn();
    expect(calls.map((c) => c.items)).toEqual([[1], [2], [3, 4, 5], [6, 7]]);
    calls[2].end();
    calls[3].end();
    await expect(Promise.all(waiting)).resolves.toEqual([30, 40, 50, 60, 70]);
  });

  it('a call that throws, or answers the wrong number of items, fails its batch and no other', async () => {
    const { calls, run } = heldRun();
    const batches = new TurnBatches(run, { maxBatch: 10, maxCalls: 4 });
    const failed = [batches.add(1), batches.add(2)];
    await nextTurn();
    const short = batches.add(3);
    await nextTurn();
    const fine = batches.add(4);
    await nextTurn();
    calls[0].fail(new Error('down'));
    calls[1].end([]);
    calls[2].end();
    await expect(failed[0]).rejects.toThrow('down');
    await expect(failed[1]).rejects.toThrow('down');
    await expect(short).rejects.toThrow('a batch of 1 got 0 answers');
    await expect(fine).resolves.toBe(40);
  });
});
