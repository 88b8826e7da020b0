import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../common/app-error';
import { Environment } from '../../config/environment';
import type { Locale } from '../campaigns/campaign.entity';
import { titleIn } from '../campaigns/campaign-locale';
import { SignaturesService } from '../signatures/signatures.service';
import { PageRenderer } from './page-renderer';

/**
 * The page a confirmation email links to. GET shows one button and changes nothing (mail scanners
 * open links); the button POSTs back here and that confirms. Works without JavaScript.
 */
@ApiExcludeController()
@Controller('confirm')
export class ConfirmPageController {
  constructor(
    private readonly signatures: SignaturesService,
    private readonly pages: PageRenderer,
    private readonly env: Environment,
  ) {}

  @Get(':token')
  async show(@Param('token') token: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    try {
      const found = await this.signatures.preview(token);
      const locale = found.signerLocale;
      const title = titleIn(found.campaign, locale);
      return this.send(reply, 200, this.pages.render('confirm', locale, this.pages.strings(locale).confirmHeading, {
        campaignTitle: title,
        action: `/confirm/${encodeURIComponent(token)}`,
      }));
    } catch (error) {
      return this.sendError(reply, error, this.guessLocale(request));
    }
  }

  @Post(':token')
  async confirm(@Param('token') token: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    try {
      const found = await this.signatures.preview(token);
      const result = await this.signatures.confirmFound(found);
      const locale = found.signerLocale;
      return this.send(reply, 200, this.pages.render('confirmed', locale, this.pages.strings(locale).confirmedHeading, {
        campaignTitle: titleIn(found.campaign, locale),
        campaignUrl: `/c/${encodeURIComponent(result.campaign.slug)}`,
      }));
    } catch (error) {
      return this.sendError(reply, error, this.guessLocale(request));
    }
  }

  private guessLocale(request: FastifyRequest): Locale {
    return /^ar\b/i.test(String(request.headers['accept-language'] ?? '')) ? 'ar' : 'en';
  }

  private sendError(reply: FastifyReply, error: unknown, locale: Locale) {
    if (!(error instanceof AppError)) throw error;
    const t = this.pages.strings(locale);
    const closed = error.code === 'CAMPAIGN_CLOSED';
    const heading = closed ? t.closedHeading : t.invalidHeading;
    return this.send(
      reply,
      closed ? 409 : 404,
      this.pages.render('message', locale, heading, { heading, text: closed ? t.closedText : t.invalidText }),
    );
  }

  private send(reply: FastifyReply, status: number, html: string) {
    return reply
      .status(status)
      .header('Cache-Control', 'no-store')
      .header('Referrer-Policy', 'no-referrer')
      .header('X-Robots-Tag', 'noindex')
      .type('text/html; charset=utf-8')
      .send(html);
  }
}
