import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { CurrentPrincipal, Principal, RequireOrganiser } from '../../common/principal';
import { uuidPipe } from '../../common/uuid.pipe';
import { CommentsService } from './comments.service';
import { ListCommentsQueryDto, PublicCommentsQueryDto } from './dto/comment-query.dto';
import {
  BulkModerationResponseDto,
  CommentListResponseDto,
  CommentModerationResponseDto,
  HideNameResponseDto,
  PublicCommentListResponseDto,
} from './dto/comment-response.dto';
import { ModerateCommentsDto } from './dto/moderate-comments.dto';

const campaignId = uuidPipe('CAMPAIGN_NOT_FOUND');
const commentId = uuidPipe('COMMENT_NOT_FOUND');

/**
 * Supporters' comments: the organisers' moderation (queue, approve, hide, hide a name), every
 * decision in the audit log; and the public wall, under the campaign's `comments` setting.
 */
@ApiTags('comments')
@Controller('api/v1/campaigns')
export class CommentsController {
  constructor(private readonly comments: CommentsService) {}

  /** The moderation queue: comments of confirmed signatures with one status (default `pending`), newest first, a keyset page at a time. */
  @Get(':id/comments')
  @ApiBearerAuth()
  @RequireOrganiser()
  list(@CurrentPrincipal() principal: Principal, @Param('id', campaignId) id: string, @Query() query: ListCommentsQueryDto): Promise<CommentListResponseDto> {
    return this.comments.list(principal, id, query);
  }

  /** Approves or hides several comments at once: `{action, signatureIds}`. */
  @Post(':id/comments/moderate')
  @HttpCode(200)
  @ApiBearerAuth()
  @RequireOrganiser()
  moderateMany(
    @CurrentPrincipal() principal: Principal,
    @Param('id', campaignId) id: string,
    @Body() dto: ModerateCommentsDto,
    @Req() request: FastifyRequest,
  ): Promise<BulkModerationResponseDto> {
    return this.comments.moderateMany(principal, id, dto.signatureIds, dto.action, request.ip);
  }

  /** Approves a confirmed signature's comment for the public page (409 COMMENT_NOT_VERIFIED otherwise). */
  @Post(':id/comments/:signatureId/approve')
  @HttpCode(200)
  @ApiBearerAuth()
  @RequireOrganiser()
  approve(
    @CurrentPrincipal() principal: Principal,
    @Param('id', campaignId) id: string,
    @Param('signatureId', commentId) signatureId: string,
    @Req() request: FastifyRequest,
  ): Promise<CommentModerationResponseDto> {
    return this.comments.moderate(principal, id, signatureId, 'approve', request.ip);
  }

  /** Hides a comment from the public page (approved or not; `open` campaigns too). */
  @Post(':id/comments/:signatureId/hide')
  @HttpCode(200)
  @ApiBearerAuth()
  @RequireOrganiser()
  hide(
    @CurrentPrincipal() principal: Principal,
    @Param('id', campaignId) id: string,
    @Param('signatureId', commentId) signatureId: string,
    @Req() request: FastifyRequest,
  ): Promise<CommentModerationResponseDto> {
    return this.comments.moderate(principal, id, signatureId, 'hide', request.ip);
  }

  /** Stops showing a supporter's name (their showName off): their comment then says "a supporter", and the recent supporters leave them out. */
  @Post(':id/signatures/:signatureId/hide-name')
  @HttpCode(200)
  @ApiBearerAuth()
  @RequireOrganiser()
  hideName(
    @CurrentPrincipal() principal: Principal,
    @Param('id', campaignId) id: string,
    @Param('signatureId', uuidPipe('SIGNATURE_NOT_FOUND')) signatureId: string,
    @Req() request: FastifyRequest,
  ): Promise<HideNameResponseDto> {
    return this.comments.hideName(principal, id, signatureId, request.ip);
  }

  /**
   * The comments a published campaign shows, newest first: none when its `comments` is `off`, the
   * approved ones when `moderated`, every confirmed one not hidden when `open`. Text as typed (escape
   * it where you show it); the first name and city only of supporters who chose to be shown.
   */
  @Get(':slug/public-comments')
  listPublic(@Param('slug') slug: string, @Query() query: PublicCommentsQueryDto): Promise<PublicCommentListResponseDto> {
    return this.comments.listPublic(slug, query.cursor, query.limit);
  }
}
