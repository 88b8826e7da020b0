import { HttpException, HttpStatus, Logger } from '@nestjs/common';
import { AppError, CommonErrors } from './app-error';
import { safeError } from './safe-error';

export interface ErrorBody {
  statusCode: number;
  code: string;
  message: string;
  details?: unknown;
}

const logger = new Logger('Errors');

/**
 * Our services throw AppError only. An HttpException therefore comes from the framework: Nest
 * turns Fastify's own errors (bad JSON, body too large, wrong media type, raised before a route
 * runs) into HttpExceptions by status, and answers unknown routes with a NotFoundException.
 */
function fromHttpException(status: number, bodyLimit: number): AppError {
  switch (status) {
    case HttpStatus.BAD_REQUEST:
      return CommonErrors.bodyMalformed();
    case HttpStatus.NOT_FOUND:
      return CommonErrors.routeNotFound();
    case HttpStatus.PAYLOAD_TOO_LARGE:
      return CommonErrors.bodyTooLarge(bodyLimit);
    case HttpStatus.UNSUPPORTED_MEDIA_TYPE:
      return CommonErrors.unsupportedMediaType();
    case HttpStatus.METHOD_NOT_ALLOWED:
      return new AppError(status, 'METHOD_NOT_ALLOWED', 'This method is not allowed here.');
    default:
      return status >= 500
        ? CommonErrors.internal()
        : new AppError(status, 'REQUEST_REJECTED', 'The request could not be handled.');
  }
}

/**
 * Maps anything thrown while serving a request to the one public error shape. An unexpected error
 * is logged, with the request's id when the caller has it (the request line carries the same id).
 */
export function toErrorResponse(
  error: unknown,
  bodyLimit: number,
  requestId?: string,
): { body: ErrorBody; headers: Record<string, string> } {
  let appError: AppError;
  if (error instanceof AppError) {
    appError = error;
  } else if (error instanceof HttpException) {
    appError = fromHttpException(error.getStatus(), bodyLimit);
  } else {
    logger.error({ reqId: requestId, err: safeError(error) }, 'Unhandled error');
    appError = CommonErrors.internal();
  }
  const body: ErrorBody = { statusCode: appError.status, code: appError.code, message: appError.message };
  if (appError.details !== undefined) body.details = appError.details;
  return { body, headers: appError.headers ?? {} };
}
