import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { SupporterText } from '../../../common/bidi-controls';
import { IsCountryCode } from '../../../common/is-country-code.decorator';
import { ApiLocale } from '../../../common/api-schema';
import { IsSupporterEmail } from '../../../common/is-supporter-email.decorator';
import { LOCALES, type Locale } from '../../../common/locale';

const upper = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toUpperCase() : value);

/** What a supporter sends to sign. Name, city and comment get the further rules below, checked by the service and the page form. */
export class CreateSignatureDto {
  /**
   * 1–100 characters, any script; no web addresses; not starting with = + - @ or a tab. Bidi
   * embeddings, overrides and isolates are removed (see common/bidi-controls.ts).
   */
  @SupporterText()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name: string;

  /**
   * A plain address. A quoted local part (`"layla"@gmail.com`) is refused: it is the same mailbox
   * as `layla@gmail.com` but would not compare equal, so it could sign twice; no one needs one.
   */
  @IsSupporterEmail()
  email: string;

  /** ISO 3166-1 alpha-2. */
  @Transform(upper)
  @IsCountryCode()
  country: string;

  @IsOptional()
  @SupporterText()
  @IsString()
  @MaxLength(100)
  city?: string;

  @IsOptional()
  @SupporterText()
  @IsString()
  @MaxLength(1000)
  comment?: string;

  /** Appear publicly as first name and city. */
  @IsOptional()
  @IsBoolean()
  showName?: boolean;

  /** The organisation may send news about the campaign. */
  @IsOptional()
  @IsBoolean()
  contactConsent?: boolean;

  /** The officials written to may reply to me directly (my address goes in their Reply-To). */
  @IsOptional()
  @IsBoolean()
  replyConsent?: boolean;

  /** Language of the emails; the campaign's own by default. */
  @IsOptional()
  @ApiLocale()
  @IsIn(LOCALES)
  locale?: Locale;
}

// ── further rules on what a signer types (the API and the page form word them differently) ──

/** Characters that make a spreadsheet treat a cell as a formula, and a tab. */
const FORMULA_START = /^[=+\-@\t]/;
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f\u2028\u2029]/;
const URL_LIKE = /(:\/\/|www\.|\b[\p{L}\p{N}-]+\.(?:com|net|org|info|io|ru|cn|xyz|top|ly|me|co|biz|online|site|click|link)\b)/iu;

/** Why a supporter's name is refused, or null when it is fine. Any script is welcome. */
export function nameProblem(name: string): string | null {
  if (FORMULA_START.test(name)) return 'name may not start with = + - @ or a tab';
  if (CONTROL.test(name)) return 'name may not contain control characters or line breaks';
  if (URL_LIKE.test(name)) return 'name may not contain a web address';
  return null;
}

/** Why a free-text field (city, comment) is refused, or null. Line breaks are allowed in comments. */
export function textProblem(field: string, value: string, allowLineBreaks: boolean): string | null {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  const control = allowLineBreaks ? /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/ : CONTROL;
  if (control.test(value)) return `${field} may not contain control characters`;
  if (FORMULA_START.test(value)) return `${field} may not start with = + - @ or a tab`;
  return null;
}
