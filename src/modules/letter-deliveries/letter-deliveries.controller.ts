import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { uuidPipe } from '../../common/uuid.pipe';
import { CurrentPrincipal, Principal, RequireOrganiser } from '../../common/principal';
import { LetterListResponseDto } from './dto/letter-list-response.dto';
import { ListLettersQueryDto } from './dto/list-letters-query.dto';
import { LetterDeliveriesService } from './letter-deliveries.service';

@ApiTags('letters')
@ApiBearerAuth()
@RequireOrganiser()
@Controller('api/v1/campaigns/:id/letters')
export class LetterDeliveriesController {
  constructor(private readonly letters: LetterDeliveriesService) {}

  /** The letters sent for this campaign with their delivery status, newest first. */
  @Get()
  list(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuidPipe('CAMPAIGN_NOT_FOUND')) id: string,
    @Query() query: ListLettersQueryDto,
  ): Promise<LetterListResponseDto> {
    return this.letters.list(principal, id, query);
  }
}
