import type { LetterDeliveryDto } from './letter-list-response.dto';

/** One letter with what its columns tell of its history (the console's letter page). */
export interface LetterHistoryDto extends LetterDeliveryDto {
  /** `per_signature`: one supporter's letter; `digest`: a digest of several. */
  kind: 'per_signature' | 'digest';
  /** When the dispatcher released it for sending (its target's pace and window allowed it). */
  claimedAt: string | null;
  /** When it was handed to a sender (a send job). */
  enqueuedAt: string | null;
}

/** A hard bounce of one of a target's letters: the letter, when it was sent, and the reported status (5.x.x). */
export interface TargetBounceDto {
  letterId: string;
  sentAt: string | null;
  status: string;
}
