import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { uuidPipe } from '../../common/uuid.pipe';
import { CurrentPrincipal, Principal, RequireOrganiser } from '../../common/principal';
import { CreateTargetDto } from './dto/create-target.dto';
import { CreateReplyDto } from './dto/create-reply.dto';
import { AnswerVisibilityDto, ApproveAnswerDto } from './dto/answer-decision.dto';
import { ListRepliesQueryDto } from './dto/list-replies-query.dto';
import { TargetAnswersService } from './target-answers.service';
import { ReplyResponseDto, TargetResponseDto } from './dto/target-response.dto';
import { UpdateTargetDto } from './dto/update-target.dto';
import { TargetsService } from './targets.service';

@ApiTags('targets')
@ApiBearerAuth()
@RequireOrganiser()
@Controller('api/v1/campaigns/:id/targets')
export class TargetsController {
  constructor(
    private readonly targets: TargetsService,
    private readonly answers: TargetAnswersService,
  ) {}

  @Post()
  create(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuidPipe('CAMPAIGN_NOT_FOUND')) campaignId: string,
    @Body() dto: CreateTargetDto,
  ): Promise<TargetResponseDto> {
    return this.targets.create(principal, campaignId, dto);
  }

  @Patch(':targetId')
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuidPipe('CAMPAIGN_NOT_FOUND')) campaignId: string,
    @Param('targetId', uuidPipe('TARGET_NOT_FOUND')) targetId: string,
    @Body() dto: UpdateTargetDto,
  ): Promise<TargetResponseDto> {
    return this.targets.update(principal, campaignId, targetId, dto);
  }

  @Delete(':targetId')
  @HttpCode(204)
  remove(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuidPipe('CAMPAIGN_NOT_FOUND')) campaignId: string,
    @Param('targetId', uuidPipe('TARGET_NOT_FOUND')) targetId: string,
  ): Promise<void> {
    return this.targets.remove(principal, campaignId, targetId);
  }

  /** Records an official's reply; the public campaign then shows the target as "replied". */
  @Post(':targetId/replies')
  addReply(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuidPipe('CAMPAIGN_NOT_FOUND')) campaignId: string,
    @Param('targetId', uuidPipe('TARGET_NOT_FOUND')) targetId: string,
    @Body() dto: CreateReplyDto,
  ): Promise<ReplyResponseDto> {
    return this.targets.addReply(principal, campaignId, targetId, dto);
  }

  /** The target's replies: those organisers recorded and the answers officials sent through their link (`status` narrows them). */
  @Get(':targetId/replies')
  replies(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuidPipe('CAMPAIGN_NOT_FOUND')) campaignId: string,
    @Param('targetId', uuidPipe('TARGET_NOT_FOUND')) targetId: string,
    @Query() query: ListRepliesQueryDto,
  ): Promise<ReplyResponseDto[]> {
    return this.answers.list(principal, campaignId, { targetId, status: query.status });
  }

  /** Approves an official's answer (pending_approval): the target shows as replied; with `public`, its words appear on the campaign page. */
  @Post(':targetId/replies/:replyId/approve')
  @HttpCode(200)
  approve(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuidPipe('CAMPAIGN_NOT_FOUND')) campaignId: string,
    @Param('targetId', uuidPipe('TARGET_NOT_FOUND')) targetId: string,
    @Param('replyId', uuidPipe('TARGET_REPLY_NOT_FOUND')) replyId: string,
    @Body() dto: ApproveAnswerDto,
  ): Promise<ReplyResponseDto> {
    return this.answers.approve(principal, campaignId, targetId, replyId, dto.public ?? false);
  }

  /** Rejects an official's answer (pending_approval): it is kept for the organisers, shown nowhere. */
  @Post(':targetId/replies/:replyId/reject')
  @HttpCode(200)
  reject(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuidPipe('CAMPAIGN_NOT_FOUND')) campaignId: string,
    @Param('targetId', uuidPipe('TARGET_NOT_FOUND')) targetId: string,
    @Param('replyId', uuidPipe('TARGET_REPLY_NOT_FOUND')) replyId: string,
  ): Promise<ReplyResponseDto> {
    return this.answers.reject(principal, campaignId, targetId, replyId);
  }

  /** Shows an approved answer's words on the campaign page, or stops showing them. */
  @Patch(':targetId/replies/:replyId')
  setPublic(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuidPipe('CAMPAIGN_NOT_FOUND')) campaignId: string,
    @Param('targetId', uuidPipe('TARGET_NOT_FOUND')) targetId: string,
    @Param('replyId', uuidPipe('TARGET_REPLY_NOT_FOUND')) replyId: string,
    @Body() dto: AnswerVisibilityDto,
  ): Promise<ReplyResponseDto> {
    return this.answers.setPublic(principal, campaignId, targetId, replyId, dto.public);
  }

  @Get()
  list(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuidPipe('CAMPAIGN_NOT_FOUND')) campaignId: string,
  ): Promise<TargetResponseDto[]> {
    return this.targets.list(principal, campaignId);
  }
}
