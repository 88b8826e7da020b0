import { Module } from '@nestjs/common';
import { CampaignsModule } from '../campaigns/campaigns.module';
import { TargetsModule } from '../targets/targets.module';
import { BouncesRepository } from './bounces.repository';
import { BouncesService } from './bounces.service';
import { DigestsRepository } from './digests.repository';
import { DigestsService } from './digests.service';
import { LetterDeliveriesController } from './letter-deliveries.controller';
import { LetterDeliveriesRepository } from './letter-deliveries.repository';
import { LetterDeliveriesService } from './letter-deliveries.service';
import { LetterDispatchRepository } from './letter-dispatch.repository';
import { LetterDispatchService } from './letter-dispatch.service';
import { LetterMetricsService } from './letter-metrics.service';
import { LetterSendRepository } from './letter-send.repository';
import { LetterSendService } from './letter-send.service';

/**
 * Letters to officials once written: created with a signature or a digest, released at each
 * target's pace, sent, and followed by their delivery reports. Owns tables letters and digests.
 * Other modules use LetterDeliveriesService; the other services serve the worker role
 * (LetterDeliveriesWorkersModule).
 */
@Module({
  imports: [CampaignsModule, TargetsModule],
  controllers: [LetterDeliveriesController],
  providers: [
    LetterDeliveriesService,
    LetterDeliveriesRepository,
    LetterDispatchService,
    LetterDispatchRepository,
    LetterMetricsService,
    LetterSendService,
    LetterSendRepository,
    DigestsService,
    DigestsRepository,
    BouncesService,
    BouncesRepository,
  ],
  exports: [LetterDeliveriesService, LetterDispatchService, LetterSendService, DigestsService, BouncesService],
})
export class LetterDeliveriesModule {}
