import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { CampaignsModule } from '../campaigns/campaigns.module';
import { UpdatesModule } from '../updates/updates.module';
import { TargetAnswersRepository } from './target-answers.repository';
import { TargetAnswersService } from './target-answers.service';
import { Target } from './target.entity';
import { AnswersController } from './answers.controller';
import { TargetsController } from './targets.controller';
import { TargetsRepository } from './targets.repository';
import { TargetsService } from './targets.service';

@Module({
  imports: [TypeOrmModule.forFeature([Target]), CampaignsModule, UpdatesModule, AuditModule],
  controllers: [TargetsController, AnswersController],
  providers: [TargetsService, TargetsRepository, TargetAnswersService, TargetAnswersRepository],
  exports: [TargetsService, TargetAnswersService],
})
export class TargetsModule {}
