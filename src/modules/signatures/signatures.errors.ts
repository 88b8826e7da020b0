import { HttpStatus } from '@nestjs/common';
import { AppError } from '../../common/app-error';

export const SignatureErrors = {
  /** Unknown, malformed or expired: one answer for all, so a token's state cannot be probed. */
  tokenInvalid: () =>
    new AppError(HttpStatus.NOT_FOUND, 'TOKEN_INVALID', 'This confirmation link is not valid or has expired.'),
};
