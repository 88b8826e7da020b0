import { HttpStatus } from '@nestjs/common';
import { AppError } from '../../common/app-error';

export const OrganisationErrors = {
  notFound: () => new AppError(HttpStatus.NOT_FOUND, 'ORGANISATION_NOT_FOUND', 'No such organisation.'),
  nameTaken: () =>
    new AppError(HttpStatus.CONFLICT, 'ORGANISATION_NAME_TAKEN', 'An organisation with this name exists already.'),
  organiserEmailTaken: () =>
    new AppError(HttpStatus.CONFLICT, 'ORGANISER_EMAIL_TAKEN', 'An organiser with this email exists already.'),
  organiserNotFound: () => new AppError(HttpStatus.NOT_FOUND, 'ORGANISER_NOT_FOUND', 'No such organiser.'),
};
