import { Module } from '@nestjs/common';
import { TallyRepository } from './tally.repository';
import { TallyService } from './tally.service';

@Module({
  providers: [TallyRepository, TallyService],
  exports: [TallyRepository, TallyService],
})
export class TallyModule {}
