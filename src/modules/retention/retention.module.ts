import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { CampaignsModule } from '../campaigns/campaigns.module';
import { MailModule } from '../mail/mail.module';
import { SignaturesModule } from '../signatures/signatures.module';
import { UpdatesModule } from '../updates/updates.module';
import { RetentionService } from './retention.service';

/** How long supporters' data is kept: the rules (RetentionService), run by its worker and the CLI. Owns no table. */
@Module({
  imports: [SignaturesModule, MailModule, CampaignsModule, AuditModule, UpdatesModule],
  providers: [RetentionService],
  exports: [RetentionService],
})
export class RetentionModule {}
