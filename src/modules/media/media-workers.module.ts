import { Module } from '@nestjs/common';
import { ShareCardProcessor } from './jobs/share-card.processor';
import { MediaModule } from './media.module';

/** The media queue's workers (share cards): loaded only in the `worker` and `all` roles. */
@Module({
  imports: [MediaModule],
  providers: [ShareCardProcessor],
})
export class MediaWorkersModule {}
