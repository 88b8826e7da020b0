import { HttpStatus } from '@nestjs/common';
import { AppError } from '../../common/app-error';

export const LetterDeliveryErrors = {
  notFound: () => new AppError(HttpStatus.NOT_FOUND, 'LETTER_NOT_FOUND', 'No such letter in this campaign.'),
};
