import { Module } from '@nestjs/common';
import { MailModule } from '../mail/mail.module';
import { OrganisationsModule } from '../organisations/organisations.module';
import { TrendingAlertService } from './trending-alert.service';
import { TrendingAlertsRepository } from './trending-alerts.repository';
import { TrendingController } from './trending.controller';
import { TrendingRepository } from './trending.repository';
import { TrendingService } from './trending.service';

/**
 * Trending sources (the admins' route) and their alerts. Part of the abuse module, assembled on its
 * own while the block and limit files are written beside it; to be merged into AbuseModule.
 */
@Module({
  imports: [OrganisationsModule, MailModule],
  controllers: [TrendingController],
  providers: [TrendingService, TrendingAlertService, TrendingRepository, TrendingAlertsRepository],
  exports: [TrendingAlertService],
})
export class AbuseTrendingModule {}
