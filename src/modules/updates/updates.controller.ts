import { Body, Controller, Get, Headers, HttpCode, Ip, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, RequireOrganiser } from '../../common/principal';
import { uuidPipe } from '../../common/uuid.pipe';
import { CreateUpdateDto } from './dto/create-update.dto';
import { requestKeyOf } from './dto/request-key.dto';
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

  /**
   * 201 the update; with notify, 429 UPDATE_EMAIL_CAP_REACHED (details.nextAllowedAt) over
   * UPDATE_EMAILS_PER_WEEK. A repeat with an earlier post's Idempotency-Key answers that update
   * (201, the same id) and posts and emails nothing.
   */
  @Post()
  @RequireOrganiser()
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Any 8 to 200 visible ASCII characters (a UUID): a repeat of a post with the same key for the same campaign returns the first update and sends nothing again.' })
  create(
    @CurrentPrincipal() principal: Principal,
    @Param('id', campaignId) id: string,
    @Body() dto: CreateUpdateDto,
    @Ip() ip: string,
    @Headers('idempotency-key') key: unknown,
  ): Promise<UpdateResponseDto> {
    return this.updates.post(principal, id, dto, ip, requestKeyOf(key));
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
