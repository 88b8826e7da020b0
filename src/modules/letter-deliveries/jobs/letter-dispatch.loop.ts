import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { IntervalLoop } from '../../../common/interval-loop';
import { Environment } from '../../../config/environment';
import { LetterDispatchService } from '../letter-dispatch.service';

/** In worker processes: releases letters at each target's pace every LETTER_DISPATCH_INTERVAL_MS. */
@Injectable()
export class LetterDispatchLoop implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly loop: IntervalLoop;

  constructor(dispatch: LetterDispatchService, env: Environment) {
    this.loop = new IntervalLoop('LetterDispatcher', env.LETTER_DISPATCH_INTERVAL_MS, () => dispatch.dispatch());
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }
}
