import { ApiEnum } from '../../../common/api-schema';
import { INVALIDATION_STATUSES, type InvalidationStatus } from './create-invalidation.dto';

/** The criteria an invalidation was given (normalised: domain in lower case, instants in ISO 8601 UTC). */
export class InvalidationCriteriaDto {
  ipHash?: string;
  domain?: string;
  emailPattern?: string;
  from?: string;
  to?: string;
  @ApiEnum(INVALIDATION_STATUSES, { required: false })
  status?: InvalidationStatus;
}

/** One recorded invalidation: who took which signatures out, when, why and how many. */
export class InvalidationDto {
  id: string;
  campaignId: string;
  criteria: InvalidationCriteriaDto;
  reason: string;
  /** Signatures it took: verified ones invalidated plus pending and held ones deleted. */
  matched: number;
  /** The organiser who did it (null once their account is gone). */
  createdBy: string | null;
  createdAt: string;
}

/** What an invalidation matched (a dry run) or did. */
export class InvalidationResultDto {
  dryRun: boolean;
  /** counted + unconfirmed. */
  matched: number;
  /** Verified signatures: taken out of the count (status invalidated, their unsent letters cancelled). */
  counted: number;
  /** Pending and held signatures: deleted (never counted, never mailed again). */
  unconfirmed: number;
  /** The record; null for a dry run. */
  invalidation: InvalidationDto | null;
}

export class InvalidationListResponseDto {
  items: InvalidationDto[];
  /** Pass as `cursor` for the next page; null on the last. */
  nextCursor: string | null;
}
