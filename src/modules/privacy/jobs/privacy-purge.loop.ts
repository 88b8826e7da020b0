import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { IntervalLoop } from '../../../common/interval-loop';
import { PrivacyService } from '../privacy.service';

const HOUR_MS = 3_600_000;

/** In worker processes: deletes privacy requests a day past their expiry, every hour. */
@Injectable()
export class PrivacyPurgeLoop implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly loop: IntervalLoop;

  constructor(privacy: PrivacyService) {
    this.loop = new IntervalLoop('PrivacyPurge', HOUR_MS, () => privacy.purgeExpired());
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }
}
