import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { REPLY_STATUSES, type ReplyStatus } from '../target-reply.entity';

/** `GET …/answers?status=pending_approval`: the campaign's replies, narrowed to one status. */
export class ListRepliesQueryDto {
  @ApiPropertyOptional({ enum: [...REPLY_STATUSES] })
  @IsOptional()
  @IsIn(REPLY_STATUSES)
  status?: ReplyStatus;
}
