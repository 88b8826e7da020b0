import { Module } from '@nestjs/common';
import { OrganiserNoticesLoop } from './jobs/organiser-notices.loop';
import { NoticesModule } from './notices.module';

/** The organisers' notices sweep: loaded only in the `worker` and `all` roles. */
@Module({
  imports: [NoticesModule],
  providers: [OrganiserNoticesLoop],
})
export class NoticesWorkersModule {}
