import { Module } from '@nestjs/common';
import { TallyMetricsService } from './tally-metrics.service';
import { TallyRepository } from './tally.repository';
import { TallyService } from './tally.service';

@Module({
  providers: [TallyRepository, TallyService, TallyMetricsService],
  exports: [TallyService],
})
export class TallyModule {}
