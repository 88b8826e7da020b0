import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { IntervalLoop } from '../../../common/interval-loop';
import { Environment } from '../../../config/environment';
import { UpdateSendService } from '../update-send.service';

/** The update dispatcher and relay, in every worker process: work is re-derived from PostgreSQL, so a flushed Redis only delays it. */
@Injectable()
export class UpdateDispatchLoop implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly loop: IntervalLoop;

  constructor(sender: UpdateSendService, env: Environment) {
    this.loop = new IntervalLoop('UpdateDispatch', env.UPDATE_DISPATCH_INTERVAL_MS, () => sender.dispatch());
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }
}
