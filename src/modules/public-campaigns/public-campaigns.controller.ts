import { Controller, Get, Param } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CampaignsService } from '../campaigns/campaigns.service';
import { PublicCampaignResponseDto } from './dto/public-campaign-response.dto';
import { TargetsService } from '../targets/targets.service';
import { MediaService } from '../media/media.service';

/** Public reads that bring several features together (campaigns depend on nothing that depends on them). */
@ApiTags('campaigns')
@Controller('api/v1')
export class PublicCampaignsController {
  constructor(
    private readonly campaigns: CampaignsService,
    private readonly targets: TargetsService,
    private readonly media: MediaService,
  ) {}

  /** A published campaign (live, closed or won) with its signature count, its targets, its photo and share card. */
  @Get('campaigns/:slug')
  async get(@Param('slug') slug: string): Promise<PublicCampaignResponseDto> {
    const campaign = await this.campaigns.getPublic(slug);
    return { ...campaign, targets: await this.targets.listPublic(campaign.id), ...(await this.media.mediaOf(campaign.id, true)) };
  }
}
