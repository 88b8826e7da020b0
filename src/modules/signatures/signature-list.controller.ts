import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentPrincipal, Principal, RequireOrganiser } from '../../common/principal';
import { uuidPipe } from '../../common/uuid.pipe';
import { ListSignaturesQueryDto } from './dto/list-signatures-query.dto';
import { SignatureFiltersQueryDto } from './dto/signature-filters-query.dto';
import { SignatureListResponseDto } from './dto/signature-list-response.dto';
import { SignatureListService } from './signature-list.service';

/** A campaign's signatures, every status, for its organisers and admins: listed, or exported as CSV. */
@ApiTags('signatures')
@ApiBearerAuth()
@RequireOrganiser()
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
    // Fastify pipes the stream with backpressure: the next batch is read only as the client takes the last.
    await reply
      .header('Content-Type', 'text/csv; charset=utf-8')
      .header('Content-Disposition', attachment(file.filename))
      .header('Cache-Control', 'no-store')
      .send(file.body);
  }
}

/**
 * Content-Disposition for a file name that may be Arabic (slugs are letters of any script): an
 * ASCII `filename` for old clients (other letters dropped) and the exact one as `filename*` (RFC 6266).
 */
export function attachment(filename: string): string {
  const ascii = filename.replace(/[^A-Za-z0-9._-]+/g, '').replace(/^[-.]+/, '') || 'signatures.csv';
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}
