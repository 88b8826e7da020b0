import { IsEmail, IsIn, IsOptional, MaxLength } from 'class-validator';
import { ApiEnum } from '../../../common/api-schema';
import { LOCALES, type Locale } from '../../../common/locale';
import { ORGANISER_ROLES, type OrganiserRole } from '../../../common/principal';
import { Trim } from '../../../common/trim';

export class CreateInvitationDto {
  @Trim()
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email: string;

  /** `organiser` (default) or `admin`. */
  @IsOptional()
  @ApiEnum(ORGANISER_ROLES, { required: false })
  @IsIn(ORGANISER_ROLES)
  role?: OrganiserRole;

  /** The language of the email and of the page its link opens (default `ar`). */
  @IsOptional()
  @ApiEnum(LOCALES, { required: false })
  @IsIn(LOCALES)
  locale?: Locale;
}
