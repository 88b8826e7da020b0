import { Transform } from 'class-transformer';
import { IsBoolean, IsEmail, IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { SupporterText } from '../../../common/bidi-controls';
import { Trim } from '../../../common/trim';
import { IsCountryCode } from '../../../common/is-country-code.decorator';
import { ApiLocale } from '../../../common/api-schema';
import { LOCALES, type Locale } from '../../../common/locale';

const upper = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toUpperCase() : value);

/** What a supporter sends to sign. Name, city and comment get further rules in the service (signer-text.ts). */
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
  @Trim()
  @IsString()
  @MaxLength(254)
  @IsEmail({ allow_ip_domain: false, allow_utf8_local_part: true }, { message: 'email must be an email address' })
  @Matches(/^[^"\\]*$/, { message: 'email may not have a quoted local part' })
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
