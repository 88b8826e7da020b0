import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { IntervalLoop } from '../../../common/interval-loop';
import { Environment } from '../../../config/environment';
import { TallyService } from '../tally.service';

/** In worker processes: folds confirmations into the public counters every TALLY_INTERVAL_MS. */
@Injectable()
export class TallyFoldLoop implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly loop: IntervalLoop;

  constructor(tally: TallyService, env: Environment) {
    this.loop = new IntervalLoop('TallyFold', env.TALLY_INTERVAL_MS, () => tally.foldAll());
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }
}
