import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { ApiLocale } from '../../../common/api-schema';
import { LOCALES, type Locale } from '../../../common/locale';

export class PreviewLetterQueryDto {
  /** The letter's language; the target's (when given) or the campaign's by default. */
  @IsOptional()
  @ApiLocale({ required: false })
  @IsIn(LOCALES)
  locale?: Locale;

  /** Render it as this target would receive it. */
  @IsOptional()
  @IsUUID()
  targetId?: string;
}
