import { HttpStatus } from '@nestjs/common';
import { AppError } from '../../common/app-error';

export const AbuseErrors = {
  /** The email's domain is a disposable-address service (disposable-email-domains-js's list). */
  emailDisposable: () =>
    new AppError(
      HttpStatus.BAD_REQUEST,
      'EMAIL_DISPOSABLE',
      'Addresses from disposable email services cannot sign. Please use an email address you keep.',
      [{ field: 'email', problems: ['email is at a disposable email service'] }],
    ),
  blockNotFound: () => new AppError(HttpStatus.NOT_FOUND, 'BLOCK_NOT_FOUND', 'No such block or allow entry.'),
  blockExists: () =>
    new AppError(HttpStatus.CONFLICT, 'BLOCK_EXISTS', 'The lists have an entry of this type and value already; delete it first to change it.'),
};
