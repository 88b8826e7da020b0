import { Module } from '@nestjs/common';
import { BounceListener } from './jobs/bounce.listener';
import { DigestCutLoop } from './jobs/digest-cut.loop';
import { LetterDispatchLoop } from './jobs/letter-dispatch.loop';
import { LetterSendProcessor } from './jobs/letter-send.processor';
import { LetterDeliveriesModule } from './letter-deliveries.module';
import { UpdatesModule } from '../updates/updates.module';

/** Letter pacing, sending, digests and delivery reports: loaded only in the `worker` and `all` roles. */
@Module({
  imports: [LetterDeliveriesModule, UpdatesModule],
  providers: [LetterSendProcessor, LetterDispatchLoop, DigestCutLoop, BounceListener],
})
export class LetterDeliveriesWorkersModule {}
