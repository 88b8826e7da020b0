import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, RequireOrganiser } from '../../common/principal';
import { uuidPipe } from '../../common/uuid.pipe';
import { ListRepliesQueryDto } from './dto/list-replies-query.dto';
import type { ReplyResponseDto } from './dto/target-response.dto';
import { TargetAnswersService } from './target-answers.service';

/** A campaign's replies across its targets: `?status=pending_approval` is the queue of officials' answers to approve. */
@ApiTags('targets')
@ApiBearerAuth()
@RequireOrganiser()
@Controller('api/v1/campaigns/:id/replies')
export class AnswersController {
  constructor(private readonly answers: TargetAnswersService) {}

  @Get()
  list(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuidPipe('CAMPAIGN_NOT_FOUND')) campaignId: string,
    @Query() query: ListRepliesQueryDto,
  ): Promise<ReplyResponseDto[]> {
    return this.answers.list(principal, campaignId, { status: query.status });
  }
}
