import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { isUUID } from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../common/app-error';
import { decodeCursor } from '../../common/keyset-cursor';
import { type Locale, titleIn } from '../../common/locale';
import { plural } from '../../common/plural';
import { CampaignsService } from '../campaigns/campaigns.service';
import type { CampaignResponseDto } from '../campaigns/dto/campaign-response.dto';
import { CommentsService } from '../signatures/comments.service';
import { COMMENT_STATUSES, type CommentStatus, ListCommentsQueryDto } from '../signatures/dto/comment-query.dto';
import { CONSOLE_COMMENTS_STRINGS } from './console-comments-strings';
import { field, formBody } from './console-cookies';
import { type ConsoleContext, ConsoleKit, consolePath, errorList, type FormErrors } from './console-kit';
import { formatInstant } from './console-supporters.service';
import { Environment } from '../../config/environment';

const PAGE_SIZE = 50;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The notices a redirect back to the queue may ask for (`?done=`). */
const DONE = ['approved', 'hidden', 'name'] as const;

const path = (l: Locale, id: string) => consolePath.campaignPage(l, id, 'comments');

function one(value: unknown, max: number): string {
  const v = Array.isArray(value) ? value[0] : value;
  return typeof v === 'string' ? v.slice(0, max) : '';
}

function statusOf(value: unknown): CommentStatus {
  const v = one(value, 20);
  return (COMMENT_STATUSES as readonly string[]).includes(v) ? (v as CommentStatus) : 'pending';
}

/**
 * The console's Comments tab: the moderation queue of a campaign (waiting, approved, hidden), each
 * comment approved or hidden by its own button or several at once with the boxes, and a
 * supporter's name taken off the public page. One form, plain posts with the CSRF token, no
 * script needed; every change goes through CommentsService, as the API's do (same rules, same
 * audit events). Another organisation's campaign is a 404, as a malformed id.
 */
@ApiExcludeController()
@Controller()
export class ConsoleCommentsController {
  private readonly defaultZone: string;

  constructor(
    private readonly kit: ConsoleKit,
    private readonly campaigns: CampaignsService,
    private readonly comments: CommentsService,
    env: Environment,
  ) {
    this.defaultZone = env.PAGE_TIME_ZONE;
  }

  @Get(['ar/console/campaigns/:id/comments', 'en/console/campaigns/:id/comments'])
  async list(@Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const ctx = await this.kit.page(request, reply);
    if (!ctx) return;
    const campaign = await this.load(ctx, id);
    if (!campaign) return this.kit.notFound(reply, ctx.locale);
    const query = (request.query && typeof request.query === 'object' ? request.query : {}) as Record<string, unknown>;
    return this.page(ctx, reply, campaign, statusOf(query.status), one(query.cursor, 130), this.notice(ctx.locale, query), {}, 200);
  }

  @Post(['ar/console/campaigns/:id/comments', 'en/console/campaigns/:id/comments'])
  async act(@Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const ctx = await this.kit.post(request, reply);
    if (!ctx) return;
    const { locale } = ctx;
    const s = CONSOLE_COMMENTS_STRINGS[locale];
    const campaign = await this.load(ctx, id);
    if (!campaign) return this.kit.notFound(reply, locale);
    const body = formBody(request);
    const status = statusOf(body.status);
    // A row's button says `approve:<id>`, `hide:<id>` or `name:<id>`; the buttons under the list act on the boxes ticked.
    const [verb, rowId] = field(body, 'action').slice(0, 60).split(':');
    const raw = body.ids === undefined ? [] : Array.isArray(body.ids) ? body.ids : [body.ids];
    const ticked = [...new Set(raw.filter((v): v is string => typeof v === 'string' && isUUID(v)))].slice(0, 200);
    const ids = rowId !== undefined ? (isUUID(rowId) ? [rowId] : []) : ticked;
    if (!['approve', 'hide', 'name'].includes(verb) || ids.length === 0 || (verb === 'name' && ids.length !== 1)) {
      return this.page(ctx, reply, campaign, status, '', '', { ids: s.errorSelectNone }, 400);
    }
    const { principal } = ctx.session;
    const back = (done: string, n?: number) => `${path(locale, campaign.id)}?status=${status}&done=${done}${n === undefined ? '' : `&n=${n}`}`;
    try {
      if (verb === 'name') {
        await this.comments.hideName(principal, campaign.id, ids[0], request.ip);
        return this.kit.redirect(reply, back('name'));
      }
      const { changed } = await this.comments.moderateMany(principal, campaign.id, ids, verb === 'approve' ? 'approve' : 'hide', request.ip);
      return this.kit.redirect(reply, back(verb === 'approve' ? 'approved' : 'hidden', changed));
    } catch (error) {
      if (error instanceof AppError && error.status === 404) return this.page(ctx, reply, campaign, status, '', '', { ids: s.errorSelectNone }, 400);
      throw error;
    }
  }

