import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { LETTER_STATUSES, type LetterStatus } from '../letter.entity';

export class ListLettersQueryDto {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100000)
  page = 1;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  pageSize = 50;

  @IsOptional()
  @IsIn(LETTER_STATUSES)
  status?: LetterStatus;

  @IsOptional()
  @IsUUID()
  targetId?: string;
}
