import { Module } from '@nestjs/common';
import { MailRenderer } from '../../infra/mail/mail-renderer';
import { MailOutboxRepository } from './mail-outbox.repository';
import { MailOutboxService } from './mail-outbox.service';

@Module({
  providers: [MailOutboxService, MailOutboxRepository, MailRenderer],
  exports: [MailOutboxService],
})
export class MailModule {}
