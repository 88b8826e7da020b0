import { Module } from '@nestjs/common';
import { RetentionProcessor } from './jobs/retention.processor';
import { RetentionModule } from './retention.module';

/** The daily retention run (RETENTION_CRON): loaded only in the `worker` and `all` roles. */
@Module({
  imports: [RetentionModule],
  providers: [RetentionProcessor],
})
export class RetentionWorkersModule {}
