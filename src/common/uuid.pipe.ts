import { HttpStatus, PipeTransform } from '@nestjs/common';
import { AppError } from './app-error';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A path id that is not a UUID names nothing: 404 with the resource's own code, not a 500 from the driver. */
export function uuidPipe(notFoundCode: string): PipeTransform<string, string> {
  return {
    transform(value: string) {
      if (!UUID.test(value)) throw new AppError(HttpStatus.NOT_FOUND, notFoundCode, 'No such resource.');
      return value.toLowerCase();
    },
  };
}
