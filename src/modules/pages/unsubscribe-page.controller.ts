import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Locale } from '../../common/locale';
import { readMultipartFields } from '../../common/multipart-fields';
import { type UnsubscribeLink, UnsubscribeService } from '../updates/unsubscribe.service';
import { PageRenderer } from './page-renderer';
import { pathLocale, sendPage } from './page-reply';
import { alternates, pagePath } from './public-pages.service';
import { UPDATES_STRINGS } from './updates-strings';

/** The campaign's title in the page's language when it has one, else in its own. */
const campaignTitle = (link: UnsubscribeLink, l: Locale) => (l === link.campaign.locale ? link.campaign.title : (link.campaign.translations[l]?.title ?? link.campaign.title));

const unsubscribePath = (l: Locale, token: string) => `/${l}/u/${encodeURIComponent(token)}`;

/**
 * Unsubscribing from update emails (RFC 8058). The link in every update email, `/u/{token}`:
 * a GET shows a page with one button and the scope choice (this campaign, or everything from the
 * organisation) and changes nothing (mail scanners open links); a POST unsubscribes at once: the
 * mail provider's one-click (`List-Unsubscribe=One-Click`, no cookie, no CSRF token: the token in
 * the address is the credential) for this campaign, the page's form for the scope it names.
 */
@ApiExcludeController()
@Controller()
export class UnsubscribePageController {
  constructor(
    private readonly unsubscribe: UnsubscribeService,
    private readonly pages: PageRenderer,
  ) {}

  @Get(['u/:token', 'ar/u/:token', 'en/u/:token'])
  async show(@Param('token') token: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const link = await this.unsubscribe.read(token);
    const locale = pathLocale(request) ?? link?.locale ?? 'en';
    if (!link) return this.invalid(reply, locale, token);
    const u = UPDATES_STRINGS[locale];
    const campaign = campaignTitle(link, locale);
    const html = this.pages.render(
      'unsubscribe',
      { locale, title: u.unsubscribeTitle, alternates: alternates((l) => unsubscribePath(l, token)) },
      {
        u,
        intro: u.unsubscribeIntro.replace('{campaign}', campaign).replace('{organisation}', link.organisation),
        scopeOrganisation: u.scopeOrganisation.replace('{organisation}', link.organisation),
        action: unsubscribePath(locale, token),
        campaignUrl: pagePath.campaign(locale, link.campaign.slug),
      },
    );
    return sendPage(reply, 200, html);
  }

  @Post(['u/:token', 'ar/u/:token', 'en/u/:token'])
  async post(@Param('token') token: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    // A form post (the page's, most providers' one-click) or, from some mail providers, the same fields as multipart/form-data.
    const body = (await readMultipartFields(request)) ?? (request.body && typeof request.body === 'object' ? (request.body as Record<string, unknown>) : {});
    const oneClick = body['List-Unsubscribe'] === 'One-Click';
    const scope = !oneClick && body.scope === 'organisation' ? 'organisation' : 'campaign';
    const link = await this.unsubscribe.unsubscribe(token, scope, oneClick ? 'one-click' : 'page');
    const locale = pathLocale(request) ?? link?.locale ?? 'en';
    if (!link) return this.invalid(reply, locale, token);
    return this.done(reply, locale, token, link, scope);
  }

  private done(reply: FastifyReply, locale: Locale, token: string, link: UnsubscribeLink, scope: 'campaign' | 'organisation') {
    const u = UPDATES_STRINGS[locale];
    const campaign = campaignTitle(link, locale);
    const text = scope === 'organisation' ? u.unsubscribedOrganisation : u.unsubscribedCampaign;
    const html = this.pages.render(
      'message',
      { locale, title: u.unsubscribedTitle, alternates: alternates((l) => unsubscribePath(l, token)) },
      {
        heading: u.unsubscribedTitle,
        text: text.replace('{campaign}', campaign).replace('{organisation}', link.organisation),
        link: { href: pagePath.campaign(locale, link.campaign.slug), label: u.backToCampaign },
      },
    );
    return sendPage(reply, 200, html);
  }

  private invalid(reply: FastifyReply, locale: Locale, token: string) {
    const u = UPDATES_STRINGS[locale];
    const t = this.pages.strings(locale);
    const html = this.pages.render(
      'message',
      { locale, title: u.unsubscribeInvalidTitle, alternates: alternates((l) => unsubscribePath(l, token)) },
      { heading: u.unsubscribeInvalidTitle, text: u.unsubscribeInvalidText, link: { href: pagePath.home(locale), label: t.home } },
    );
    return sendPage(reply, 404, html);
  }
}
