import { ApiProperty } from '@nestjs/swagger';
import { COMMENT_STATUSES, type CommentStatus } from './comment-query.dto';

/** A supporter's comment as its campaign's organisers see it in the moderation queue. */
export class CommentDto {
  signatureId: string;
  text: string;
  /** The supporter's full name (null once anonymised, when the comment is gone too). */
  name: string | null;
  city: string | null;
  country: string;
  /** Whether the supporter agreed to be named on the public page (organisers can turn it off). */
  showName: boolean;
  @ApiProperty({ enum: [...COMMENT_STATUSES] })
  status: CommentStatus;
  /** Whether the public page shows it now (under the campaign's `comments` setting). */
  shown: boolean;
  verifiedAt: string;
  moderatedAt: string | null;
}

export class CommentListResponseDto {
  items: CommentDto[];
  nextCursor: string | null;
}

/** What approving or hiding one comment did (`changed: false`: it already was so). */
export class CommentModerationResponseDto {
  signatureId: string;
  @ApiProperty({ enum: [...COMMENT_STATUSES] })
  status: CommentStatus;
  changed: boolean;
}

export class BulkModerationResponseDto {
  /** Comments whose status changed (the others already had it, are unknown, or are not confirmed). */
  changed: number;
}

export class HideNameResponseDto {
  signatureId: string;
  showName: false;
  changed: boolean;
}

/**
 * A comment as the public sees it: the first name and city only of a supporter who chose to be
 * shown (else null: "a supporter"), and the day it was confirmed in the campaign's time zone.
 */
export class PublicCommentDto {
  text: string;
  firstName: string | null;
  city: string | null;
  /** YYYY-MM-DD. */
  date: string;
}

export class PublicCommentListResponseDto {
  items: PublicCommentDto[];
  nextCursor: string | null;
}
