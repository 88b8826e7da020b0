import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { CurrentPrincipal, Principal, RequireOrganiser } from '../../common/principal';
import { uuidPipe } from '../../common/uuid.pipe';
import {
  HeldDiscardedResponseDto,
  HeldReleasedResponseDto,
  HeldSignatureListResponseDto,
} from './dto/held-signature-response.dto';
import { ListHeldQueryDto } from './dto/list-held-query.dto';
import { SelectHeldDto } from './dto/select-held.dto';
import { HeldSignaturesService } from './held-signatures.service';

/** Held signatures of a campaign, for its organisers and admins. */
@ApiTags('signatures')
@ApiBearerAuth()
@RequireOrganiser()
@Controller('api/v1/campaigns/:id/signatures/held')
export class HeldSignaturesController {
  constructor(private readonly held: HeldSignaturesService) {}

  /** Held signatures, newest first, a page at a time: never the email, only its domain. */
  @Get()
  list(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuidPipe('CAMPAIGN_NOT_FOUND')) id: string,
    @Query() query: ListHeldQueryDto,
  ): Promise<HeldSignatureListResponseDto> {
    return this.held.list(principal, id, query);
  }

  /** Makes them pending and mails each its confirmation (within SIGNATURE_MAX_EMAILS). */
  @Post('release')
  @HttpCode(200)
  release(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuidPipe('CAMPAIGN_NOT_FOUND')) id: string,
    @Body() dto: SelectHeldDto,
    @Req() request: FastifyRequest,
  ): Promise<HeldReleasedResponseDto> {
    return this.held.release(principal, id, dto, request.ip);
  }

  /** Deletes them: never counted, never mailed; the person may sign again. */
  @Post('discard')
  @HttpCode(200)
  discard(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuidPipe('CAMPAIGN_NOT_FOUND')) id: string,
    @Body() dto: SelectHeldDto,
    @Req() request: FastifyRequest,
  ): Promise<HeldDiscardedResponseDto> {
    return this.held.discard(principal, id, dto, request.ip);
  }
}
