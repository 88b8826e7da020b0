import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { MailModule } from '../mail/mail.module';
import { OrganisationsModule } from '../organisations/organisations.module';
import { AbuseService } from './abuse.service';
import { Block } from './block.entity';
import { BlocksController } from './blocks.controller';
import { BlocksRepository } from './blocks.repository';
import { BlocksService } from './blocks.service';
import { DisposableDomains } from './disposable-domains';
import { SignLimitsService } from './sign-limits.service';
import { TrendingAlertService } from './trending-alert.service';
import { TrendingAlertsRepository } from './trending-alerts.repository';
import { TrendingController } from './trending.controller';
import { TrendingRepository } from './trending.repository';
import { TrendingService } from './trending.service';

/**
 * Abuse defence: at signing, block and allow lists, rate limits in Redis and disposable addresses
 * (AbuseService.judge); for admins, trending sources and their alerts (sent in worker processes).
 */
@Module({
  imports: [TypeOrmModule.forFeature([Block]), OrganisationsModule, MailModule, AuditModule],
  controllers: [BlocksController, TrendingController],
  providers: [
    AbuseService,
    BlocksRepository,
    BlocksService,
    SignLimitsService,
    DisposableDomains,
    TrendingService,
    TrendingAlertService,
    TrendingRepository,
    TrendingAlertsRepository,
  ],
  exports: [AbuseService, TrendingAlertService],
})
export class AbuseModule {}
