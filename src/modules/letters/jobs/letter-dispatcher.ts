import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { IntervalLoop } from '../../../common/interval-loop';
import { Environment } from '../../../config/environment';
import { LetterDeliveryService } from '../letter-delivery.service';

/**
 * In worker processes: releases letters at each target's pace every LETTER_DISPATCH_INTERVAL_MS,
 * and once a minute cuts the digests that are due.
 */
@Injectable()
export class LetterDispatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly loop: IntervalLoop;
  readonly digests: IntervalLoop;

  constructor(delivery: LetterDeliveryService, env: Environment) {
    this.loop = new IntervalLoop('LetterDispatcher', env.LETTER_DISPATCH_INTERVAL_MS, () => delivery.dispatch());
    this.digests = new IntervalLoop('DigestCutter', 60_000, () => delivery.cutDigests());
  }

  onApplicationBootstrap(): void {
    this.loop.start();
    this.digests.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.loop.stop(), this.digests.stop()]);
  }
}
