import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { IntervalLoop } from '../../../common/interval-loop';
import { Environment } from '../../../config/environment';
import { MailOutboxService } from '../mail-outbox.service';

/** The outbox relay: in worker processes, enqueues mail whose job was never enqueued or was lost. */
@Injectable()
export class MailRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly loop: IntervalLoop;

  constructor(outbox: MailOutboxService, env: Environment) {
    this.loop = new IntervalLoop('MailRelay', env.MAIL_RELAY_INTERVAL_MS, () => outbox.relay());
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }
}
