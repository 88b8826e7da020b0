import { retryInPlace } from '../../common/retry-in-place';

/** What a batch's owner does with each message: send it, record it sent (a group at a time), record a failure. */
export interface BatchSendHooks<T> {
  /** Hands one message to SMTP; resolves once the server accepted it, throws when it did not. */
  send(item: T): Promise<void>;
  /** Records messages the server accepted, in one statement; retried in place (never by sending again). */
  recordSent(items: T[]): Promise<void>;
  /** Records a message that was not sent (the error `send` threw). */
  recordFailure(item: T, error: unknown): Promise<void>;
  /** Whether to go on (the send was not paused or cancelled meanwhile): asked between messages, at most every `checkEveryMs`. */
  stillWanted?(): Promise<boolean>;
}

export interface BatchSendResult<T> {
  sent: number;
  failed: number;
  /** Items never handed to SMTP (the batch was stopped): the owner gives them back. */
  unsent: T[];
}

export interface BatchSenderOptions {
  /** Messages this process has in flight at once, over every batch it runs (keeps the SMTP pool full). */
  inFlight: number;
  /** How long recording a group sent may be retried in place before the batch gives up (its rows then wait for their lease to run out). */
  recordBudgetMs: number;
  /** A group of accepted messages is recorded once it has this many, or `groupDelayMs` after its first. */
  groupSize?: number;
  groupDelayMs?: number;
  checkEveryMs?: number;
  onRecordRetry?: (error: unknown, attempt: number) => void;
}

/**
 * Sends claimed batches of messages (update emails; letters and mail can use it the same way):
 * each batch's messages go to SMTP with at most `inFlight` at once for the whole process (the
 * batch started first has the free slots first, so a second batch, claimed meanwhile, fills the
 * pool as the first one ends); accepted messages are recorded sent a group at a time (group
 * commit: one statement for up to `groupSize` messages or `groupDelayMs`), so what a crash can
 * repeat is only what was in flight or accepted in the last few milliseconds. A failure is the
 * owner's to record; a batch told to stop (paused, cancelled) sends nothing more and returns what
 * it did not send.
 */
export class BatchSender {
  private active = 0;
  private readonly waiting: { priority: number; wake: () => void }[] = [];
  private started = 0;

  constructor(private readonly options: BatchSenderOptions) {}

  /** Messages in flight now in this process (for tests and metrics). */
  get inFlight(): number {
    return this.active;
  }

  async run<T>(items: readonly T[], hooks: BatchSendHooks<T>): Promise<BatchSendResult<T>> {
    const priority = this.started++;
    const groupSize = this.options.groupSize ?? this.options.inFlight;
    const groupDelayMs = this.options.groupDelayMs ?? 10;
    const checkEveryMs = this.options.checkEveryMs ?? 1000;
    let next = 0;
    let sent = 0;
    let failed = 0;
    let stop = false;
    let fatal: unknown = null;
    let lastCheck = Date.now();

    // Group commit of accepted messages.
    const accepted: T[] = [];
    let recording: Promise<void> | null = null;
    let timer: NodeJS.Timeout | null = null;
    const record = (): void => {
      if (timer) clearTimeout(timer);
      timer = null;
      if (recording || !accepted.length || fatal) return;
      recording = (async () => {
        while (accepted.length && !fatal) {
          const group = accepted.splice(0, accepted.length);
          try {
            await retryInPlace(() => hooks.recordSent(group), { budgetMs: this.options.recordBudgetMs, onRetry: this.options.onRecordRetry });
          } catch (error) {
            fatal ??= error;
            stop = true;
          }
        }
      })().finally(() => {
        recording = null;
        record();
      });
    };
    const accept = (item: T): void => {
      accepted.push(item);
      if (accepted.length >= groupSize) record();
      else timer ??= setTimeout(record, groupDelayMs);
    };

    // A lane holds one slot from its batch's first message to its last: the batch started first
    // keeps its slots until it runs out of messages, then they pass to the next batch.
    const lane = async (): Promise<void> => {
      await this.slot(priority);
      try {
        while (!stop && next < items.length) {
          if (hooks.stillWanted && Date.now() - lastCheck >= checkEveryMs) {
            lastCheck = Date.now();
            if (!(await hooks.stillWanted())) {
              stop = true;
              return;
            }
            if (stop || next >= items.length) return;
          }
          const item = items[next++];
          try {
            await hooks.send(item);
          } catch (error) {
            failed++;
            await hooks.recordFailure(item, error);
            continue;
          }
          sent++;
          accept(item);
        }
      } catch (error) {
        fatal ??= error;
        stop = true;
      } finally {
        this.release();
      }
    };

    await Promise.all(Array.from({ length: Math.min(this.options.inFlight, items.length) }, lane));
    record();
    while (recording) await recording;
    if (fatal) throw fatal;
    return { sent, failed, unsent: items.slice(next) };
  }

  /** A slot for one lane of a batch: at once when one is free, else in order of batch (then of asking). */
  private async slot(priority: number): Promise<void> {
    if (this.active < this.options.inFlight && !this.waiting.length) {
      this.active++;
      return;
    }
    await new Promise<void>((wake) => {
      let i = this.waiting.length;
      while (i > 0 && this.waiting[i - 1].priority > priority) i--;
      this.waiting.splice(i, 0, { priority, wake });
    });
  }

  /** Gives a slot back: to the first waiting, else free. */
  private release(): void {
    const next = this.waiting.shift();
    if (next) next.wake();
    else this.active--;
  }
}
