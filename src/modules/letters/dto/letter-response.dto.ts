import type { LetterMode, Locale } from '../../campaigns/campaign.entity';
import type { LetterText } from '../letters.repository';

export class LetterResponseDto {
  mode: LetterMode;
  locale: Locale;
  subject: string | null;
  body: string | null;
  /** The letter in other languages, sent to targets of that language. */
  translations: Partial<Record<Locale, LetterText>>;
  placeholders: string[];
}

export class LetterPreviewResponseDto {
  locale: Locale;
  subject: string;
  text: string;
  html: string;
}
