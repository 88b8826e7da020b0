import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { uuidPipe } from '../../common/uuid.pipe';
import { CurrentPrincipal, Principal, RequireOrganiser } from '../../common/principal';
import { CampaignsService } from '../campaigns/campaigns.service';
import { LetterListResponseDto } from './dto/letter-list-response.dto';
import { ListLettersQueryDto } from './dto/list-letters-query.dto';
import { LetterDeliveryRepository } from './letter-delivery.repository';

@ApiTags('letters')
@ApiBearerAuth()
@RequireOrganiser()
@Controller('api/v1/campaigns/:id/letters')
export class LetterDeliveriesController {
  constructor(
    private readonly campaigns: CampaignsService,
    private readonly letters: LetterDeliveryRepository,
  ) {}

  /** The letters sent for this campaign with their delivery status, newest first. */
  @Get()
  async list(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuidPipe('CAMPAIGN_NOT_FOUND')) id: string,
    @Query() query: ListLettersQueryDto,
  ): Promise<LetterListResponseDto> {
    await this.campaigns.owned(principal, id);
    const { rows, total } = await this.letters.list(id, { status: query.status, targetId: query.targetId }, query.page, query.pageSize);
    return {
      items: rows.map((r) => ({
        ...r,
        createdAt: r.createdAt.toISOString(),
        sentAt: r.sentAt ? r.sentAt.toISOString() : null,
      })),
      total,
      page: query.page,
      pageSize: query.pageSize,
    };
  }
}
