import { Module } from '@nestjs/common';
import { CampaignsModule } from '../campaigns/campaigns.module';
import { MailModule } from '../mail/mail.module';
import { SignaturesModule } from '../signatures/signatures.module';
import { RetentionService } from './retention.service';

/** How long supporters' data is kept: the rules (RetentionService), run by its worker and the CLI. Owns no table. */
@Module({
  imports: [SignaturesModule, MailModule, CampaignsModule],
  providers: [RetentionService],
  exports: [RetentionService],
})
export class RetentionModule {}
