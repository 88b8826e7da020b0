import { Transform } from 'class-transformer';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, MaxLength, maxLength, MinLength, minLength, registerDecorator } from 'class-validator';
import { SupporterText, supporterText } from '../../../common/bidi-controls';
import { isCountryCode } from '../../../common/countries';
import { IsCountryCode } from '../../../common/is-country-code.decorator';
import { ApiLocale } from '../../../common/api-schema';
import { IsSupporterEmail, isSupporterEmail } from '../../../common/is-supporter-email.decorator';
import { LOCALES, type Locale } from '../../../common/locale';
import { registerCompiledCheck } from '../../../common/validation.pipe';

/** More organisations than any coalition has on one campaign: a longer list is refused (400). */
export const MAX_CONSENT_ORGANISATIONS = 50;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `true`/`false`, or a list of at most MAX_CONSENT_ORGANISATIONS organisation ids (UUIDs). */
const isContactConsent = (value: unknown): boolean =>
  typeof value === 'boolean' ||
  (Array.isArray(value) && value.length <= MAX_CONSENT_ORGANISATIONS && value.every((v) => typeof v === 'string' && UUID.test(v)));

/** Validates contactConsent with isContactConsent. */
function IsContactConsent(): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isContactConsent',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: `${String(propertyName)} must be true, false or a list of at most ${MAX_CONSENT_ORGANISATIONS} organisation ids` },
      validator: { validate: isContactConsent },
    });
}

/** A signer's consent as the signing statement takes it: every organisation of the campaign, or those listed (lower case, once each). */
export function consentOf(value: boolean | string[] | undefined): 'all' | string[] {
  if (value === true) return 'all';
  if (!Array.isArray(value)) return [];
  return [...new Set(value.map((v) => v.toLowerCase()))];
}

const upperCode = (value: string): string => value.trim().toUpperCase();
const upper = ({ value }: { value: unknown }) => (typeof value === 'string' ? upperCode(value) : value);

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

const SIGN_FIELDS = new Set(['name', 'email', 'country', 'city', 'comment', 'showName', 'contactConsent', 'replyConsent', 'locale']);

/** A parsed JSON object: its prototype is an Object.prototype (of any realm), whose own is null. */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype !== null && Object.getPrototypeOf(prototype) === null;
}

/** An optional text field of a signature, as SupporterText, IsString and MaxLength take it: the value, or null when it is not certainly valid. */
function optionalText(value: unknown, max: number): string | undefined | null {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') return null;
  const text = supporterText(value);
  return maxLength(text, max) ? text : null;
}

/**
 * CreateSignatureDto's rules above, compiled for the signing route (see registerCompiledCheck):
 * the DTO when every field is certainly valid, null otherwise (anything unusual, a null or an
 * unknown field included, goes through class-validator for its usual answer).
 */
export function compiledCreateSignature(body: unknown): CreateSignatureDto | null {
  if (!isPlainObject(body)) return null;
  const b = body;
  for (const key of Object.keys(b)) if (!SIGN_FIELDS.has(key)) return null;
  if (typeof b.name !== 'string' || typeof b.email !== 'string' || typeof b.country !== 'string') return null;
  const name = supporterText(b.name);
  const email = b.email.trim();
  const country = upperCode(b.country);
  if (!minLength(name, 1) || !maxLength(name, 100) || !isSupporterEmail(email) || !isCountryCode(country)) return null;
  const city = optionalText(b.city, 100);
  const comment = optionalText(b.comment, 1000);
  if (city === null || comment === null) return null;
  for (const flag of [b.showName, b.replyConsent]) if (flag !== undefined && typeof flag !== 'boolean') return null;
  if (b.contactConsent !== undefined && !isContactConsent(b.contactConsent)) return null;
  if (b.locale !== undefined && !(LOCALES as readonly unknown[]).includes(b.locale)) return null;

  const dto = new CreateSignatureDto();
  dto.name = name;
  dto.email = email;
  dto.country = country;
  if ('city' in b) dto.city = city;
  if ('comment' in b) dto.comment = comment;
  if ('showName' in b) dto.showName = b.showName as boolean;
  if ('contactConsent' in b) dto.contactConsent = Array.isArray(b.contactConsent) ? [...(b.contactConsent as string[])] : (b.contactConsent as boolean);
  if ('replyConsent' in b) dto.replyConsent = b.replyConsent as boolean;
  if ('locale' in b) dto.locale = b.locale as Locale;
  return dto;
}

registerCompiledCheck(CreateSignatureDto, compiledCreateSignature);

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
