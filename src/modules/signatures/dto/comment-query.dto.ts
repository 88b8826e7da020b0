import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { KeysetPageQueryDto } from '../../../common/keyset-page-query.dto';

export const COMMENT_STATUSES = ['pending', 'approved', 'hidden'] as const;
export type CommentStatus = (typeof COMMENT_STATUSES)[number];

/** The moderation queue: a campaign's comments of one status (default `pending`), newest first. */
export class ListCommentsQueryDto extends KeysetPageQueryDto {
  @ApiPropertyOptional({ enum: [...COMMENT_STATUSES], default: 'pending' })
  @IsOptional()
  @IsIn(COMMENT_STATUSES, { message: `status must be one of ${COMMENT_STATUSES.join(', ')}` })
  status: CommentStatus = 'pending';
}

/** A page of the public comments, newest first. */
export class PublicCommentsQueryDto extends KeysetPageQueryDto {}
