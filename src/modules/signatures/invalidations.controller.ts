import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { CurrentPrincipal, Principal, RequireOrganiser } from '../../common/principal';
import { uuidPipe } from '../../common/uuid.pipe';
import { CreateInvalidationDto } from './dto/create-invalidation.dto';
import { InvalidationListResponseDto, InvalidationResultDto } from './dto/invalidation-response.dto';
import { ListInvalidationsQueryDto } from './dto/list-invalidations-query.dto';
import { InvalidationsService } from './invalidations.service';

/** Bulk invalidations of a campaign's signatures, for its organisers and admins. */
@ApiTags('signatures')
@ApiBearerAuth()
@RequireOrganiser()
@Controller('api/v1/campaigns/:id/invalidations')
export class InvalidationsController {
  constructor(private readonly invalidations: InvalidationsService) {}

  /** Takes the matching signatures out (or, with dryRun, only counts them). */
  @Post()
  @HttpCode(200)
  create(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuidPipe('CAMPAIGN_NOT_FOUND')) id: string,
    @Body() dto: CreateInvalidationDto,
    @Req() request: FastifyRequest,
  ): Promise<InvalidationResultDto> {
    return this.invalidations.create(principal, id, dto, request.ip);
  }

  /** The campaign's invalidations, newest first. */
  @Get()
  list(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuidPipe('CAMPAIGN_NOT_FOUND')) id: string,
    @Query() query: ListInvalidationsQueryDto,
  ): Promise<InvalidationListResponseDto> {
    return this.invalidations.list(principal, id, query);
  }
}
