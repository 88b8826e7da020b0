import { Type } from 'class-transformer';
import { SendingWindowDto } from './sending-window.dto';
import { Trim } from '../../../common/trim';
import { IsBoolean, IsEmail, IsIn, IsOptional, IsString, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { IsCountryCode } from '../../../common/is-country-code.decorator';
import { ApiLocale } from '../../../common/api-schema';
import { LOCALES, type Locale } from '../../../common/locale';


export class CreateTargetDto {
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @Trim()
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email: string;

  @IsOptional()
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  title?: string;

  @IsOptional()
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  organisation?: string;

  /** The language letters to this target are written in; the campaign's own by default. */
  @IsOptional()
  @ApiLocale()
  @IsIn(LOCALES)
  locale?: Locale;

  @IsOptional()
  @IsCountryCode()
  country?: string;

  /** Show the address on the public campaign (default false: addresses stay private). */
  @IsOptional()
  @IsBoolean()
  emailPublic?: boolean;

  /** Office hours in the target's time zone; letters wait for them. null (update): always. */
  @IsOptional()
  @ValidateNested()
  @Type(() => SendingWindowDto)
  sendingWindow?: SendingWindowDto | null;
}
