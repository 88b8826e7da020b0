import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { IntervalLoop } from '../../../common/interval-loop';
import { Environment } from '../../../config/environment';
import { DossiersService } from '../dossiers.service';

/**
 * Sends queued dossier emails, in every worker process: the queue is the table (dossier_sends),
 * so a flushed Redis loses nothing, and each email is sent under its lease by one worker. One at
 * a time per process (each prints a PDF); every MAIL_RELAY_INTERVAL_MS when there is none.
 */
@Injectable()
export class DossierSendLoop implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly loop: IntervalLoop;

  constructor(dossiers: DossiersService, env: Environment) {
    this.loop = new IntervalLoop('DossierSend', env.MAIL_RELAY_INTERVAL_MS, async () => {
      for (let i = 0; i < 10 && (await dossiers.sendNext()); i++);
    });
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }
}
