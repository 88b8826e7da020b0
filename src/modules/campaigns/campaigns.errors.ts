import { HttpStatus } from '@nestjs/common';
import { AppError } from '../../common/app-error';
import type { CampaignStatus } from './campaign.entity';

export const CampaignErrors = {
  notFound: () => new AppError(HttpStatus.NOT_FOUND, 'CAMPAIGN_NOT_FOUND', 'No such campaign.'),
  forbidden: () =>
    new AppError(HttpStatus.FORBIDDEN, 'CAMPAIGN_FORBIDDEN', 'This campaign belongs to another organisation.'),
  /** The caller's organisation runs the campaign, but its role does not allow this (a partner, not the lead; a viewer, not an editor). */
  roleForbidden: (need: 'edit' | 'lead') =>
    new AppError(
      HttpStatus.FORBIDDEN,
      'CAMPAIGN_ROLE_FORBIDDEN',
      need === 'lead' ? "Only the campaign's lead organisation may do this." : 'Only the lead and editor partners may change this campaign.',
      { need },
    ),
  partnerOrganisationNotFound: () => new AppError(HttpStatus.NOT_FOUND, 'PARTNER_ORGANISATION_NOT_FOUND', 'No such organisation.'),
  partnerIsLead: () => new AppError(HttpStatus.BAD_REQUEST, 'PARTNER_IS_LEAD', 'The lead organisation cannot be its own partner.'),
  partnerExists: () =>
    new AppError(HttpStatus.CONFLICT, 'PARTNER_EXISTS', 'This organisation is already invited to, or a partner of, this campaign.'),
  partnerNotFound: () => new AppError(HttpStatus.NOT_FOUND, 'PARTNER_NOT_FOUND', 'This organisation is not a partner of this campaign.'),
  partnershipNotFound: () => new AppError(HttpStatus.NOT_FOUND, 'PARTNERSHIP_NOT_FOUND', 'Your organisation has no invitation to this campaign.'),
  slugTaken: () => new AppError(HttpStatus.CONFLICT, 'CAMPAIGN_SLUG_TAKEN', 'Another campaign has this slug.'),
  invalidTransition: (from: CampaignStatus, to: CampaignStatus) =>
    new AppError(
      HttpStatus.CONFLICT,
      'CAMPAIGN_INVALID_TRANSITION',
      `A ${from} campaign cannot become ${to}.`,
      { from, to },
    ),
  deadlinePassed: () =>
    new AppError(
      HttpStatus.CONFLICT,
      'CAMPAIGN_DEADLINE_PASSED',
      'The deadline (endsAt) has passed: set a later one before publishing.',
    ),
  lockedField: (field: string) =>
    new AppError(HttpStatus.CONFLICT, 'CAMPAIGN_FIELD_LOCKED', `${field} can only change while the campaign is a draft.`, {
      field,
    }),
  conflict: () =>
    new AppError(HttpStatus.CONFLICT, 'CAMPAIGN_CONFLICT', 'The campaign changed while this request was applied; read it again and retry.'),
  inReview: () =>
    new AppError(HttpStatus.CONFLICT, 'CAMPAIGN_IN_REVIEW', 'The campaign is waiting for an admin\'s review: it cannot change until it is approved or sent back.'),
  notInReview: (status: CampaignStatus) =>
    new AppError(HttpStatus.CONFLICT, 'CAMPAIGN_NOT_IN_REVIEW', `The campaign is ${status}, not waiting for review.`, { status }),
  closed: () => new AppError(HttpStatus.CONFLICT, 'CAMPAIGN_CLOSED', 'This campaign is closed.'),
};
