import { Module } from '@nestjs/common';
import { AbuseModule } from './abuse.module';
import { TrendingAlertLoop } from './jobs/trending-alert.loop';

/** The trending alerts loop: loaded only in the `worker` and `all` roles. */
@Module({
  imports: [AbuseModule],
  providers: [TrendingAlertLoop],
})
export class AbuseWorkersModule {}
