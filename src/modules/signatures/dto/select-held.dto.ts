import { ArrayMaxSize, ArrayNotEmpty, IsArray, IsBoolean, IsOptional, IsString, IsUUID, Matches } from 'class-validator';
import { HELD_REASON } from './list-held-query.dto';

/** Which held signatures to release or discard: some by id, or all of them; either narrowed by reason. */
export class SelectHeldDto {
  /** Held signatures of this campaign (others, and ones no longer held, are left alone). */
  @IsOptional()
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(1000)
  @IsUUID('all', { each: true })
  ids?: string[];

  /** Every held signature of the campaign (with `reason`: every one held for it). */
  @IsOptional()
  @IsBoolean()
  all?: boolean;

  /** Only those held for this reason. */
  @IsOptional()
  @IsString()
  @Matches(HELD_REASON, { message: 'reason must be a held reason such as ip_burst' })
  reason?: string;
}
