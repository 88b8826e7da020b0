import { Module } from '@nestjs/common';
import { CampaignsModule } from '../campaigns/campaigns.module';
import { TargetsModule } from '../targets/targets.module';
import { LetterDeliveryRepository } from './letter-delivery.repository';
import { LetterDeliveryService } from './letter-delivery.service';
import { LetterDeliveriesController } from './letter-deliveries.controller';
import { LettersController } from './letters.controller';
import { LettersRepository } from './letters.repository';
import { LettersService } from './letters.service';

@Module({
  imports: [CampaignsModule, TargetsModule],
  controllers: [LettersController, LetterDeliveriesController],
  providers: [LettersService, LettersRepository, LetterDeliveryRepository, LetterDeliveryService],
  exports: [LettersService, LettersRepository, LetterDeliveryRepository, LetterDeliveryService],
})
export class LettersModule {}
