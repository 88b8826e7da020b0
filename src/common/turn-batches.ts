/** How a TurnBatches groups its items. */
export interface TurnBatchLimits {
  /** At most this many items in one call. */
  maxBatch: number;
  /** At most this many calls in flight at once. */
  maxCalls: number;
}

interface Waiting<T, R> {
  item: T;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

/**
 * Items that arrive in one turn of the event loop go together in one call of `run`, made at the
 * end of that turn (setImmediate): one round trip for many callers where each would make its own.
 * Below `maxCalls` calls in flight, a turn's items go at once (none waits for another's answer); at
 * it, they wait and go together with later ones in the next call to start (at most `maxBatch`), so
 * a flood costs one round trip per batch. `run` answers each item in order; a call that throws
 * fails every item of its batch.
 */
export class TurnBatches<T, R> {
  private waiting: Waiting<T, R>[] = [];
  private calling = 0;
  /** A call is due at the end of this turn of the event loop. */
  private due = false;

  constructor(
    private readonly run: (items: T[]) => Promise<R[]>,
    private readonly limits: TurnBatchLimits,
  ) {}

  /** Waits for the next call (at the end of this turn, at the earliest): this item's answer from it. */
  add(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      if (this.due) return;
      this.due = true;
      setImmediate(() => {
        this.due = false;
        if (this.waiting.length && this.calling < this.limits.maxCalls) void this.callWhileWaiting();
      });
    });
  }

  /** One of the maxCalls callers: a call with whatever waits (at most maxBatch), then the next, until nothing does. */
  private async callWhileWaiting(): Promise<void> {
    this.calling++;
    try {
      while (this.waiting.length) {
        const batch = this.waiting.splice(0, this.limits.maxBatch);
        try {
          const results = await this.run(batch.map((w) => w.item));
          if (results.length !== batch.length) throw new Error(`a batch of ${batch.length} got ${results.length} answers`);
          batch.forEach((w, i) => w.resolve(results[i]));
        } catch (error) {
          for (const w of batch) w.reject(error);
        }
      }
    } finally {
      this.calling--;
    }
  }
}
