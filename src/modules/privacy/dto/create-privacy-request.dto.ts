import { IsEmail, IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { ApiLocale } from '../../../common/api-schema';
import { LOCALES, type Locale } from '../../../common/locale';
import { Trim } from '../../../common/trim';

/** An erasure or access request: the address the supporter signed with (as the sign form takes it). */
export class CreatePrivacyRequestDto {
  /** The address that signed. Whether it signed anything is never told: every request gets the same 202. */
  @Trim()
  @IsString()
  @MaxLength(254)
  @IsEmail({ allow_ip_domain: false, allow_utf8_local_part: true }, { message: 'email must be an email address' })
  @Matches(/^[^"\\]*$/, { message: 'email may not have a quoted local part' })
  email: string;

  /** Language of the email (and of the erasure page); by default that of the supporter's latest signature. */
  @IsOptional()
  @ApiLocale()
  @IsIn(LOCALES)
  locale?: Locale;
}
