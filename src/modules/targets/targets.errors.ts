import { HttpStatus } from '@nestjs/common';
import { AppError } from '../../common/app-error';

export const TargetErrors = {
  notFound: () => new AppError(HttpStatus.NOT_FOUND, 'TARGET_NOT_FOUND', 'No such target in this campaign.'),
};
