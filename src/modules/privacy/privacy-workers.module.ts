import { Module } from '@nestjs/common';
import { PrivacyPurgeLoop } from './jobs/privacy-purge.loop';
import { PrivacyModule } from './privacy.module';

/** The purge of old privacy requests: loaded only in the `worker` and `all` roles. */
@Module({
  imports: [PrivacyModule],
  providers: [PrivacyPurgeLoop],
})
export class PrivacyWorkersModule {}
