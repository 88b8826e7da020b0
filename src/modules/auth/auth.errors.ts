import { HttpStatus } from '@nestjs/common';
import { AppError } from '../../common/app-error';

export const AuthErrors = {
  invalidCredentials: () =>
    new AppError(HttpStatus.UNAUTHORIZED, 'AUTH_INVALID_CREDENTIALS', 'The email or password is wrong.'),
  throttled: (retryAfterSeconds: number) =>
    new AppError(
      HttpStatus.TOO_MANY_REQUESTS,
      'AUTH_THROTTLED',
      `Too many failed logins. Try again in ${retryAfterSeconds} s.`,
      { retryAfterSeconds },
      { 'Retry-After': String(retryAfterSeconds) },
    ),
  currentPasswordWrong: () => new AppError(HttpStatus.BAD_REQUEST, 'AUTH_CURRENT_PASSWORD_WRONG', 'The current password is wrong.'),
  cannotDisableSelf: () => new AppError(HttpStatus.CONFLICT, 'AUTH_CANNOT_DISABLE_SELF', 'An admin cannot disable their own account.'),
  resetLinkInvalid: () =>
    new AppError(HttpStatus.GONE, 'AUTH_RESET_LINK_INVALID', 'This password reset link has expired or was used already.'),
  invitationInvalid: () =>
    new AppError(HttpStatus.GONE, 'AUTH_INVITATION_INVALID', 'This invitation link has expired or was used already.'),
  adminOnly: () => new AppError(HttpStatus.FORBIDDEN, 'AUTH_ADMIN_ONLY', 'Only an admin may do this.'),
};
