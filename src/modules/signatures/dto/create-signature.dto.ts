import { Transform } from 'class-transformer';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, MaxLength, MinLength, registerDecorator } from 'class-validator';
import { SupporterText } from '../../../common/bidi-controls';
import { IsCountryCode } from '../../../common/is-country-code.decorator';
import { ApiLocale } from '../../../common/api-schema';
import { IsSupporterEmail } from '../../../common/is-supporter-email.decorator';
import { LOCALES, type Locale } from '../../../common/locale';

/** More organisations than any coalition has on one campaign: a longer list is refused (400). */
export const MAX_CONSENT_ORGANISATIONS = 50;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `true`/`false`, or a list of at most MAX_CONSENT_ORGANISATIONS organisation ids (UUIDs). */
function IsContactConsent(): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isContactConsent',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: `${String(propertyName)} must be true, false or a list of at most ${MAX_CONSENT_ORGANISATIONS} organisation ids` },
      validator: {
        validate: (value: unknown) =>
          typeof value === 'boolean' ||
          (Array.isArray(value) && value.length <= MAX_CONSENT_ORGANISATIONS && value.every((v) => typeof v === 'string' && UUID.test(v))),
      },
    });
}

/** A signer's consent as the signing statement takes it: every organisation of the campaign, or those listed (lower case, once each). */
export function consentOf(value: boolean | string[] | undefined): 'all' | string[] {
  if (value === true) return 'all';
  if (!Array.isArray(value)) return [];
  return [...new Set(value.map((v) => v.toLowerCase()))];
}

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

  /**
   * Who may send news about the campaign: `true` every organisation running it (the lead and its
   * partners), or the ids of those chosen (the campaign's `organisation.id` and `partners[].id`);
   * `false`, absent or `[]`: none. An id that is not one of the campaign's: 400 SIGNATURE_CONSENT_ORGANISATION_UNKNOWN.
   */
  @IsOptional()
  @ApiPropertyOptional({ oneOf: [{ type: 'boolean' }, { type: 'array', items: { type: 'string', format: 'uuid' }, maxItems: MAX_CONSENT_ORGANISATIONS }] })
  @IsContactConsent()
  contactConsent?: boolean | string[];

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
