import { Module } from '@nestjs/common';
import { BackgroundTasks } from '../../common/background-tasks';
import { AbuseModule } from '../abuse/abuse.module';
import { AuditModule } from '../audit/audit.module';
import { CampaignsModule } from '../campaigns/campaigns.module';
import { LetterDeliveriesModule } from '../letter-deliveries/letter-deliveries.module';
import { MailModule } from '../mail/mail.module';
import { TallyModule } from '../tally/tally.module';
import { CommentsController } from './comments.controller';
import { CommentsRepository } from './comments.repository';
import { CommentsService } from './comments.service';
import { HeldSignaturesController } from './held-signatures.controller';
import { HeldSignaturesRepository } from './held-signatures.repository';
import { HeldSignaturesService } from './held-signatures.service';
import { InvalidationsController } from './invalidations.controller';
import { InvalidationsRepository } from './invalidations.repository';
import { InvalidationsService } from './invalidations.service';
import { SignatureListController } from './signature-list.controller';
import { SignatureListRepository } from './signature-list.repository';
import { SignatureListService } from './signature-list.service';
import { SignaturesController } from './signatures.controller';
import { SignaturesRepository } from './signatures.repository';
import { SignaturesService } from './signatures.service';

@Module({
  imports: [AbuseModule, AuditModule, CampaignsModule, MailModule, TallyModule, LetterDeliveriesModule],
  controllers: [SignaturesController, HeldSignaturesController, InvalidationsController, SignatureListController, CommentsController],
  providers: [
    SignaturesService,
    SignaturesRepository,
    HeldSignaturesService,
    HeldSignaturesRepository,
    InvalidationsService,
    InvalidationsRepository,
    SignatureListService,
    SignatureListRepository,
    CommentsService,
    CommentsRepository,
    BackgroundTasks,
  ],
  exports: [SignaturesService, SignatureListService, HeldSignaturesService, InvalidationsService, CommentsService],
})
export class SignaturesModule {}
