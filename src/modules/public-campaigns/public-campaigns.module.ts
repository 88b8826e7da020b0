import { Module } from '@nestjs/common';
import { CampaignsModule } from '../campaigns/campaigns.module';
import { TargetsModule } from '../targets/targets.module';
import { MediaModule } from '../media/media.module';
import { UpdatesModule } from '../updates/updates.module';
import { PublicCampaignsController } from './public-campaigns.controller';

@Module({
  imports: [CampaignsModule, TargetsModule, MediaModule, UpdatesModule],
  controllers: [PublicCampaignsController],
})
export class PublicCampaignsModule {}
