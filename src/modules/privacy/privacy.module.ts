import { AuditModule } from '../audit/audit.module';
import { Module } from '@nestjs/common';
import { BackgroundTasks } from '../../common/background-tasks';
import { AbuseModule } from '../abuse/abuse.module';
import { MailModule } from '../mail/mail.module';
import { SignaturesModule } from '../signatures/signatures.module';
import { UpdatesModule } from '../updates/updates.module';
import { PrivacyController } from './privacy.controller';
import { PrivacyRepository } from './privacy.repository';
import { PrivacyService } from './privacy.service';

/** Erasure and access on request: owns privacy_requests; erases through SignaturesService, mails through the outbox. */
@Module({
  imports: [SignaturesModule, MailModule, AbuseModule, AuditModule, UpdatesModule],
  controllers: [PrivacyController],
  providers: [PrivacyService, PrivacyRepository, BackgroundTasks],
  exports: [PrivacyService],
})
export class PrivacyModule {}
