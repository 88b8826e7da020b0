import { Module } from '@nestjs/common';
import { CampaignsModule } from '../campaigns/campaigns.module';
import { PrivacyModule } from '../privacy/privacy.module';
import { SignaturesModule } from '../signatures/signatures.module';
import { TargetsModule } from '../targets/targets.module';
import { CampaignPageController } from './campaign-page.controller';
import { ConfirmPageController } from './confirm-page.controller';
import { HomePageController } from './home-page.controller';
import { FormBotCheck } from './form-bot-check';
import { PageRenderer } from './page-renderer';
import { PrivacyPageController } from './privacy-page.controller';
import { PublicPagesService } from './public-pages.service';

@Module({
  imports: [SignaturesModule, CampaignsModule, TargetsModule, PrivacyModule],
  controllers: [HomePageController, CampaignPageController, ConfirmPageController, PrivacyPageController],
  providers: [PageRenderer, PublicPagesService, FormBotCheck],
})
export class PagesModule {}
