import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { Queue } from 'bullmq';
import type { EntityManager } from 'typeorm';
import { safeError } from '../../common/safe-error';
import { Environment } from '../../config/environment';
import { createProducerQueue, oldestWaitingJobAt } from '../../infra/queue/producer-queue';
import { QueueName } from '../../infra/queue/queue-names';
import { TargetsService } from '../targets/targets.service';
import { LetterDispatchRepository } from './letter-dispatch.repository';
import { LetterBatchJobData, letterBatchJobs } from './letter-jobs';

/** What one release pass gave: the letters released, and the targets whose letters could not be. */
export interface Released {
  ids: string[];
  failed: { targetId: string; error: unknown }[];
}

/** What a target shows as `dispatchError` when releasing its letters failed: the error's code, never its text. */
function dispatchFailure(error: unknown): string {
  const code = typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
  const name = error instanceof Error ? error.name : undefined;
  return `dispatch failed (${code ?? name})`;
}

/**
 * Releases letters at each target's pace (oldest first) and enqueues them in batch jobs of
 * LETTER_SEND_BATCH (jobId made of the batch's letter ids; the send claims each letter in
 * PostgreSQL, so a letter in two jobs is sent once), and
 * enqueues again those whose job may be lost. The pace, the sending windows and the round-robin
 * across targets are one SQL statement (RELEASE_LETTERS_SQL); this service holds what surrounds it:
 * one dispatcher at a time, the targets' dispatch errors, the retry target by target, the queue.
 */
@Injectable()
export class LetterDispatchService implements OnModuleDestroy {
  private readonly logger = new Logger(LetterDispatchService.name);
  private readonly queue: Queue<LetterBatchJobData>;

  constructor(
    private readonly letters: LetterDispatchRepository,
    private readonly targets: TargetsService,
    private readonly env: Environment,
  ) {
    this.queue = createProducerQueue<LetterBatchJobData>(QueueName.Letters, env);
  }

  async onModuleDestroy(): Promise<void> {
    await this.queue.close().catch(() => undefined);
  }

  /**
   * One dispatcher pass: releases paced letters (at most `limit`), and takes those whose job may be
   * lost (enqueued MAIL_REQUEUE_AFTER_SECONDS before now and before the oldest letter job still
   * waiting: see oldestWaitingJobAt); enqueues both. If the enqueue fails, the letters are marked
   * not enqueued, so the next pass takes them again, and the error is thrown. Returns how many were
   * enqueued.
   */
  async dispatch(limit = 1000): Promise<number> {
    const { ids: released, failed } = await this.release(limit);
    for (const f of failed) this.logger.error({ targetId: f.targetId, err: safeError(f.error) }, 'Letters of one target not dispatched');
    const lost = await this.letters.takeLost(this.env.MAIL_REQUEUE_AFTER_SECONDS, limit, await oldestWaitingJobAt(this.queue));
    const ids = [...released, ...lost];
    if (!ids.length) return 0;
    try {
      await this.queue.addBulk(letterBatchJobs(ids, this.env.LETTER_SEND_BATCH, this.env));
    } catch (error) {
      await this.letters.markNotEnqueued(ids);
      throw error;
    }
    return ids.length;
  }

  /**
   * Releases the oldest queued letters of each target, as many as LETTER_PACE_PER_HOUR leaves room
   * for in the last hour, for targets not suppressed and inside their sending window; at most
   * `limit` in all. Under a transaction-scoped advisory lock: while another dispatcher holds it,
   * releases nothing. A target whose window cannot be evaluated (a time zone PostgreSQL does not
   * know) waits and says why on the target; if the pass fails for any other reason, each target
   * is tried alone, so one bad row never stops every campaign's letters.
   */
  private release(limit: number): Promise<Released> {
    const pace = this.env.LETTER_PACE_PER_HOUR;
    return this.letters.transaction(async (m) => {
      if (!(await this.letters.tryLock(m))) return { ids: [], failed: [] };
      await this.targets.recordDispatchErrors(m);
      try {
        return { ids: await this.letters.release(m, pace, limit, null), failed: [] };
      } catch {
        return this.releaseTargetByTarget(m, pace, limit);
      }
    });
  }

  private async releaseTargetByTarget(m: EntityManager, pace: number, limit: number): Promise<Released> {
    const released: Released = { ids: [], failed: [] };
    for (const targetId of await this.letters.waitingTargets(m)) {
      if (released.ids.length >= limit) break;
      try {
        released.ids.push(...(await this.letters.release(m, pace, limit - released.ids.length, targetId)));
      } catch (error) {
        released.failed.push({ targetId, error });
        await this.targets.setDispatchError(m, targetId, dispatchFailure(error));
      }
    }
    return released;
  }
}
