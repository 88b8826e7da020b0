import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { IntervalLoop } from '../../../common/interval-loop';
import { Environment } from '../../../config/environment';
import { UpdateSendService } from '../update-send.service';
import { UpdatesService } from '../updates.service';

/** The update dispatcher and relay (and the automatic notices), in every worker process: work is re-derived from PostgreSQL, so a flushed Redis only delays it. */
@Injectable()
export class UpdateDispatchLoop implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly loop: IntervalLoop;

  constructor(sender: UpdateSendService, updates: UpdatesService, env: Environment) {
    // The automatic notices owed first (a win, a public reply), then the dispatch, even if the notices failed.
    this.loop = new IntervalLoop('UpdateDispatch', env.UPDATE_DISPATCH_INTERVAL_MS, async () => {
      try {
        await updates.postNotices();
      } finally {
        await sender.dispatch();
      }
    });
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }
}
