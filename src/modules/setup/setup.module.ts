import { Module } from '@nestjs/common';
import { CampaignsModule } from '../campaigns/campaigns.module';
import { LettersModule } from '../letters/letters.module';
import { OrganisationsModule } from '../organisations/organisations.module';
import { TargetsModule } from '../targets/targets.module';
import { SetupService } from './setup.service';

@Module({
  imports: [OrganisationsModule, CampaignsModule, TargetsModule, LettersModule],
  providers: [SetupService],
  exports: [SetupService],
})
export class SetupModule {}
