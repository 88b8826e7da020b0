import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { LETTER_STATUSES, type LetterStatus } from '../letter.entity';

export class ListLettersQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100000, default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100000)
  page = 1;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  pageSize = 50;

  @IsOptional()
  @ApiPropertyOptional({ enum: [...LETTER_STATUSES] })
  @IsIn(LETTER_STATUSES)
  status?: LetterStatus;

  @IsOptional()
  @IsUUID()
  targetId?: string;
}
