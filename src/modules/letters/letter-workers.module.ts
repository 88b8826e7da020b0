import { Module } from '@nestjs/common';
import { BounceListener } from './jobs/bounce-listener';
import { LetterDispatcher } from './jobs/letter-dispatcher';
import { LetterProcessor } from './jobs/letter.processor';
import { LettersModule } from './letters.module';

/** Letter sending and pacing: loaded only in the `worker` and `all` roles. */
@Module({
  imports: [LettersModule],
  providers: [LetterProcessor, LetterDispatcher, BounceListener],
})
export class LetterWorkersModule {}
