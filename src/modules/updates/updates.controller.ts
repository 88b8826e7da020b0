import { Body, Controller, Get, HttpCode, Ip, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, RequireOrganiser } from '../../common/principal';
import { uuidPipe } from '../../common/uuid.pipe';
import { CreateUpdateDto } from './dto/create-update.dto';
import { UpdateListResponseDto, UpdateResponseDto } from './dto/update-response.dto';
import { UpdatesService } from './updates.service';

const campaignId = uuidPipe('CAMPAIGN_NOT_FOUND');
const updateId = uuidPipe('UPDATE_NOT_FOUND');

/** Case updates of a campaign, for its organisers; with notify, a batch email and its progress. */
@ApiTags('updates')
@ApiBearerAuth()
@Controller('api/v1/campaigns/:id/updates')
export class UpdatesController {
  constructor(private readonly updates: UpdatesService) {}

  /** 201 the update; with notify, 429 UPDATE_EMAIL_CAP_REACHED (details.nextAllowedAt) over UPDATE_EMAILS_PER_WEEK. */
  @Post()
  @RequireOrganiser()
  create(@CurrentPrincipal() principal: Principal, @Param('id', campaignId) id: string, @Body() dto: CreateUpdateDto, @Ip() ip: string): Promise<UpdateResponseDto> {
    return this.updates.post(principal, id, dto, ip);
  }

  /** Newest first, with when the next notified update is allowed. */
  @Get()
  @RequireOrganiser()
  list(@CurrentPrincipal() principal: Principal, @Param('id', campaignId) id: string): Promise<UpdateListResponseDto> {
    return this.updates.list(principal, id);
  }

  /** The update with its emails so far: recipients, sent, failed, pending. */
  @Get(':updateId')
  @RequireOrganiser()
  get(
    @CurrentPrincipal() principal: Principal,
    @Param('id', campaignId) id: string,
    @Param('updateId', updateId) update: string,
  ): Promise<UpdateResponseDto> {
    return this.updates.get(principal, id, update);
  }

  @Post(':updateId/pause')
  @HttpCode(200)
  @RequireOrganiser()
  pause(@CurrentPrincipal() principal: Principal, @Param('id', campaignId) id: string, @Param('updateId', updateId) update: string, @Ip() ip: string) {
    return this.updates.pause(principal, id, update, ip);
  }

  @Post(':updateId/resume')
  @HttpCode(200)
  @RequireOrganiser()
  resume(@CurrentPrincipal() principal: Principal, @Param('id', campaignId) id: string, @Param('updateId', updateId) update: string, @Ip() ip: string) {
    return this.updates.resume(principal, id, update, ip);
  }

  @Post(':updateId/cancel')
  @HttpCode(200)
  @RequireOrganiser()
  cancel(@CurrentPrincipal() principal: Principal, @Param('id', campaignId) id: string, @Param('updateId', updateId) update: string, @Ip() ip: string) {
    return this.updates.cancel(principal, id, update, ip);
  }
}
