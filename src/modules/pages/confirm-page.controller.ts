import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../common/app-error';
import { Environment, publicLink } from '../../config/environment';
import type { Locale } from '../../common/locale';
import { titleIn } from '../../common/locale';
import type { TokenLookup } from '../signatures/dto/token-lookup.dto';
import { SignaturesService } from '../signatures/signatures.service';
import { PageRenderer } from './page-renderer';
import { pathLocale, requestLocale, sendPage } from './page-reply';
import { alternates, pagePath } from './public-pages.service';

/**
 * The page a confirmation email links to. GET shows one button and changes nothing (mail scanners
 * open links); the button POSTs back here and that confirms. Works without JavaScript. Once
 * confirmed, the same address shows the thank-you page with share links.
 */
@ApiExcludeController()
@Controller()
export class ConfirmPageController {
  constructor(
    private readonly signatures: SignaturesService,
    private readonly pages: PageRenderer,
    private readonly env: Environment,
  ) {}

  @Get(['confirm/:token', 'ar/confirm/:token', 'en/confirm/:token'])
  async show(@Param('token') token: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    try {
      const found = await this.signatures.preview(token);
      const locale = pathLocale(request) ?? found.signerLocale;
      if (found.signatureStatus === 'verified') return this.thanks(reply, found, token, locale);
      const t = this.pages.strings(locale);
      const html = this.pages.render(
        'confirm',
        { locale, title: t.confirmHeading, alternates: alternates((l) => pagePath.confirm(l, token)) },
        { campaignTitle: titleIn(found.campaign, locale), action: pagePath.confirm(locale, token) },
      );
      return this.send(reply, 200, html);
    } catch (error) {
      return this.sendError(reply, error, requestLocale(request, 'en'));
    }
  }

  @Post(['confirm/:token', 'ar/confirm/:token', 'en/confirm/:token'])
  async confirm(@Param('token') token: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    try {
      const found = await this.signatures.preview(token);
      await this.signatures.confirmFound(found);
      return this.thanks(reply, found, token, pathLocale(request) ?? found.signerLocale);
    } catch (error) {
      return this.sendError(reply, error, requestLocale(request, 'en'));
    }
  }

  /** "Thank you, you're counted", with plain share links (no third-party script loads). */
  private thanks(reply: FastifyReply, found: TokenLookup, token: string, locale: Locale) {
    const t = this.pages.strings(locale);
    const title = titleIn(found.campaign, locale);
    const url = publicLink(this.env, pagePath.campaign(locale, found.campaign.slug));
    const message = t.shareText.replace('{title}', title);
    const enc = encodeURIComponent;
    const share = [
      { label: 'WhatsApp', href: `https://wa.me/?text=${enc(`${message} ${url}`)}` },
      { label: 'Telegram', href: `https://t.me/share/url?url=${enc(url)}&text=${enc(message)}` },
      { label: 'Facebook', href: `https://www.facebook.com/sharer/sharer.php?u=${enc(url)}` },
      { label: 'X', href: `https://x.com/intent/post?text=${enc(message)}&url=${enc(url)}` },
      { label: t.shareEmail, href: `mailto:?subject=${enc(title)}&body=${enc(`${message}\n${url}`)}` },
    ];
    const html = this.pages.render(
      'confirmed',
      { locale, title: t.confirmedHeading, alternates: alternates((l) => pagePath.confirm(l, token)) },
      // The address to copy keeps Arabic letters readable (an IRI); links use the encoded form.
      { campaignTitle: title, campaignUrl: url, shareUrl: decodeURI(url), share },
    );
    return this.send(reply, 200, html);
  }

  private sendError(reply: FastifyReply, error: unknown, locale: Locale) {
    if (!(error instanceof AppError)) throw error;
    const t = this.pages.strings(locale);
    const closed = error.code === 'CAMPAIGN_CLOSED';
    const heading = closed ? t.closedHeading : t.invalidHeading;
    const html = this.pages.render(
      'message',
      { locale, title: heading, alternates: alternates(pagePath.home) },
      { heading, text: closed ? t.closedText : t.invalidText, link: { href: pagePath.home(locale), label: t.home } },
    );
    return this.send(reply, closed ? 409 : 404, html);
  }

  /** Per-person pages: never cached, never indexed, and the token never leaves in a Referer. */
  private send(reply: FastifyReply, status: number, html: string) {
    void reply.header('Referrer-Policy', 'no-referrer').header('X-Robots-Tag', 'noindex');
    return sendPage(reply, status, html);
  }
}
