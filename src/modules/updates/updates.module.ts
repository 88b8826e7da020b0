import { Module } from '@nestjs/common';
import { MailRenderer } from '../../infra/mail/mail-renderer';
import { AuditModule } from '../audit/audit.module';
import { CampaignsModule } from '../campaigns/campaigns.module';
import { UnsubscribeService } from './unsubscribe.service';
import { UpdatePreviewService } from './update-preview.service';
import { UpdateDeliveriesRepository } from './update-deliveries.repository';
import { UpdateSendService } from './update-send.service';
import { UpdatesController } from './updates.controller';
import { UpdatesRepository } from './updates.repository';
import { UpdatesService } from './updates.service';

/** Case updates, their batch emails and unsubscribing. */
@Module({
  imports: [CampaignsModule, AuditModule],
  controllers: [UpdatesController],
  providers: [UpdatesService, UpdateSendService, UnsubscribeService, UpdatePreviewService, UpdatesRepository, UpdateDeliveriesRepository, MailRenderer],
  exports: [UpdatesService, UpdateSendService, UnsubscribeService, UpdatePreviewService],
})
export class UpdatesModule {}
