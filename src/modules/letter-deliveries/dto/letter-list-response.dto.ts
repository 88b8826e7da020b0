import { ApiEnum } from '../../../common/api-schema';
import { LETTER_STATUSES, type LetterStatus } from '../letter.entity';

/** One letter and how its delivery went. */
export class LetterDeliveryDto {
  id: string;
  targetId: string;
  targetName: string;
  /** The supporter's signature (per_signature letters); null for a digest. */
  signatureId: string | null;
  @ApiEnum(LETTER_STATUSES)
  status: LetterStatus;
  attempts: number;
  /** The last SMTP failure, summarised (never a supporter's address). */
  lastError: string | null;
  messageId: string | null;
  createdAt: string;
  sentAt: string | null;
}

export class LetterListResponseDto {
  items: LetterDeliveryDto[];
  total: number;
  page: number;
  pageSize: number;
}
