import { Injectable } from '@nestjs/common';
import { cursorOf, keysetPage } from '../../common/keyset-cursor';
import { Principal } from '../../common/principal';
import { AuditService } from '../audit/audit.service';
import { CampaignsService } from '../campaigns/campaigns.service';
import type { CampaignResponseDto } from '../campaigns/dto/campaign-response.dto';
import { CommentsRepository, type ModeratedComment, type PublicCommentRule } from './comments.repository';
import type { CommentStatus, ListCommentsQueryDto } from './dto/comment-query.dto';
import {
  BulkModerationResponseDto,
  CommentDto,
  CommentListResponseDto,
  CommentModerationResponseDto,
  HideNameResponseDto,
  PublicCommentListResponseDto,
} from './dto/comment-response.dto';
import type { CommentAction } from './dto/moderate-comments.dto';
import { SignatureErrors } from './signatures.errors';

type CommentMode = CampaignResponseDto['comments'];

const STATUS_OF: Record<CommentAction, CommentStatus> = { approve: 'approved', hide: 'hidden' };

/** The first word of a name: all the public page shows of a supporter. */
export function firstNameOf(name: string): string {
  return name.trim().split(/\s+/u)[0];
}

/** Whether a comment of this status shows on the public page under the campaign's setting. */
export function commentShown(mode: CommentMode, status: CommentStatus): boolean {
  if (mode === 'off') return false;
  return mode === 'open' ? status !== 'hidden' : status === 'approved';
}

/**
 * Supporters' comments (issue 14): the organisers' moderation queue and decisions (each recorded in
 * the audit log, in the transaction that makes it), hiding a supporter's name later, and the public
 * wall under the campaign's `comments` setting — `off`: none; `moderated`: approved ones; `open`:
 * every confirmed one not hidden. A comment leaves the wall by itself when its signature is
 * invalidated, erased or anonymised.
 */
@Injectable()
export class CommentsService {
  constructor(
    private readonly comments: CommentsRepository,
    private readonly campaigns: CampaignsService,
    private readonly audit: AuditService,
  ) {}

  async list(principal: Principal, campaignId: string, query: ListCommentsQueryDto): Promise<CommentListResponseDto> {
    const after = cursorOf(query.cursor);
    const campaign = await this.campaigns.owned(principal, campaignId, 'edit');
    const rows = await this.comments.page(campaign.id, query.status, after, query.limit + 1);
    return keysetPage(rows, query.limit, (r) => toDto(r, campaign.comments));
  }

  /** Approves or hides one comment: 404 COMMENT_NOT_FOUND, 409 COMMENT_NOT_VERIFIED (approving an unconfirmed one); again: 200, `changed: false`. */
  async moderate(principal: Principal, campaignId: string, signatureId: string, action: CommentAction, ip: string | null): Promise<CommentModerationResponseDto> {
    const campaign = await this.campaigns.owned(principal, campaignId, 'edit');
    const to = STATUS_OF[action];
    const changed = await this.apply(principal, campaign.id, [signatureId], to, ip);
    if (!changed) {
      const state = await this.comments.state(campaign.id, signatureId);
      if (!state || !state.hasComment) throw SignatureErrors.commentNotFound();
      if (state.commentStatus !== to) throw SignatureErrors.commentNotVerified();
    }
    return { signatureId, status: to, changed: changed > 0 };
  }

  /** Approves or hides several comments; those unknown, unconfirmed (for approval) or already so are skipped. */
  async moderateMany(principal: Principal, campaignId: string, signatureIds: string[], action: CommentAction, ip: string | null): Promise<BulkModerationResponseDto> {
    const campaign = await this.campaigns.owned(principal, campaignId, 'edit');
    const ids = [...new Set(signatureIds.map((id) => id.toLowerCase()))];
    return { changed: await this.apply(principal, campaign.id, ids, STATUS_OF[action], ip) };
  }

  private apply(principal: Principal, campaignId: string, ids: string[], to: CommentStatus, ip: string | null): Promise<number> {
    return this.comments.transaction(async (m) => {
      const changed = await this.comments.setStatus(m, campaignId, ids, to);
      for (const row of changed) {
        await this.audit.record(
          { actor: principal, action: to === 'approved' ? 'comments.approve' : 'comments.hide', campaignId, subjectId: row.id, details: { from: row.from, to }, ip },
          m,
        );
      }
      return changed.length;
    });
  }

  /** Turns off a supporter's showName: neither their comment nor the recent supporters name them any more. Audited. */
  async hideName(principal: Principal, campaignId: string, signatureId: string, ip: string | null): Promise<HideNameResponseDto> {
    const campaign = await this.campaigns.owned(principal, campaignId, 'edit');
    const changed = await this.comments.transaction(async (m) => {
      const hidden = await this.comments.hideName(m, campaign.id, signatureId);
      if (hidden) await this.audit.record({ actor: principal, action: 'signatures.hide_name', campaignId: campaign.id, subjectId: signatureId, ip }, m);
      return hidden;
    });
    if (!changed && !(await this.comments.exists(campaign.id, signatureId))) throw SignatureErrors.signatureNotFound();
    return { signatureId, showName: false, changed };
  }

  /** A page of the public wall of a published campaign (404 CAMPAIGN_NOT_FOUND for drafts, campaigns in review and unknown slugs). */
  async listPublic(slug: string, cursor: string | undefined, limit: number): Promise<PublicCommentListResponseDto> {
    const after = cursorOf(cursor);
    const campaign = await this.campaigns.getPublic(slug);
    return this.publicOf({ id: campaign.id, comments: campaign.comments, timeZone: campaign.timeZone }, after === null ? undefined : cursor, limit);
  }

  /** The wall of a campaign already read (the public page's), newest first. */
  async publicOf(campaign: { id: string; comments: CommentMode; timeZone: string | null }, cursor: string | undefined, limit: number): Promise<PublicCommentListResponseDto> {
    if (campaign.comments === 'off') return { items: [], nextCursor: null };
    const rule: PublicCommentRule = campaign.comments === 'open' ? 'not_hidden' : 'approved';
    const zone = this.campaigns.timeZoneOf(campaign);
    const rows = await this.comments.publicPage(campaign.id, rule, zone, cursorOf(cursor), limit + 1);
    return keysetPage(rows, limit, (r) => ({ text: r.text, firstName: r.name === null ? null : firstNameOf(r.name), city: r.city, date: r.date }));
  }
}

function toDto(r: ModeratedComment, mode: CommentMode): CommentDto {
  return {
    signatureId: r.signatureId,
    text: r.text,
    name: r.name,
    city: r.city,
    country: r.country,
    showName: r.showName,
    status: r.status,
    shown: commentShown(mode, r.status),
    verifiedAt: r.verifiedAt.toISOString(),
    moderatedAt: r.moderatedAt ? r.moderatedAt.toISOString() : null,
  };
}
