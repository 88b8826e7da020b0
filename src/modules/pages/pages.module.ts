import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { CampaignsModule } from '../campaigns/campaigns.module';
import { LetterDeliveriesModule } from '../letter-deliveries/letter-deliveries.module';
import { LettersModule } from '../letters/letters.module';
import { MediaModule } from '../media/media.module';
import { PrivacyModule } from '../privacy/privacy.module';
import { SignaturesModule } from '../signatures/signatures.module';
import { TargetsModule } from '../targets/targets.module';
import { CampaignPageController } from './campaign-page.controller';
import { ConfirmPageController } from './confirm-page.controller';
import { ConsoleController } from './console.controller';
import { ConsoleCampaignsController } from './console-campaigns.controller';
import { ConsoleTargetsController } from './console-targets.controller';
import { ConsolePhotoController } from './console-photo.controller';
import { ConsoleUpdatesController } from './console-updates.controller';
import { ConsolePartnersController } from './console-partners.controller';
import { ConsoleCookies } from './console-cookies';
import { ConsoleKit } from './console-kit';
import { ConsoleDashboardService } from './console-dashboard.service';
import { ConsoleShareService } from './console-share.service';
import { ConsoleStatsController } from './console-stats.controller';
import { ConsoleStatsService } from './console-stats.service';
import { ConsoleSupportersController } from './console-supporters.controller';
import { ConsoleCommentsController } from './console-comments.controller';
import { ConsoleReviewsController } from './console-reviews.controller';
import { ConsoleSupportersService } from './console-supporters.service';
import { HomePageController } from './home-page.controller';
import { FormBotCheck } from './form-bot-check';
import { PageRenderer } from './page-renderer';
import { PrivacyPageController } from './privacy-page.controller';
import { PublicPagesService } from './public-pages.service';
import { CampaignUpdatesView } from './campaign-updates-view.service';
import { ResendPageController } from './resend-page.controller';
import { UnsubscribePageController } from './unsubscribe-page.controller';
import { UpdatesModule } from '../updates/updates.module';
import { DossiersModule } from '../dossiers/dossiers.module';
import { AnswerPageController } from './answer-page.controller';

@Module({
  imports: [SignaturesModule, CampaignsModule, TargetsModule, PrivacyModule, AuthModule, LetterDeliveriesModule, LettersModule, MediaModule, UpdatesModule, DossiersModule],
  controllers: [
    HomePageController,
    CampaignPageController,
    ConfirmPageController,
    PrivacyPageController,
    ConsoleController,
    ConsoleCampaignsController,
    ConsoleTargetsController,
    ConsoleStatsController,
    ConsoleSupportersController,
    ConsoleCommentsController,
    ConsoleReviewsController,
    ConsolePhotoController,
    ConsoleUpdatesController,
    ConsolePartnersController,
    UnsubscribePageController,
    AnswerPageController,
    ResendPageController,
  ],
  providers: [
    PageRenderer,
    PublicPagesService,
    FormBotCheck,
    ConsoleCookies,
    ConsoleKit,
    ConsoleDashboardService,
    ConsoleShareService,
    ConsoleStatsService,
    ConsoleSupportersService,
    CampaignUpdatesView,
  ],
})
export class PagesModule {}
