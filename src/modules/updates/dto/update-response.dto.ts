import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ApiEnum, ApiLocale } from '../../../common/api-schema';
import type { Locale } from '../../../common/locale';
import { SEND_STATES, type SendState, type UpdateTranslations } from '../case-update.entity';
import { UpdateTranslationsDto } from './create-update.dto';

/** Where a notified update's emails stand, from its delivery rows. */
export class UpdateSendProgressDto {
  /** Delivery rows written so far (every recipient once the fan-out is done). */
  recipients: number;
  sent: number;
  /** Refused for good: a 5xx at send, every attempt used, or a delivery report (bounce) received later. */
  failed: number;
  /** Still to send (waiting, queued or being sent). */
  pending: number;
  /** Not sent: the supporter unsubscribed, bounced or was erased before their turn. */
  skipped: number;
  /** Not sent: the organiser cancelled the send. */
  cancelled: number;
}

/** A case update as its organisers see it. */
export class UpdateResponseDto {
  id: string;
  campaignId: string;
  /** The language of title and body (the campaign's). */
  @ApiLocale()
  locale: Locale;
  title: string;
  body: string;
  @ApiProperty({ type: () => UpdateTranslationsDto })
  translations: UpdateTranslations;
  /** The case status this update set, if any. */
  @ApiProperty({ type: String, nullable: true, example: 'released' })
  caseStatus: string | null;
  notify: boolean;
  /** Null when not notified. */
  @ApiEnum(SEND_STATES, { nullable: true })
  sendState: SendState | null;
  /** True once every recipient has its delivery row. */
  fannedOut: boolean;
  finishedAt: string | null;
  createdAt: string;
  /** The single update's read (GET …/updates/:updateId) and a post: its emails so far; null when not notified, and in lists. */
  @ApiPropertyOptional({ type: () => UpdateSendProgressDto, nullable: true })
  progress: UpdateSendProgressDto | null;
  /** Flat copies of progress (0 when not notified), as the progress page reads them. */
  recipients: number;
  sent: number;
  failed: number;
  pending: number;
}

export class UpdateListResponseDto {
  @ApiProperty({ type: () => [UpdateResponseDto] })
  items: UpdateResponseDto[];
  /** UPDATE_EMAILS_PER_WEEK, and when the next notified update is allowed (null: now). */
  emailsPerWeek: number;
  @ApiProperty({ type: String, nullable: true })
  nextNotifyAllowedAt: string | null;
}

/** An update as anyone sees it, in the language asked for when it has it (else its own). */
export class PublicUpdateDto {
  id: string;
  @ApiLocale()
  locale: Locale;
  title: string;
  body: string;
  @ApiProperty({ type: String, nullable: true, example: 'released' })
  caseStatus: string | null;
  createdAt: string;
}
