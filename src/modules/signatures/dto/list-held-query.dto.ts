import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

/** A reason a signature was held, as the signing path stores it (e.g. `ip_burst`, `honeypot`). */
export const HELD_REASON = /^[a-z][a-z0-9_]{0,49}$/;

/** A page of a campaign's held signatures, newest first. */
export class ListHeldQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit = 50;

  /** `nextCursor` of the page before. */
  @IsOptional()
  @IsString()
  @MaxLength(120)
  cursor?: string;

  /** Only those held for this reason. */
  @IsOptional()
  @IsString()
  @Matches(HELD_REASON, { message: 'reason must be a held reason such as ip_burst' })
  reason?: string;
}
