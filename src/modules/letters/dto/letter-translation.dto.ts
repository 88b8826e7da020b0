import { IsString, MaxLength, MinLength } from 'class-validator';
import { Trim } from '../../../common/trim';

/** The letter in one more language; placeholders as in the campaign's own letter. */
export class LetterTranslationDto {
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  subject: string;

  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(20000)
  body: string;
}
