import { Module } from '@nestjs/common';
import { CampaignsModule } from './campaigns.module';
import { CampaignSweepProcessor } from './jobs/campaign-sweep.processor';

/** The campaign queue's workers: loaded only in the `worker` and `all` roles. */
@Module({
  imports: [CampaignsModule],
  providers: [CampaignSweepProcessor],
})
export class CampaignWorkersModule {}
