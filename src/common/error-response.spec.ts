import { BadRequestException, HttpException, Logger, NotFoundException } from '@nestjs/common';
import { AppError, CommonErrors } from './app-error';
import { toErrorResponse } from './error-response';

describe('toErrorResponse', () => {
  it('keeps an AppError as it is, with details and headers', () => {
    const error = new AppError(429, 'AUTH_THROTTLED', 'wait', { retryAfterSeconds: 2 }, { 'Retry-After': '2' });
    expect(toErrorResponse(error, 100)).toEqual({
      body: { statusCode: 429, code: 'AUTH_THROTTLED', message: 'wait', details: { retryAfterSeconds: 2 } },
      headers: { 'Retry-After': '2' },
    });
  });

  it('maps the framework errors to stable codes', () => {
    expect(toErrorResponse(new BadRequestException('Unexpected token'), 100).body.code).toBe('BODY_MALFORMED');
    expect(toErrorResponse(new HttpException('too big', 413), 100).body).toMatchObject({
      statusCode: 413,
      code: 'BODY_TOO_LARGE',
    });
    expect(toErrorResponse(new HttpException('x', 415), 100).body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(toErrorResponse(new NotFoundException(), 100).body.code).toBe('ROUTE_NOT_FOUND');
  });

  it('hides anything unexpected behind a 500 without its message', () => {
    const { body } = toErrorResponse(new Error('duplicate key value (email)=(someone@example.org)'), 100);
    expect(body).toEqual({ statusCode: 500, code: 'INTERNAL_ERROR', message: CommonErrors.internal().message });
    expect(body.message).not.toContain('@');
  });

  it('logs the unexpected error with the id of the request it broke, so the request line can be found', () => {
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    try {
      toErrorResponse(new Error('boom'), 100, 'req-42');
      expect(logged).toHaveBeenCalledWith({ reqId: 'req-42', err: expect.objectContaining({ type: 'Error' }) }, 'Unhandled error');
    } finally {
      logged.mockRestore();
    }
  });
});
