import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsUUID } from 'class-validator';

export const COMMENT_ACTIONS = ['approve', 'hide'] as const;
export type CommentAction = (typeof COMMENT_ACTIONS)[number];

/** Approve or hide several comments at once (up to 200). */
export class ModerateCommentsDto {
  @ApiProperty({ enum: [...COMMENT_ACTIONS] })
  @IsIn(COMMENT_ACTIONS, { message: `action must be one of ${COMMENT_ACTIONS.join(', ')}` })
  action: CommentAction;

  /** The signatures whose comments to act on. */
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @IsUUID('all', { each: true })
  signatureIds: string[];
}
