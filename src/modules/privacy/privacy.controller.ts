import { Body, Controller, Header, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { CurrentPrincipal, Principal, RequireAdmin } from '../../common/principal';
import { AdminErasureDto } from './dto/admin-erasure.dto';
import { ConfirmErasureDto } from './dto/confirm-erasure.dto';
import { CreatePrivacyRequestDto } from './dto/create-privacy-request.dto';
import { AdminErasureResponseDto, ErasureResponseDto, PrivacyRequestAcceptedResponseDto } from './dto/privacy-response.dto';
import { PrivacyService } from './privacy.service';

/** The one body every erasure or access request gets, whether or not the address signed anything: no oracle. */
const ACCEPTED: PrivacyRequestAcceptedResponseDto = Object.freeze({ status: 'pending' });

@ApiTags('privacy')
@Controller('api/v1')
export class PrivacyController {
  constructor(private readonly privacy: PrivacyService) {}

  /** Ask for an erasure link. 202 `{status:"pending"}` for every address; only one that signed is mailed. */
  @Post('privacy/erasure-requests')
  @HttpCode(202)
  @Header('Cache-Control', 'no-store')
  async requestErasure(@Body() dto: CreatePrivacyRequestDto, @Req() request: FastifyRequest): Promise<PrivacyRequestAcceptedResponseDto> {
    await this.privacy.request('erasure', dto, request.ip);
    return ACCEPTED;
  }

  /** Ask what Nida holds about an address. 202 `{status:"pending"}` for every address; only one that signed is mailed. */
  @Post('privacy/access-requests')
  @HttpCode(202)
  @Header('Cache-Control', 'no-store')
  async requestAccess(@Body() dto: CreatePrivacyRequestDto, @Req() request: FastifyRequest): Promise<PrivacyRequestAcceptedResponseDto> {
    await this.privacy.request('access', dto, request.ip);
    return ACCEPTED;
  }

  /** Erase with the token from an erasure link. The same token again: the same 200. 404 PRIVACY_LINK_INVALID, 410 PRIVACY_LINK_EXPIRED. */
  @Post('privacy/erasures')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  async erase(@Body() dto: ConfirmErasureDto): Promise<ErasureResponseDto> {
    await this.privacy.erase(dto.token);
    return { status: 'erased' };
  }

  /** Erase an address at once (a supporter who asked by other means): `{erased}` signatures anonymised. */
  @Post('admin/erasures')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @ApiBearerAuth()
  @RequireAdmin()
  adminErase(@CurrentPrincipal() principal: Principal, @Body() dto: AdminErasureDto, @Req() request: FastifyRequest): Promise<AdminErasureResponseDto> {
    return this.privacy.adminErase(principal, dto.email, request.ip);
  }
}
