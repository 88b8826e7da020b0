import { Trim } from '../../../common/trim';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { CampaignResponseDto } from './campaign-response.dto';

/** An admin sends a campaign back from review: what its organisers should change. */
export class RejectReviewDto {
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  note: string;
}

/** A campaign waiting for review, with the name of its organisation. */
export class CampaignInReviewDto extends CampaignResponseDto {
  organisationName: string;
}

/** Campaigns waiting for review, the longest waiting first. */
export class CampaignReviewListResponseDto {
  items: CampaignInReviewDto[];
}
