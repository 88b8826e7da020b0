import { ApiProperty } from '@nestjs/swagger';
import { PublicCampaignDto } from '../../campaigns/dto/public-campaign-response.dto';
import { PublicTargetDto } from '../../targets/dto/target-response.dto';
import { PublicImageDto, ShareCardDto } from '../../media/dto/public-image.dto';
import { PublicUpdateDto } from '../../updates/dto/update-response.dto';

/** A published campaign as anyone sees it, with the officials it writes to and its case updates. */
export class PublicCampaignResponseDto extends PublicCampaignDto {
  /** The officials it writes to: names and titles; an address only where the organiser made it public. */
  @ApiProperty({ type: () => [PublicTargetDto] })
  targets: PublicTargetDto[];
  /** The campaign's photo (its sizes as WebP and JPEG, alt text in each language, credit), or null. */
  @ApiProperty({ type: () => PublicImageDto, nullable: true })
  image: PublicImageDto | null;
  /** The link-preview card (1200 × 630 PNG), or null until one is rendered. */
  @ApiProperty({ type: () => ShareCardDto, nullable: true })
  shareCard: ShareCardDto | null;

  /** Its case updates, newest first. */
  @ApiProperty({ type: () => [PublicUpdateDto] })
  updates: PublicUpdateDto[];
}
