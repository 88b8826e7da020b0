import { Body, Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { CurrentPrincipal, Principal, RequireAdmin } from '../../common/principal';
import { uuidPipe } from '../../common/uuid.pipe';
import { OrganiserResponseDto } from '../organisations/dto/organiser-response.dto';
import { AuthService } from './auth.service';
import { CreateInvitationDto } from './dto/create-invitation.dto';
import { InvitationResponseDto } from './dto/invitation-response.dto';
import { InvitationsService } from './invitations.service';

/**
 * Admins invite organisers, and disable them (and enable them again): a disabled organiser's tokens
 * and console sessions stop working at once.
 */
@ApiTags('organisations')
@ApiBearerAuth()
@RequireAdmin()
@Controller('api/v1/organisations')
export class OrganiserAccessController {
  constructor(
    private readonly auth: AuthService,
    private readonly invitations: InvitationsService,
  ) {}

  /** Invites an organiser by email: they get a one-use link to choose their name and password. */
  @Post(':id/invitations')
  invite(
    @Param('id', uuidPipe('ORGANISATION_NOT_FOUND')) id: string,
    @Body() dto: CreateInvitationDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
  ): Promise<InvitationResponseDto> {
    return this.invitations.invite(principal, id, dto, request.ip);
  }

  @Post(':id/organisers/:organiserId/disable')
  @HttpCode(200)
  disable(
    @Param('id', uuidPipe('ORGANISATION_NOT_FOUND')) id: string,
    @Param('organiserId', uuidPipe('ORGANISER_NOT_FOUND')) organiserId: string,
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
  ): Promise<OrganiserResponseDto> {
    return this.auth.setOrganiserDisabled(principal, id, organiserId, true, request.ip);
  }

  @Post(':id/organisers/:organiserId/enable')
  @HttpCode(200)
  enable(
    @Param('id', uuidPipe('ORGANISATION_NOT_FOUND')) id: string,
    @Param('organiserId', uuidPipe('ORGANISER_NOT_FOUND')) organiserId: string,
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
  ): Promise<OrganiserResponseDto> {
    return this.auth.setOrganiserDisabled(principal, id, organiserId, false, request.ip);
  }
}
