import { HttpStatus } from '@nestjs/common';
import { AppError } from '../../common/app-error';

export const TargetErrors = {
  notFound: () => new AppError(HttpStatus.NOT_FOUND, 'TARGET_NOT_FOUND', 'No such target in this campaign.'),
  replyNotFound: () => new AppError(HttpStatus.NOT_FOUND, 'TARGET_REPLY_NOT_FOUND', 'No such reply to this target.'),
  replyDecided: (status: string) =>
    new AppError(HttpStatus.CONFLICT, 'TARGET_REPLY_DECIDED', `This answer was already ${status === 'approved' ? 'approved' : 'rejected'}.`, { status }),
  replyNotAnswer: () =>
    new AppError(
      HttpStatus.CONFLICT,
      'TARGET_REPLY_NOT_ANSWER',
      'Only an approved answer an official sent through the letter’s link can be made public or private here.',
    ),
};
