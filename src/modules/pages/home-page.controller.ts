import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Environment } from '../../config/environment';
import { dirOf, PageRenderer } from './page-renderer';
import { pathLocale, requestLocale, sendPage } from './page-reply';
import { alternates, pagePath, PublicPagesService } from './public-pages.service';

/** The home page: live campaigns with their progress, at `/ar`, `/en`, or `/` by Accept-Language. */
@ApiExcludeController()
@Controller()
export class HomePageController {
  constructor(
    private readonly view: PublicPagesService,
    private readonly pages: PageRenderer,
    private readonly env: Environment,
  ) {}

  @Get(['/', 'ar', 'en'])
  async show(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const locale = requestLocale(request, 'en');
    const t = this.pages.strings(locale);
    const html = this.pages.render(
      'home',
      { locale, title: t.homeHeading, alternates: alternates(pagePath.home) },
      { campaigns: await this.view.home(locale, t), dir: dirOf(locale) },
    );
    return sendPage(reply, 200, html, { publicSeconds: this.env.PAGE_CACHE_SECONDS, varyLanguage: pathLocale(request) === null });
  }
}
