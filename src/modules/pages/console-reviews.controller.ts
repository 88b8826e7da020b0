import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../common/app-error';
import { type Locale, titleIn } from '../../common/locale';
import { Environment } from '../../config/environment';
import { CampaignsService } from '../campaigns/campaigns.service';
import { RejectReviewDto } from '../campaigns/dto/campaign-review.dto';
import { CONSOLE_COMMENTS_STRINGS } from './console-comments-strings';
import { field, formBody } from './console-cookies';
import { type ConsoleContext, ConsoleKit, consolePath } from './console-kit';
import { formatInstant } from './console-supporters.service';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The admins' review page (PUBLISH_REQUIRES_REVIEW): the campaigns waiting, the longest waiting
 * first, each with its preview, an approve button (it goes live) and a form that sends it back with
 * a note. Organisers get the 403 page. Plain posts with the CSRF token; the same service calls,
 * rules and audit events as `POST /api/v1/campaigns/:id/review/approve|reject`.
 */
@ApiExcludeController()
@Controller()
export class ConsoleReviewsController {
  private readonly defaultZone: string;

  constructor(
    private readonly kit: ConsoleKit,
    private readonly campaigns: CampaignsService,
    env: Environment,
  ) {
    this.defaultZone = env.PAGE_TIME_ZONE;
  }

  @Get(['ar/console/reviews', 'en/console/reviews'])
  async list(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const ctx = await this.kit.page(request, reply);
    if (!ctx) return;
    if (ctx.session.principal.role !== 'admin') return this.kit.adminOnly(reply, ctx.locale);
    const done = (request.query as Record<string, unknown> | undefined)?.done;
    const s = CONSOLE_COMMENTS_STRINGS[ctx.locale];
    const notice = done === 'approved' ? s.reviewsApproved : done === 'rejected' ? s.reviewsRejected : '';
    return this.page(ctx, reply, notice, null, 200);
  }

  @Post(['ar/console/reviews/:id', 'en/console/reviews/:id'])
  async decide(@Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const ctx = await this.kit.post(request, reply);
    if (!ctx) return;
    const { locale } = ctx;
    if (ctx.session.principal.role !== 'admin') return this.kit.adminOnly(reply, locale);
    if (!UUID.test(id)) return this.kit.notFound(reply, locale);
    const body = formBody(request);
    const action = field(body, 'action');
    const note = field(body, 'note').slice(0, 4000);
    try {
      if (action === 'approve') {
        await this.campaigns.approveReview(ctx.session.principal, id.toLowerCase(), request.ip);
        return this.kit.redirect(reply, `${consolePath.reviews(locale)}?done=approved`);
      }
      if (action === 'reject') {
        const dto = plainToInstance(RejectReviewDto, { note });
        if ((await validate(dto)).length) return this.page(ctx, reply, '', { id: id.toLowerCase(), note, error: CONSOLE_COMMENTS_STRINGS[locale].reviewsErrorNote }, 400);
        await this.campaigns.rejectReview(ctx.session.principal, id.toLowerCase(), dto.note, request.ip);
        return this.kit.redirect(reply, `${consolePath.reviews(locale)}?done=rejected`);
      }
      return this.kit.notFound(reply, locale);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      if (error.status === 404) return this.kit.notFound(reply, locale);
      const s = CONSOLE_COMMENTS_STRINGS[locale];
      return this.page(ctx, reply, '', null, error.status >= 400 && error.status < 500 ? error.status : 409, s.reviewsRefused.replace('{code}', error.code));
    }
  }

  private async page(
    ctx: ConsoleContext,
    reply: FastifyReply,
    notice: string,
    failed: { id: string; note: string; error: string } | null,
    code: number,
    refusal = '',
  ) {
    const { locale, c } = ctx;
    const s = CONSOLE_COMMENTS_STRINGS[locale];
    const { items } = await this.campaigns.listInReview(ctx.session.principal);
    const campaigns = items.map((item) => {
      const mine = failed?.id === item.id ? failed : null;
      return {
        id: item.id,
        title: titleIn(item, locale),
        kind: c.kind[item.kind],
        asked: s.reviewsAsked.replace('{org}', item.organisationName).replace('{when}', formatInstant(item.reviewRequestedAt ?? item.updatedAt, item.timeZone ?? this.defaultZone, locale)),
        previewUrl: consolePath.campaignPage(locale, item.id, 'preview'),
        action: `/${locale}/console/reviews/${item.id}`,
        note: mine?.note ?? '',
        error: mine?.error ?? '',
      };
    });
    const errorList = failed ? [{ target: `note-${failed.id}`, message: failed.error }] : [];
    const path = (l: Locale) => consolePath.reviews(l);
    const html = this.kit.render(locale, 'console-reviews', s.reviewsHeading, path, {
      s,
      notice,
      refusal,
      form: { errorList },
      csrf: ctx.session.csrfToken,
      campaigns,
      backUrl: consolePath.home(locale),
    });
    return this.kit.send(reply, code, html);
  }
}
