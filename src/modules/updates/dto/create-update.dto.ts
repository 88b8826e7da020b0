import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsString, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { enumOf } from '../../../common/api-schema';
import { Trim } from '../../../common/trim';
import { CASE_STATUSES, type CaseStatus } from '../../campaigns/dto/case-status.dto';

const ApiCaseStatus = enumOf(CASE_STATUSES, 'released');

/** An update's title and body in one language. Body: blank line = paragraph, as a campaign's. */
export class UpdateTextDto {
  @ApiProperty({ minLength: 3, maxLength: 200, example: 'Salim has been released' })
  @Trim()
  @IsString()
  @MinLength(3)
  @MaxLength(200)
  title: string;

  @ApiProperty({ minLength: 1, maxLength: 10000 })
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(10000)
  body: string;
}

/** The texts in the other language (the update's own is the campaign's). */
export class UpdateTranslationsDto {
  @ApiPropertyOptional({ type: () => UpdateTextDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => UpdateTextDto)
  ar?: UpdateTextDto;

  @ApiPropertyOptional({ type: () => UpdateTextDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => UpdateTextDto)
  en?: UpdateTextDto;
}

/** A case update: in the campaign's language, optionally translated; `notify` emails it to consenting supporters. */
export class CreateUpdateDto extends UpdateTextDto {
  @ApiPropertyOptional({ type: () => UpdateTranslationsDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => UpdateTranslationsDto)
  translations?: UpdateTranslationsDto;

  /** Email it to every verified supporter who agreed to be contacted (at most UPDATE_EMAILS_PER_WEEK a week). */
  @IsBoolean()
  notify: boolean;

  /** An urgent action's new case status, set with the update. */
  @ApiCaseStatus({ required: false })
  @IsOptional()
  @IsIn(CASE_STATUSES)
  caseStatus?: CaseStatus;
}
