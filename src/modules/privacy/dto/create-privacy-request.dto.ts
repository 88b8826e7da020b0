import { IsIn, IsOptional } from 'class-validator';
import { ApiLocale } from '../../../common/api-schema';
import { IsSupporterEmail } from '../../../common/is-supporter-email.decorator';
import { LOCALES, type Locale } from '../../../common/locale';

/** An erasure or access request: the address the supporter signed with (as the sign form takes it). */
export class CreatePrivacyRequestDto {
  /** The address that signed. Whether it signed anything is never told: every request gets the same 202. */
  @IsSupporterEmail()
  email: string;

  /** Language of the email (and of the erasure page); by default that of the supporter's latest signature. */
  @IsOptional()
  @ApiLocale()
  @IsIn(LOCALES)
  locale?: Locale;
}
