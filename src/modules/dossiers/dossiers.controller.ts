import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { attachment } from '../../common/content-disposition';
import { AllowConsoleSession, CurrentPrincipal, Principal, RequireOrganiser } from '../../common/principal';
import { uuidPipe } from '../../common/uuid.pipe';
import { DossiersService } from './dossiers.service';

@ApiTags('targets')
@ApiBearerAuth()
@RequireOrganiser()
@AllowConsoleSession()
@Controller('api/v1/campaigns/:id/targets/:targetId')
export class DossiersController {
  constructor(private readonly dossiers: DossiersService) {}

  /**
   * The target's dossier as a PDF, in the target's language: the letter, the campaign text, the
   * verified count and when it was read, the countries and the names of supporters who chose to be
   * shown. 503 PDF_ENGINE_UNAVAILABLE without Chromium, PDF_ENGINE_BUSY when too many are printing.
   */
  @Get('dossier.pdf')
  @ApiOkResponse({ content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } } })
  async dossier(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuidPipe('CAMPAIGN_NOT_FOUND')) campaignId: string,
    @Param('targetId', uuidPipe('TARGET_NOT_FOUND')) targetId: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const file = await this.dossiers.forOrganiser(principal, campaignId, targetId, request.ip);
    await reply
      .status(200)
      .header('Content-Type', 'application/pdf')
      .header('Content-Disposition', attachment(file.filename, 'dossier.pdf'))
      .header('Cache-Control', 'no-store')
      .send(file.pdf);
  }
}
