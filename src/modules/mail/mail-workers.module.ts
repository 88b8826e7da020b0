import { Module } from '@nestjs/common';
import { MailRelay } from './jobs/mail-relay';
import { MailProcessor } from './jobs/mail.processor';
import { MailModule } from './mail.module';

/** Mail sending and the outbox relay: loaded only in the `worker` and `all` roles. */
@Module({
  imports: [MailModule],
  providers: [MailProcessor, MailRelay],
})
export class MailWorkersModule {}
