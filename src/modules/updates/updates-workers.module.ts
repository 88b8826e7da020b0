import { Module } from '@nestjs/common';
import { UpdateDispatchLoop } from './jobs/update-dispatch.loop';
import { UpdateFanOutProcessor } from './jobs/update-fanout.processor';
import { UpdateSendProcessor } from './jobs/update-send.processor';
import { UpdatesModule } from './updates.module';

/** Fan-out, dispatch and sending of update emails: loaded only in the `worker` and `all` roles. */
@Module({
  imports: [UpdatesModule],
  providers: [UpdateFanOutProcessor, UpdateSendProcessor, UpdateDispatchLoop],
})
export class UpdatesWorkersModule {}
