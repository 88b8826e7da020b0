import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AllowConsoleSession, CurrentPrincipal, Principal, RequireOrganiser } from '../../common/principal';
import { uuidPipe } from '../../common/uuid.pipe';
import { ListSignaturesQueryDto } from './dto/list-signatures-query.dto';
import { SignatureFiltersQueryDto } from './dto/signature-filters-query.dto';
import { SignatureListResponseDto } from './dto/signature-list-response.dto';
import { SignatureListService, sendCsv } from './signature-list.service';

/**
 * A campaign's signatures, every status, for its organisers and admins: listed, or exported as CSV.
 * Both are reads, so a signed-in console session may open them too (the console's export button
 * links here and to its own route), besides a bearer token.
 */
@ApiTags('signatures')
@ApiBearerAuth()
@RequireOrganiser()
@AllowConsoleSession()
@Controller('api/v1/campaigns/:id')
export class SignatureListController {
  constructor(private readonly signatures: SignatureListService) {}

  /** Signatures newest first, a page at a time, filtered by status, country, date or exact email. */
  @Get('signatures')
  list(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuidPipe('CAMPAIGN_NOT_FOUND')) id: string,
    @Query() query: ListSignaturesQueryDto,
  ): Promise<SignatureListResponseDto> {
    return this.signatures.list(principal, id, query);
  }

  /** The same signatures (same filters, no paging) as one CSV file, streamed; recorded in the audit log. */
  @Get('signatures.csv')
  @ApiOkResponse({
    description: 'UTF-8 with a BOM, CRLF lines, a header row of the list\'s field names; cells that could start a formula begin with an apostrophe.',
    content: { 'text/csv': { schema: { type: 'string' } } },
  })
  async export(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuidPipe('CAMPAIGN_NOT_FOUND')) id: string,
    @Query() query: SignatureFiltersQueryDto,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const file = await this.signatures.export(principal, id, query, request.ip);
    await sendCsv(reply, file);
  }
}

