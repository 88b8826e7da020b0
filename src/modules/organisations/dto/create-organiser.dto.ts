import { Trim } from '../../../common/trim';
import { IsEmail, IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { ApiEnum } from '../../../common/api-schema';
import { ORGANISER_ROLES, type OrganiserRole } from '../../../common/principal';


export class CreateOrganiserDto {
  @Trim()
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email: string;

  /** 12 characters or more. */
  @IsString()
  @MinLength(12, { message: 'password must be at least 12 characters' })
  @MaxLength(256)
  password: string;

  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name: string;

  /** `organiser` (default: own organisation only) or `admin` (everything). */
  @IsOptional()
  @ApiEnum(ORGANISER_ROLES, { required: false })
  @IsIn(ORGANISER_ROLES)
  role?: OrganiserRole;
}
