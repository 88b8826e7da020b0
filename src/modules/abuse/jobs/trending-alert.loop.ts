import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { IntervalLoop } from '../../../common/interval-loop';
import { TrendingSettings } from '../../../config/environment';
import { TrendingAlertService } from '../trending-alert.service';

/** In worker processes: every TRENDING_INTERVAL_MINUTES, emails the admins about sources past the threshold. */
@Injectable()
export class TrendingAlertLoop implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly loop: IntervalLoop;

  constructor(alerts: TrendingAlertService, settings: TrendingSettings) {
    this.loop = new IntervalLoop('TrendingAlerts', settings.TRENDING_INTERVAL_MINUTES * 60_000, () => alerts.alertPass());
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }
}
