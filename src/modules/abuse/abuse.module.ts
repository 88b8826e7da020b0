import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AbuseService } from './abuse.service';
import { Block } from './block.entity';
import { BlocksController } from './blocks.controller';
import { BlocksRepository } from './blocks.repository';
import { BlocksService } from './blocks.service';
import { DisposableDomains } from './disposable-domains';
import { SignLimitsService } from './sign-limits.service';

/** Abuse defence at signing: block and allow lists, rate limits in Redis, disposable addresses. */
@Module({
  imports: [TypeOrmModule.forFeature([Block])],
  controllers: [BlocksController],
  providers: [AbuseService, BlocksRepository, BlocksService, SignLimitsService, DisposableDomains],
  exports: [AbuseService],
})
export class AbuseModule {}
