import { Controller, Get, Headers, Param, Query } from '@nestjs/common';
import { ApiQuery, ApiTags } from '@nestjs/swagger';
import { LOCALES, type Locale } from '../../common/locale';
import { CampaignsService } from '../campaigns/campaigns.service';
import { PublicCampaignResponseDto } from './dto/public-campaign-response.dto';
import { TargetsService } from '../targets/targets.service';
import { MediaService } from '../media/media.service';
import { UpdatesService } from '../updates/updates.service';

/** `?lang=` when it names one of ours, else the first of ours Accept-Language names, else null (each update in its own language). */
function wantedLocale(lang: unknown, acceptLanguage: string | undefined): Locale | null {
  if ((LOCALES as readonly unknown[]).includes(lang)) return lang as Locale;
  for (const part of (acceptLanguage ?? '').split(',').slice(0, 20)) {
    const primary = part.trim().split(';')[0].split('-')[0].toLowerCase();
    if ((LOCALES as readonly string[]).includes(primary)) return primary as Locale;
  }
  return null;
}

/** Public reads that bring several features together (campaigns depend on nothing that depends on them). */
@ApiTags('campaigns')
@Controller('api/v1')
export class PublicCampaignsController {
  constructor(
    private readonly campaigns: CampaignsService,
    private readonly targets: TargetsService,
    private readonly media: MediaService,
    private readonly updates: UpdatesService,
  ) {}

  /**
   * A published campaign (live, closed or won) with its signature count, its targets, its photo
   * and share card, and its case updates (newest first, each in `lang` — or the language
   * Accept-Language prefers — when it has it, else in its own).
   */
  @Get('campaigns/:slug')
  @ApiQuery({ name: 'lang', required: false, enum: LOCALES })
  async get(
    @Param('slug') slug: string,
    @Query('lang') lang?: string,
    @Headers('accept-language') acceptLanguage?: string,
  ): Promise<PublicCampaignResponseDto> {
    const campaign = await this.campaigns.getPublic(slug);
    const [targets, updates, media] = await Promise.all([
      this.targets.listPublic(campaign.id),
      this.updates.listPublic(campaign.id, wantedLocale(lang, acceptLanguage)),
      this.media.mediaOf(campaign.id, true),
    ]);
    return { ...campaign, targets, updates, ...media };
  }
}
