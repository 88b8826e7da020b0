import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { uuidPipe } from '../../common/uuid.pipe';
import { CurrentPrincipal, Principal, RequireOrganiser } from '../../common/principal';
import { CreateTargetDto } from './dto/create-target.dto';
import { CreateReplyDto } from './dto/create-reply.dto';
import { ReplyResponseDto, TargetResponseDto } from './dto/target-response.dto';
import { UpdateTargetDto } from './dto/update-target.dto';
import { TargetsService } from './targets.service';

@ApiTags('targets')
@ApiBearerAuth()
@RequireOrganiser()
@Controller('api/v1/campaigns/:id/targets')
export class TargetsController {
  constructor(private readonly targets: TargetsService) {}

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

  @Get(':targetId/replies')
  replies(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuidPipe('CAMPAIGN_NOT_FOUND')) campaignId: string,
    @Param('targetId', uuidPipe('TARGET_NOT_FOUND')) targetId: string,
  ): Promise<ReplyResponseDto[]> {
    return this.targets.replies(principal, campaignId, targetId);
  }

  @Get()
  list(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuidPipe('CAMPAIGN_NOT_FOUND')) campaignId: string,
  ): Promise<TargetResponseDto[]> {
    return this.targets.list(principal, campaignId);
  }
}
