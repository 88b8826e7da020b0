import { applyDecorators } from '@nestjs/common';
import { IsEmail, isEmail, IsString, Matches, MaxLength, maxLength } from 'class-validator';
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
    MaxLength(EMAIL_MAX_LENGTH),
    IsEmail(EMAIL_OPTIONS, { message: 'email must be an email address' }),
    Matches(UNQUOTED, { message: 'email may not have a quoted local part' }),
  ) as PropertyDecorator;
}

const EMAIL_MAX_LENGTH = 254;
const EMAIL_OPTIONS = { allow_ip_domain: false, allow_utf8_local_part: true };
const UNQUOTED = /^[^"\\]*$/;

/** Whether an already trimmed string passes IsSupporterEmail's checks (for a compiled check). */
export function isSupporterEmail(value: string): boolean {
  return maxLength(value, EMAIL_MAX_LENGTH) && isEmail(value, EMAIL_OPTIONS) && UNQUOTED.test(value);
}
