import { Module } from '@nestjs/common';
import { AbuseTrendingModule } from './abuse-trending.module';
import { TrendingAlertLoop } from './jobs/trending-alert.loop';

/** The trending alerts loop: loaded only in the `worker` and `all` roles. */
@Module({
  imports: [AbuseTrendingModule],
  providers: [TrendingAlertLoop],
})
export class AbuseWorkersModule {}
