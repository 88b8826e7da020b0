import { Body, Controller, Get, Header, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { uuidPipe } from '../../common/uuid.pipe';
import { CurrentPrincipal, Principal, RequireOrganiser } from '../../common/principal';
import { ConfirmSignatureDto } from './dto/confirm-signature.dto';
import { CreateSignatureDto } from './dto/create-signature.dto';
import { ResendConfirmationDto } from './dto/resend-confirmation.dto';
import {
  CampaignStatsResponseDto,
  SignatureAcceptedResponseDto,
  SignatureConfirmedResponseDto,
} from './dto/signature-response.dto';
import { SignaturesService } from './signatures.service';

/** The one body every accepted signing request gets, whatever the signer's state: no oracle. */
const ACCEPTED: SignatureAcceptedResponseDto = Object.freeze({ status: 'pending' });

@ApiTags('signatures')
@Controller('api/v1')
export class SignaturesController {
  constructor(private readonly signatures: SignaturesService) {}

  /** Sign a live campaign. 202 `{status:"pending"}` for a new, a duplicate and a verified signer alike. */
  @Post('campaigns/:slug/signatures')
  @HttpCode(202)
  @Header('Cache-Control', 'no-store')
  async sign(
    @Param('slug') slug: string,
    @Body() dto: CreateSignatureDto,
    @Req() request: FastifyRequest,
  ): Promise<SignatureAcceptedResponseDto> {
    await this.signatures.sign(slug, dto, request.ip);
    return ACCEPTED;
  }

  /**
   * "I didn't get the email": a pending signature with this address gets a fresh confirmation link
   * (within SIGNATURE_MAX_EMAILS). 202 `{status:"pending"}` for every well-formed address, whether
   * it signed, is waiting or confirmed: no oracle. 404 for an unknown or draft campaign.
   */
  @Post('campaigns/:slug/resend-confirmation')
  @HttpCode(202)
  @Header('Cache-Control', 'no-store')
  async resendConfirmation(
    @Param('slug') slug: string,
    @Body() dto: ResendConfirmationDto,
    @Req() request: FastifyRequest,
  ): Promise<SignatureAcceptedResponseDto> {
    await this.signatures.resendConfirmation(slug, dto.email, request.ip);
    return ACCEPTED;
  }

  /** Confirm a signature with the token from its email. The same token again gives the same 200. */
  @Post('signatures/confirm')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  confirm(@Body() dto: ConfirmSignatureDto): Promise<SignatureConfirmedResponseDto> {
    return this.signatures.confirm(dto.token);
  }

  /** Verified and pending counts, by country and by day, and milestones reached. */
  @Get('campaigns/:id/stats')
  @ApiBearerAuth()
  @RequireOrganiser()
  stats(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuidPipe('CAMPAIGN_NOT_FOUND')) id: string,
  ): Promise<CampaignStatsResponseDto> {
    return this.signatures.stats(principal, id);
  }
}
