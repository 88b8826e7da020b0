import { Trim } from '../../../common/trim';
import { IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

export class WinCampaignDto {
  /** What was won, in a few words ("released", "law withdrawn"). */
  @IsOptional()
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  outcome?: string;
}
