import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

/** A page of a keyset-paged list, newest first: `limit` rows after `cursor`. */
export class KeysetPageQueryDto {
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
}
