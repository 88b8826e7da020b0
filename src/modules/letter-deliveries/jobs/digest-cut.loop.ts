import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { IntervalLoop } from '../../../common/interval-loop';
import { DigestsService } from '../digests.service';

/** In worker processes: once a minute, cuts the digests that are due. */
@Injectable()
export class DigestCutLoop implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly loop: IntervalLoop;

  constructor(digests: DigestsService) {
    this.loop = new IntervalLoop('DigestCutter', 60_000, () => digests.cutDue());
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }
}
