import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { uuidPipe } from '../../common/uuid.pipe';
import { CurrentPrincipal, Principal, RequireOrganiser } from '../../common/principal';
import { InvitePartnerDto } from './dto/invite-partner.dto';
import { PartnerListResponseDto, PartnerResponseDto, PartnershipResponseDto } from './dto/partner-response.dto';
import { UpdatePartnerDto } from './dto/update-partner.dto';
import { PartnersService } from './partners.service';

const campaignId = uuidPipe('CAMPAIGN_NOT_FOUND');
const partnerId = uuidPipe('PARTNER_NOT_FOUND');

/**
 * Coalitions. The lead's organisers: `/campaigns/:id/partners` (invite, change a role, remove);
 * any organisation running the campaign lists them. A partner's organisers: `/partnerships`
 * (their organisation's invitations; accept, decline or leave).
 */
@ApiTags('partners')
@ApiBearerAuth()
@RequireOrganiser()
@Controller('api/v1')
export class PartnersController {
  constructor(private readonly partners: PartnersService) {}

  @Get('campaigns/:id/partners')
  list(@CurrentPrincipal() principal: Principal, @Param('id', campaignId) id: string): Promise<PartnerListResponseDto> {
    return this.partners.list(principal, id);
  }

  @Post('campaigns/:id/partners')
  invite(@CurrentPrincipal() principal: Principal, @Param('id', campaignId) id: string, @Body() dto: InvitePartnerDto): Promise<PartnerResponseDto> {
    return this.partners.invite(principal, id, dto);
  }

  @Patch('campaigns/:id/partners/:organisationId')
  setRole(
    @CurrentPrincipal() principal: Principal,
    @Param('id', campaignId) id: string,
    @Param('organisationId', partnerId) organisationId: string,
    @Body() dto: UpdatePartnerDto,
  ): Promise<PartnerResponseDto> {
    return this.partners.setRole(principal, id, organisationId, dto.role);
  }

  @Delete('campaigns/:id/partners/:organisationId')
  @HttpCode(204)
  async remove(
    @CurrentPrincipal() principal: Principal,
    @Param('id', campaignId) id: string,
    @Param('organisationId', partnerId) organisationId: string,
  ): Promise<void> {
    await this.partners.remove(principal, id, organisationId);
  }

  /** The caller's organisation's invitations (`invited`) and partnerships (`accepted`). */
  @Get('partnerships')
  mine(@CurrentPrincipal() principal: Principal): Promise<PartnershipResponseDto[]> {
    return this.partners.mine(principal);
  }

  @Post('partnerships/:campaignId/accept')
  @HttpCode(200)
  accept(@CurrentPrincipal() principal: Principal, @Param('campaignId', uuidPipe('PARTNERSHIP_NOT_FOUND')) id: string): Promise<PartnershipResponseDto> {
    return this.partners.accept(principal, id);
  }

  /** Declines an invitation, or leaves a campaign. */
  @Post('partnerships/:campaignId/decline')
  @HttpCode(200)
  decline(@CurrentPrincipal() principal: Principal, @Param('campaignId', uuidPipe('PARTNERSHIP_NOT_FOUND')) id: string): Promise<PartnershipResponseDto> {
    return this.partners.decline(principal, id);
  }
}
