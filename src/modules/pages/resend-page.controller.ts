import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../common/app-error';
import type { Locale } from '../../common/locale';
import { textIn } from '../../common/locale';
import { Environment } from '../../config/environment';
import { ResendConfirmationDto } from '../signatures/dto/resend-confirmation.dto';
import { SignaturesService } from '../signatures/signatures.service';
import { FormBotCheck, RENDERED_AT_FIELD } from './form-bot-check';
import { PageRenderer } from './page-renderer';
import { isCrossSitePost, pathLocale, sendPage } from './page-reply';
import { alternates, pagePath, type PublicCampaign, PublicPagesService } from './public-pages.service';
import { RESEND_STRINGS } from './resend-strings';

const resendPath = (l: Locale, slug: string) => `${pagePath.campaign(l, slug)}/resend`;
const sentPath = (l: Locale, slug: string) => `${resendPath(l, slug)}/sent`;

/**
 * "I didn't get the email" (`/{lang}/c/:slug/resend`), linked from the check-email page: a form
 * with the address signed with, checked for bots like the sign form (a hidden honeypot, a signed
 * render time) and refused from another site. Every well-formed post is answered by the same
 * redirect to the same page ("if this address signed and is waiting, we sent the link again"),
 * whatever the address and whatever was done (SignaturesService.resendConfirmation). Works without
 * JavaScript.
 */
@ApiExcludeController()
@Controller()
export class ResendPageController {
  private readonly publicOrigin: string;

  constructor(
    private readonly view: PublicPagesService,
    private readonly pages: PageRenderer,
    private readonly signatures: SignaturesService,
    private readonly bots: FormBotCheck,
    private readonly env: Environment,
  ) {
    this.publicOrigin = new URL(env.PUBLIC_URL).origin;
  }

  @Get(['ar/c/:slug/resend', 'en/c/:slug/resend'])
  async form(@Param('slug') slug: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const locale = pathLocale(request) ?? 'en';
    const campaign = await this.view.campaign(slug);
    if (!campaign) return this.notFound(reply, locale);
    return this.sendForm(reply, 200, campaign, locale, '', null, this.bots.stamp(campaign.slug));
  }

  @Post(['ar/c/:slug/resend', 'en/c/:slug/resend'])
  async post(@Param('slug') slug: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const locale = pathLocale(request) ?? 'en';
    const campaign = await this.view.campaign(slug);
    if (!campaign) return this.notFound(reply, locale);
    const t = this.pages.strings(locale);
    if (isCrossSitePost(request, this.publicOrigin)) {
      const html = this.pages.render(
        'message',
        { locale, title: t.errorFormForeign, alternates: alternates((l) => resendPath(l, slug)) },
        { heading: t.errorFormForeign, text: '', link: { href: resendPath(locale, slug), label: RESEND_STRINGS[locale].resendHeading } },
      );
      return sendPage(reply, 403, html);
    }
    const body = request.body && typeof request.body === 'object' ? (request.body as Record<string, unknown>) : {};
    const email = typeof body.email === 'string' ? body.email.slice(0, 255) : '';
    // A form sent back with an error keeps the time it was first shown, so fixing it is not "too fast".
    const posted = body[RENDERED_AT_FIELD];
    const renderedAt = this.bots.renderedAt(campaign.slug, posted) === null ? this.bots.stamp(campaign.slug) : String(posted);
    const dto = plainToInstance(ResendConfirmationDto, { email });
    if (!dto.email) return this.sendForm(reply, 400, campaign, locale, email, t.errorEmailMissing, renderedAt);
    if (validateSync(dto).length) return this.sendForm(reply, 400, campaign, locale, email, t.errorEmailInvalid, renderedAt);
    try {
      await this.signatures.resendConfirmation(slug, dto.email, request.ip, { formHold: this.bots.check(campaign.slug, body) });
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== 'CAMPAIGN_CLOSED') throw error;
      const html = this.pages.render(
        'message',
        { locale, title: t.closedHeading, alternates: alternates((l) => pagePath.campaign(l, slug)) },
        { heading: t.closedHeading, text: RESEND_STRINGS[locale].resendClosedText, link: { href: pagePath.campaign(locale, slug), label: t.backToCampaign } },
      );
      return sendPage(reply, 409, html);
    }
    return reply.status(303).header('Cache-Control', 'no-store').header('Location', sentPath(locale, slug)).send();
  }

  /** The same page for every address, whatever was done. */
  @Get(['ar/c/:slug/resend/sent', 'en/c/:slug/resend/sent'])
  async sent(@Param('slug') slug: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const locale = pathLocale(request) ?? 'en';
    const campaign = await this.view.campaign(slug);
    if (!campaign) return this.notFound(reply, locale);
    const r = RESEND_STRINGS[locale];
    const t = this.pages.strings(locale);
    const html = this.pages.render(
      'message',
      { locale, title: r.resendSentHeading, alternates: alternates((l) => sentPath(l, slug)) },
      {
        heading: r.resendSentHeading,
        text: r.resendSentText.replace('{campaign}', textIn(campaign, locale).title),
        link: { href: pagePath.campaign(locale, slug), label: t.backToCampaign },
      },
    );
    return sendPage(reply, 200, html, { publicSeconds: this.env.PAGE_CACHE_SECONDS });
  }

  private sendForm(reply: FastifyReply, status: number, campaign: PublicCampaign, locale: Locale, email: string, error: string | null, renderedAt: string) {
    const r = RESEND_STRINGS[locale];
    const text = textIn(campaign, locale);
    const html = this.pages.render(
      'resend',
      { locale, title: r.resendHeading, alternates: alternates((l) => resendPath(l, campaign.slug)) },
      {
        r,
        intro: r.resendIntro.replace('{campaign}', text.title),
        action: resendPath(locale, campaign.slug),
        email,
        error,
        renderedAt,
        campaignUrl: pagePath.campaign(locale, campaign.slug),
        campaignTitle: text.title,
        textLocale: text.locale,
      },
    );
    // The form carries its render time (the bot check): never cached, so the time is this visit's.
    return sendPage(reply, status, html);
  }

  private notFound(reply: FastifyReply, locale: Locale) {
    const t = this.pages.strings(locale);
    const html = this.pages.render(
      'message',
      { locale, title: t.notFoundHeading, alternates: alternates(pagePath.home) },
      { heading: t.notFoundHeading, text: t.notFoundText, link: { href: pagePath.home(locale), label: t.home } },
    );
    return sendPage(reply, 404, html);
  }
}
