import { Type } from 'class-transformer';
import { SendingWindowDto } from './sending-window.dto';
import { IsBoolean, IsEmail, IsIn, IsOptional, IsString, MaxLength, MinLength, ValidateIf, ValidateNested } from 'class-validator';
import { IsCountryCode } from '../../../common/is-country-code.decorator';
import { Trim } from '../../../common/trim';
import { ApiLocale } from '../../../common/api-schema';
import { LOCALES, type Locale } from '../../../common/locale';

const present = () => ValidateIf((_, v) => v !== undefined);

/** Every field optional. Name, email, locale and emailPublic may not be null; title, organisation and country may (to clear them). */
export class UpdateTargetDto {
  @present()
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name?: string;

  @present()
  @Trim()
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email?: string;

  @IsOptional()
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  title?: string | null;

  @IsOptional()
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  organisation?: string | null;

  @present()
  @ApiLocale()
  @IsIn(LOCALES)
  locale?: Locale;

  @IsOptional()
  @IsCountryCode()
  country?: string | null;

  @present()
  @IsBoolean()
  emailPublic?: boolean;

  /** Office hours in the target's time zone; letters wait for them. null (update): always. */
  @IsOptional()
  @ValidateNested()
  @Type(() => SendingWindowDto)
  sendingWindow?: SendingWindowDto | null;
}
