import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { uuidPipe } from '../../common/uuid.pipe';
import { CurrentPrincipal, Principal, RequireAdmin, RequireOrganiser } from '../../common/principal';
import { CampaignsService } from './campaigns.service';
import { CampaignListResponseDto, CampaignResponseDto } from './dto/campaign-response.dto';
import { CreateCampaignDto } from './dto/create-campaign.dto';
import { ListCampaignsQueryDto } from './dto/list-campaigns-query.dto';
import { PublicCampaignListResponseDto } from './dto/public-campaign-response.dto';
import { UpdateCampaignDto } from './dto/update-campaign.dto';
import { WinCampaignDto } from './dto/win-campaign.dto';
import { CampaignReviewListResponseDto, RejectReviewDto } from './dto/campaign-review.dto';

const campaignId = uuidPipe('CAMPAIGN_NOT_FOUND');

@ApiTags('campaigns')
@Controller('api/v1')
export class CampaignsController {
  constructor(private readonly campaigns: CampaignsService) {}

  /** Live campaigns, newest first. */
  @Get('campaigns')
  list(@Query() query: ListCampaignsQueryDto): Promise<PublicCampaignListResponseDto> {
    return this.campaigns.listPublic(query.page, query.pageSize, query.kind);
  }

  // GET campaigns/:slug/count, the count alone, is a plain Fastify route: campaign-count-http.ts.

  @Post('campaigns')
  @ApiBearerAuth()
  @RequireOrganiser()
  create(@CurrentPrincipal() principal: Principal, @Body() dto: CreateCampaignDto): Promise<CampaignResponseDto> {
    return this.campaigns.create(principal, dto);
  }

  @Patch('campaigns/:id')
  @ApiBearerAuth()
  @RequireOrganiser()
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', campaignId) id: string,
    @Body() dto: UpdateCampaignDto,
  ): Promise<CampaignResponseDto> {
    return this.campaigns.update(principal, id, dto);
  }

  @Post('campaigns/:id/publish')
  @HttpCode(200)
  @ApiBearerAuth()
  @RequireOrganiser()
  publish(@CurrentPrincipal() principal: Principal, @Param('id', campaignId) id: string, @Req() request: FastifyRequest): Promise<CampaignResponseDto> {
    return this.campaigns.publish(principal, id, request.ip);
  }

  @Post('campaigns/:id/close')
  @HttpCode(200)
  @ApiBearerAuth()
  @RequireOrganiser()
  close(@CurrentPrincipal() principal: Principal, @Param('id', campaignId) id: string, @Req() request: FastifyRequest): Promise<CampaignResponseDto> {
    return this.campaigns.close(principal, id, request.ip);
  }

  /** Marks a victory ("released", "law withdrawn"). */
  @Post('campaigns/:id/win')
  @HttpCode(200)
  @ApiBearerAuth()
  @RequireOrganiser()
  win(
    @CurrentPrincipal() principal: Principal,
    @Param('id', campaignId) id: string,
    @Body() dto: WinCampaignDto,
    @Req() request: FastifyRequest,
  ): Promise<CampaignResponseDto> {
    return this.campaigns.win(principal, id, dto.outcome, request.ip);
  }

  /** Campaigns waiting for review (PUBLISH_REQUIRES_REVIEW), the longest waiting first. Admins only (403 AUTH_ADMIN_ONLY). */
  @Get('admin/reviews')
  @ApiBearerAuth()
  @RequireAdmin()
  reviews(@CurrentPrincipal() principal: Principal): Promise<CampaignReviewListResponseDto> {
    return this.campaigns.listInReview(principal);
  }

  /** An admin approves a campaign in review: it goes live. Approving it again changes nothing (200). */
  @Post('campaigns/:id/review/approve')
  @HttpCode(200)
  @ApiBearerAuth()
  @RequireAdmin()
  approveReview(@CurrentPrincipal() principal: Principal, @Param('id', campaignId) id: string, @Req() request: FastifyRequest): Promise<CampaignResponseDto> {
    return this.campaigns.approveReview(principal, id, request.ip);
  }

  /** An admin sends a campaign in review back to draft with a note for its organisers (`reviewNote`). */
  @Post('campaigns/:id/review/reject')
  @HttpCode(200)
  @ApiBearerAuth()
  @RequireAdmin()
  rejectReview(
    @CurrentPrincipal() principal: Principal,
    @Param('id', campaignId) id: string,
    @Body() dto: RejectReviewDto,
    @Req() request: FastifyRequest,
  ): Promise<CampaignResponseDto> {
    return this.campaigns.rejectReview(principal, id, dto.note, request.ip);
  }

  /** All campaigns of an organisation, drafts included. */
  @Get('organisations/:id/campaigns')
  @ApiBearerAuth()
  @RequireOrganiser()
  listForOrganisation(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuidPipe('ORGANISATION_NOT_FOUND')) organisationId: string,
    @Query() query: ListCampaignsQueryDto,
  ): Promise<CampaignListResponseDto> {
    return this.campaigns.listForOrganisation(principal, organisationId, query.page, query.pageSize);
  }
}
