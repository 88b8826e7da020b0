import { HttpStatus } from '@nestjs/common';

export interface ErrorDetail {
  field: string;
  problems: string[];
}

/**
 * The one error type the services throw: a stable SCREAMING_SNAKE code, the HTTP status it
 * maps to, a message for humans and optional details. The exception filter turns it into
 * `{ statusCode, code, message, details? }`.
 */
export class AppError extends Error {
  constructor(
    readonly status: HttpStatus,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

/** Errors shared by every module. */
export const CommonErrors = {
  validation: (details: ErrorDetail[]) =>
    new AppError(HttpStatus.BAD_REQUEST, 'VALIDATION_FAILED', 'The request has invalid fields.', details),
  bodyMalformed: (message = 'The request body is not valid JSON.') =>
    new AppError(HttpStatus.BAD_REQUEST, 'BODY_MALFORMED', message),
  bodyTooDeep: (maxDepth: number) =>
    new AppError(HttpStatus.BAD_REQUEST, 'BODY_TOO_DEEP', `The request body nests deeper than ${maxDepth} levels.`),
  /** U+0000 is never text a person typed, and PostgreSQL refuses it in text columns. */
  nulCharacter: (field: string) =>
    new AppError(HttpStatus.BAD_REQUEST, 'VALIDATION_FAILED', 'The request has invalid fields.', [
      { field, problems: [`${field} may not contain the NUL character (U+0000)`] },
    ]),
  requestMalformed: (message = 'The request is not valid HTTP.') =>
    new AppError(HttpStatus.BAD_REQUEST, 'REQUEST_MALFORMED', message),
  pathMalformed: () => new AppError(HttpStatus.BAD_REQUEST, 'PATH_MALFORMED', 'The address is malformed.'),
  contentEncodingUnsupported: () =>
    new AppError(
      HttpStatus.UNSUPPORTED_MEDIA_TYPE,
      'CONTENT_ENCODING_UNSUPPORTED',
      'Send the body uncompressed (no Content-Encoding).',
    ),
  bodyTooLarge: (limit: number) =>
    new AppError(HttpStatus.PAYLOAD_TOO_LARGE, 'BODY_TOO_LARGE', `The request body is larger than ${limit} bytes.`),
  unsupportedMediaType: () =>
    new AppError(
      HttpStatus.UNSUPPORTED_MEDIA_TYPE,
      'UNSUPPORTED_MEDIA_TYPE',
      'Send the body as application/json.',
    ),
  routeNotFound: () => new AppError(HttpStatus.NOT_FOUND, 'ROUTE_NOT_FOUND', 'There is nothing at this address.'),
  authRequired: () =>
    new AppError(HttpStatus.UNAUTHORIZED, 'AUTH_REQUIRED', 'A valid bearer token is required.', undefined, {
      'WWW-Authenticate': 'Bearer',
    }),
  forbidden: (message = 'You may not do this.') => new AppError(HttpStatus.FORBIDDEN, 'AUTH_FORBIDDEN', message),
  internal: () => new AppError(HttpStatus.INTERNAL_SERVER_ERROR, 'INTERNAL_ERROR', 'Something went wrong on our side.'),
};
