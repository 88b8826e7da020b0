import { applyDecorators } from '@nestjs/common';
import { IsEmail, IsString, Matches, MaxLength } from 'class-validator';
import { Trim } from './trim';

/**
 * A supporter's email as signing takes it (and as erasure and access requests take it back):
 * trimmed, at most 254 characters, no IP-address domain, no quoted local part (`"layla"@gmail.com`
 * is delivered as `layla@gmail.com` but would not compare equal).
 */
export function IsSupporterEmail(): PropertyDecorator {
  return applyDecorators(
    Trim(),
    IsString(),
    MaxLength(254),
    IsEmail({ allow_ip_domain: false, allow_utf8_local_part: true }, { message: 'email must be an email address' }),
    Matches(/^[^"\\]*$/, { message: 'email may not have a quoted local part' }),
  ) as PropertyDecorator;
}
