import { HttpStatus } from '@nestjs/common';
import { AppError } from '../../common/app-error';

/** Why a photo was refused: nothing is stored for any of them. */
export const MediaErrors = {
  noPhoto: () => new AppError(HttpStatus.NOT_FOUND, 'IMAGE_NOT_FOUND', 'The campaign has no photo: upload one with PUT …/image, its texts with it.'),
  fileMissing: () => new AppError(HttpStatus.BAD_REQUEST, 'IMAGE_FILE_MISSING', 'Send the photo as the multipart field "image".'),
  notMultipart: () => new AppError(HttpStatus.UNSUPPORTED_MEDIA_TYPE, 'IMAGE_NOT_MULTIPART', 'Send the photo as multipart/form-data.'),
  tooLarge: (limit: number) =>
    new AppError(HttpStatus.PAYLOAD_TOO_LARGE, 'IMAGE_TOO_LARGE', `The photo is larger than ${limit} bytes.`, { limitBytes: limit }),
  typeUnsupported: () =>
    new AppError(HttpStatus.UNSUPPORTED_MEDIA_TYPE, 'IMAGE_TYPE_UNSUPPORTED', 'The file is not a JPEG, PNG or WebP image (judged by its content, not its name).'),
  typeMismatch: (named: string, found: string) =>
    new AppError(
      HttpStatus.UNSUPPORTED_MEDIA_TYPE,
      'IMAGE_TYPE_MISMATCH',
      `The file's name says ${named.toUpperCase()} but its content is ${found.toUpperCase()}: export the photo again, or give it the right name.`,
      { named, found },
    ),
  tooManyPixels: (limit: number) =>
    new AppError(HttpStatus.UNPROCESSABLE_ENTITY, 'IMAGE_TOO_MANY_PIXELS', `The photo has more than ${limit} pixels.`, { limitPixels: limit }),
  unreadable: () => new AppError(HttpStatus.UNPROCESSABLE_ENTITY, 'IMAGE_UNREADABLE', 'The photo could not be read: it is damaged or incomplete.'),
  tooSmall: (min: number) =>
    new AppError(HttpStatus.UNPROCESSABLE_ENTITY, 'IMAGE_TOO_SMALL', `The photo must be at least ${min} pixels wide and high.`, { minPixels: min }),
};
