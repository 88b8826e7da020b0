import { HttpStatus } from '@nestjs/common';
import { AppError } from '../../common/app-error';

export const PrivacyErrors = {
  /** Unknown or malformed (or long since purged): one answer for all, so a token's state cannot be probed. */
  linkInvalid: () => new AppError(HttpStatus.NOT_FOUND, 'PRIVACY_LINK_INVALID', 'This erasure link is not valid. Ask for a new one.'),
  /** A real link, not used, past PRIVACY_LINK_TTL_HOURS. */
  linkExpired: () => new AppError(HttpStatus.GONE, 'PRIVACY_LINK_EXPIRED', 'This erasure link has expired. Ask for a new one.'),
};
