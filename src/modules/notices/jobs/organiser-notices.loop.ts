import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { IntervalLoop } from '../../../common/interval-loop';
import { CampaignSettings } from '../../../config/environment';
import { OrganiserNoticesService } from '../organiser-notices.service';

/**
 * In worker processes: every ORGANISER_NOTICE_INTERVAL_SECONDS, emails organisers the milestones
 * and deadlines owed. A loop in each worker rather than a Redis schedule: its state is in
 * PostgreSQL, and two workers' passes record each notice once (see OrganiserNoticesService).
 */
@Injectable()
export class OrganiserNoticesLoop implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly loop: IntervalLoop;

  constructor(notices: OrganiserNoticesService, settings: CampaignSettings) {
    this.loop = new IntervalLoop('OrganiserNotices', settings.ORGANISER_NOTICE_INTERVAL_SECONDS * 1000, () => notices.sweep());
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }
}
