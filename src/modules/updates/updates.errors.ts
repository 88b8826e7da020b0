import { HttpStatus } from '@nestjs/common';
import { AppError } from '../../common/app-error';
import type { SendState } from './case-update.entity';

export const UpdateErrors = {
  notFound: () => new AppError(HttpStatus.NOT_FOUND, 'UPDATE_NOT_FOUND', 'No such update.'),
  /** UPDATE_EMAILS_PER_WEEK notified updates in the last 7 days: the next may go at `nextAllowedAt`. */
  capReached: (perWeek: number, nextAllowedAt: Date) => {
    const retryAfter = Math.max(1, Math.ceil((nextAllowedAt.getTime() - Date.now()) / 1000));
    return new AppError(
      HttpStatus.TOO_MANY_REQUESTS,
      'UPDATE_EMAIL_CAP_REACHED',
      `This campaign has emailed ${perWeek} updates in the last 7 days; the next may be emailed from ${nextAllowedAt.toISOString()}. It may still be posted without notify.`,
      { perWeek, nextAllowedAt: nextAllowedAt.toISOString() },
      { 'Retry-After': String(retryAfter) },
    );
  },
  notNotified: () => new AppError(HttpStatus.CONFLICT, 'UPDATE_NOT_NOTIFIED', 'This update was not emailed: there is no send to pause, resume or cancel.'),
  sendState: (state: SendState, action: string) =>
    new AppError(HttpStatus.CONFLICT, 'UPDATE_SEND_STATE', `A send that is ${state} cannot be ${action}.`, { state }),
  campaignNotPublished: () =>
    new AppError(HttpStatus.CONFLICT, 'UPDATE_CAMPAIGN_NOT_PUBLISHED', 'A draft campaign has no supporters to update: publish it first.'),
  unsubscribeInvalid: () => new AppError(HttpStatus.NOT_FOUND, 'UNSUBSCRIBE_TOKEN_INVALID', 'This unsubscribe link is not valid.'),
};
