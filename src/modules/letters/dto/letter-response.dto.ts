import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ApiLetterMode, ApiLocale } from '../../../common/api-schema';
import type { LetterMode } from '../../../common/letter-mode';
import type { Locale } from '../../../common/locale';

/** A letter's subject and body in one language. */
export class LetterTextDto {
  subject: string;
  body: string;
}

/** The letter in the languages other than the campaign's own. */
export class LetterTranslationsDto {
  @ApiPropertyOptional({ type: () => LetterTextDto })
  ar?: LetterTextDto;
  @ApiPropertyOptional({ type: () => LetterTextDto })
  en?: LetterTextDto;
}

export class LetterResponseDto {
  @ApiLetterMode()
  mode: LetterMode;
  @ApiLocale()
  locale: Locale;
  subject: string | null;
  body: string | null;
  /** The letter in other languages, sent to targets of that language. */
  @ApiProperty({ type: () => LetterTranslationsDto })
  translations: Partial<Record<Locale, LetterTextDto>>;
  @ApiProperty({ example: ['{{supporter.name}}', '{{count}}'] })
  placeholders: string[];
}

export class LetterPreviewResponseDto {
  /** The language the letter is shown in. */
  @ApiLocale()
  locale: Locale;
  /** The language asked for: `locale` in the query, else the target's, else the campaign's. */
  @ApiLocale({ example: 'en' })
  requestedLocale: Locale;
  /** True when the letter has no translation in `requestedLocale` and is shown in the campaign's own language. */
  fellBack: boolean;
  subject: string;
  text: string;
  html: string;
}
