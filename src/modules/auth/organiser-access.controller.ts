import { Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { CurrentPrincipal, Principal, RequireAdmin } from '../../common/principal';
import { uuidPipe } from '../../common/uuid.pipe';
import { OrganiserResponseDto } from '../organisations/dto/organiser-response.dto';
import { AuthService } from './auth.service';

/** Admins disable an organiser (and enable them again): their tokens and console sessions stop working at once. */
@ApiTags('organisations')
@ApiBearerAuth()
@RequireAdmin()
@Controller('api/v1/organisations')
export class OrganiserAccessController {
  constructor(private readonly auth: AuthService) {}

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
