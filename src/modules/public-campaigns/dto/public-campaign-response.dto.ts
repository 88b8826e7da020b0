import { ApiProperty } from '@nestjs/swagger';
import { PublicCampaignDto } from '../../campaigns/dto/public-campaign-response.dto';
import { PublicTargetDto } from '../../targets/dto/target-response.dto';
import { PublicUpdateDto } from '../../updates/dto/update-response.dto';

/** A published campaign as anyone sees it, with the officials it writes to and its case updates. */
export class PublicCampaignResponseDto extends PublicCampaignDto {
  /** The officials it writes to: names and titles; an address only where the organiser made it public. */
  @ApiProperty({ type: () => [PublicTargetDto] })
  targets: PublicTargetDto[];

  /** Its case updates, newest first. */
  @ApiProperty({ type: () => [PublicUpdateDto] })
  updates: PublicUpdateDto[];
}
