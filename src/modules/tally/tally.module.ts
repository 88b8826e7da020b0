import { Module } from '@nestjs/common';
import { TallyRepository } from './tally.repository';
import { TallyService } from './tally.service';

@Module({
  providers: [TallyRepository, TallyService],
  exports: [TallyService],
})
export class TallyModule {}