  private async page(
    ctx: ConsoleContext,
    reply: FastifyReply,
    campaign: CampaignResponseDto,
    status: CommentStatus,
    cursor: string,
    notice: string,
    errors: FormErrors,
    code: number,
  ) {
    const { locale, c } = ctx;
    const s = CONSOLE_COMMENTS_STRINGS[locale];
    const zone = campaign.timeZone ?? this.defaultZone;
    const dto = Object.assign(new ListCommentsQueryDto(), { status, limit: PAGE_SIZE, cursor: cursor && decodeCursor(cursor) ? cursor : undefined });
    const { items, nextCursor } = await this.comments.list(ctx.session.principal, campaign.id, dto);
    const url = path(locale, campaign.id);
    const title = titleIn(campaign, locale);
    const rows = items.map((item) => {
      const name = item.name ?? s.unnamed;
      const confirmed = formatInstant(item.verifiedAt, zone, locale);
      return {
        id: item.signatureId,
        text: item.text,
        name,
        city: item.city,
        confirmed,
        shown: item.shown,
        showName: item.showName,
        canApprove: item.status !== 'approved',
        canHide: item.status !== 'hidden',
        selectLabel: s.selectOne.replace('{name}', name).replace('{date}', confirmed),
        approveLabel: s.approveOne.replace('{name}', name),
        hideLabel: s.hideOne.replace('{name}', name),
        hideNameLabel: s.hideNameOne.replace('{name}', name),
      };
    });
    const html = this.kit.render(locale, 'console-comments', `${title}: ${c.tab.comments}`, (l) => `${path(l, campaign.id)}?status=${status}`, {
      s,
      tabs: this.kit.tabs(locale, campaign.id, 'comments'),
      title,
      notice,
      mode: s.mode[campaign.comments],
      settingUrl: consolePath.campaign(locale, campaign.id),
      filters: COMMENT_STATUSES.map((value) => ({ label: s.filter[value], href: `${url}?status=${value}`, current: value === status })),
      listHeading: s.listHeading[status],
      errors,
      form: { action: url, csrf: ctx.session.csrfToken, status, errorList: errorList(errors, { ids: 'comments-list' }) },
      rows,
      paging: { first: cursor ? `${url}?status=${status}` : null, next: nextCursor ? `${url}?status=${status}&cursor=${nextCursor}` : null },
    });
    return this.kit.send(reply, code, html);
  }

  private async load(ctx: ConsoleContext, id: string): Promise<CampaignResponseDto | null> {
    if (!UUID.test(id)) return null;
    try {
      return await this.campaigns.get(ctx.session.principal, id.toLowerCase());
    } catch (error) {
      if (error instanceof AppError && (error.status === 404 || error.status === 403)) return null;
      throw error;
    }
  }

  private notice(locale: Locale, query: Record<string, unknown>): string {
    const s = CONSOLE_COMMENTS_STRINGS[locale];
    const done = one(query.done, 20);
    if (!(DONE as readonly string[]).includes(done)) return '';
    if (done === 'name') return s.nameHiddenDone;
    const n = Number(one(query.n, 9));
    if (!Number.isInteger(n) || n < 0) return '';
    return plural(n, locale, done === 'approved' ? s.approved : s.hiddenDone);
  }
}
