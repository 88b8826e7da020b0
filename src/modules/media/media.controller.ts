import { Body, Controller, Delete, HttpCode, Param, Patch, Put, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../../common/app-error';
import { readUpload } from '../../common/multipart-upload';
import { CurrentPrincipal, Principal, RequireOrganiser } from '../../common/principal';
import { uuidPipe } from '../../common/uuid.pipe';
import { MediaSettings } from '../../config/environment';
import { ImageTextsDto } from './dto/image-texts.dto';
import { CampaignMediaDto } from './dto/public-image.dto';
import { MediaErrors } from './media.errors';
import { MediaService } from './media.service';

const campaignId = uuidPipe('CAMPAIGN_NOT_FOUND');

/** The multipart form of a photo upload, for the API documentation. */
const UPLOAD_SCHEMA = {
  type: 'object',
  required: ['image', 'altAr', 'altEn'],
  properties: {
    image: { type: 'string', format: 'binary', description: 'JPEG, PNG or WebP, up to IMAGE_MAX_BYTES' },
    altAr: { type: 'string', maxLength: 300, description: 'what the photo shows, in Arabic' },
    altEn: { type: 'string', maxLength: 300, description: 'what the photo shows, in English' },
    credit: { type: 'string', maxLength: 200, description: 'who took it (optional)' },
  },
};

@ApiTags('campaigns')
@Controller('api/v1')
export class MediaController {
  constructor(
    private readonly media: MediaService,
    private readonly settings: MediaSettings,
  ) {}

  /** Sets the campaign's photo (multipart: `image`, `altAr`, `altEn`, `credit`); answers its versions. */
  @Put('campaigns/:id/image')
  @ApiBearerAuth()
  @RequireOrganiser()
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: UPLOAD_SCHEMA })
  async put(@CurrentPrincipal() principal: Principal, @Param('id', campaignId) id: string, @Req() request: FastifyRequest): Promise<CampaignMediaDto> {
    const upload = await readUpload(request, {
      fileField: 'image',
      maxBytes: this.settings.IMAGE_MAX_BYTES,
      tooLarge: () => MediaErrors.tooLarge(this.settings.IMAGE_MAX_BYTES),
      notMultipart: MediaErrors.notMultipart,
      malformed: () => new AppError(400, 'IMAGE_UPLOAD_MALFORMED', 'Send one file, "image", and the text fields altAr, altEn and credit.'),
      refuseByLength: true,
    });
    return this.media.setImage(principal, id, upload.file?.data ?? null, upload.fields, upload.file?.filename, request.ip);
  }

  /** Replaces the photo's alt texts and credit (JSON), keeping its files; 404 IMAGE_NOT_FOUND without a photo. */
  @Patch('campaigns/:id/image')
  @ApiBearerAuth()
  @RequireOrganiser()
  async texts(
    @CurrentPrincipal() principal: Principal,
    @Param('id', campaignId) id: string,
    @Body() body: ImageTextsDto,
    @Req() request: FastifyRequest,
  ): Promise<CampaignMediaDto> {
    return this.media.setTexts(principal, id, body, request.ip);
  }

  /** Removes the campaign's photo and its files. */
  @Delete('campaigns/:id/image')
  @HttpCode(204)
  @ApiBearerAuth()
  @RequireOrganiser()
  async remove(@CurrentPrincipal() principal: Principal, @Param('id', campaignId) id: string, @Req() request: FastifyRequest): Promise<void> {
    await this.media.removeImage(principal, id, request.ip);
  }
}
