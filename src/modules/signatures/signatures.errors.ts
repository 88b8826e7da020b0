import { HttpStatus } from '@nestjs/common';
import { AppError } from '../../common/app-error';

export const SignatureErrors = {
  /** contactConsent names an organisation that does not run this campaign. */
  consentOrganisationUnknown: () =>
    new AppError(
      HttpStatus.BAD_REQUEST,
      'SIGNATURE_CONSENT_ORGANISATION_UNKNOWN',
      "contactConsent names an organisation that does not run this campaign: use the ids of the campaign's organisation and partners.",
    ),
  /** Unknown, malformed or expired: one answer for all, so a token's state cannot be probed. */
  tokenInvalid: () =>
    new AppError(HttpStatus.NOT_FOUND, 'TOKEN_INVALID', 'This confirmation link is not valid or has expired.'),
  /** A release or discard that names neither ids nor all (or both). */
  heldSelectionRequired: () =>
    new AppError(HttpStatus.BAD_REQUEST, 'HELD_SELECTION_REQUIRED', 'Send either ids (the held signatures to act on) or all: true, not both.'),
  /** An invalidation without anything that narrows it: it would take every signature of the campaign. */
  invalidationCriteriaRequired: () =>
    new AppError(
      HttpStatus.BAD_REQUEST,
      'INVALIDATION_CRITERIA_REQUIRED',
      'Give at least one of ipHash, domain, emailPattern, from or to (status alone only narrows them).',
    ),
  /** No signature of this campaign with a comment (or its supporter's details were erased). */
  commentNotFound: () => new AppError(HttpStatus.NOT_FOUND, 'COMMENT_NOT_FOUND', 'This campaign has no such comment.'),
  /** Only a confirmed (and not invalidated) signature's comment can be approved for the public page. */
  commentNotVerified: () =>
    new AppError(HttpStatus.CONFLICT, 'COMMENT_NOT_VERIFIED', 'Only the comment of a confirmed signature can be approved.'),
  signatureNotFound: () => new AppError(HttpStatus.NOT_FOUND, 'SIGNATURE_NOT_FOUND', 'This campaign has no such signature.'),
};
