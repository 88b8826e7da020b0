import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../common/app-error';
import type { Locale } from '../../common/locale';
import { plural } from '../../common/plural';
import { Environment } from '../../config/environment';
import type { PrivacyRequestKind } from '../privacy/dto/privacy-request-kind.dto';
import { PrivacyService } from '../privacy/privacy.service';
import { PageRenderer } from './page-renderer';
import { isCrossSitePost, pathLocale, requestLocale, sendPage } from './page-reply';
import type { PageStrings } from './page-strings';
import { readPrivacyForm } from './privacy-form';
import { alternates, pagePath } from './public-pages.service';

/**
 * What Nida keeps and how to leave (`/{lang}/privacy`), the erasure and access forms, and the page
 * an erasure email links to. The forms are plain posts answered by the same "check your email"
 * page for every address (whether it signed anything is never told). The erasure link's GET shows
 * one button and changes nothing (mail scanners open links); its POST erases. Works without JavaScript.
 */
@ApiExcludeController()
@Controller()
export class PrivacyPageController {
  private readonly publicOrigin: string;

  constructor(
    private readonly privacy: PrivacyService,
    private readonly pages: PageRenderer,
    private readonly env: Environment,
  ) {
    this.publicOrigin = new URL(env.PUBLIC_URL).origin;
  }

  @Get(['privacy', 'ar/privacy', 'en/privacy'])
  notice(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const locale = requestLocale(request, 'en');
    const t = this.pages.strings(locale);
    const days = (n: number) => plural(n, locale, t.dayCount);
    const html = this.pages.render(
      'privacy',
      { locale, title: t.privacyHeading, alternates: alternates(pagePath.privacy) },
      {
        periods: {
          pending: t.privacyPending.replace('{days}', days(this.env.PENDING_RETENTION_DAYS)),
          mail: t.privacyMail.replace('{days}', days(this.env.MAIL_RETENTION_DAYS)),
          afterClose: t.privacyAfterClose.replace('{days}', days(this.env.SIGNATURE_RETENTION_DAYS_AFTER_CLOSE)),
        },
        eraseUrl: pagePath.privacyErase(locale),
        myDataUrl: pagePath.privacyMyData(locale),
      },
    );
    return sendPage(reply, 200, html, { publicSeconds: this.env.PAGE_CACHE_SECONDS, varyLanguage: pathLocale(request) === null });
  }

  @Get(['ar/privacy/erase', 'en/privacy/erase'])
  eraseForm(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.form('erasure', pathLocale(request) ?? 'en', reply, 200, '', null);
  }

  @Get(['ar/privacy/my-data', 'en/privacy/my-data'])
  accessForm(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.form('access', pathLocale(request) ?? 'en', reply, 200, '', null);
  }

  @Post(['ar/privacy/erase', 'en/privacy/erase'])
  requestErasure(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.requestFrom('erasure', request, reply);
  }

  @Post(['ar/privacy/my-data', 'en/privacy/my-data'])
  requestAccess(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.requestFrom('access', request, reply);
  }

  /** The same page for every address, whether it signed anything or not. */
  @Get(['ar/privacy/check-email', 'en/privacy/check-email'])
  checkEmail(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const locale = pathLocale(request) ?? 'en';
    const t = this.pages.strings(locale);
    const html = this.pages.render(
      'message',
      { locale, title: t.checkEmailHeading, alternates: alternates(pagePath.privacyCheckEmail) },
      { heading: t.checkEmailHeading, text: t.privacyCheckEmailText, link: { href: pagePath.privacy(locale), label: t.backToPrivacy } },
    );
    return sendPage(reply, 200, html, { publicSeconds: this.env.PAGE_CACHE_SECONDS });
  }

  @Get(['privacy/erase/:token', 'ar/privacy/erase/:token', 'en/privacy/erase/:token'])
  async showErasure(@Param('token') token: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    try {
      const link = await this.privacy.preview(token);
      const locale = pathLocale(request) ?? link.locale;
      if (link.state === 'erased') return this.erased(reply, locale, token);
      const t = this.pages.strings(locale);
      const html = this.pages.render(
        'privacy-erase',
        { locale, title: t.eraseConfirmHeading, alternates: alternates((l) => pagePath.privacyEraseLink(l, token)) },
        { action: pagePath.privacyEraseLink(locale, token), privacyUrl: pagePath.privacy(locale) },
      );
      return this.sendPersonal(reply, 200, html);
    } catch (error) {
      return this.linkError(reply, error, requestLocale(request, 'en'));
    }
  }

  @Post(['privacy/erase/:token', 'ar/privacy/erase/:token', 'en/privacy/erase/:token'])
  async erase(@Param('token') token: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    try {
      const done = await this.privacy.erase(token);
      return this.erased(reply, pathLocale(request) ?? done.locale, token);
    } catch (error) {
      return this.linkError(reply, error, requestLocale(request, 'en'));
    }
  }

  // ── helpers ──────────────────────────────────────────────────────────────

  private async requestFrom(kind: PrivacyRequestKind, request: FastifyRequest, reply: FastifyReply) {
    const locale = pathLocale(request) ?? 'en';
    const t = this.pages.strings(locale);
    if (isCrossSitePost(request, this.publicOrigin)) {
      const back = kind === 'erasure' ? pagePath.privacyErase : pagePath.privacyMyData;
      const html = this.pages.render(
        'message',
        { locale, title: t.errorFormForeign, alternates: alternates(back) },
        { heading: t.errorFormForeign, text: '', link: { href: back(locale), label: kind === 'erasure' ? t.eraseHeading : t.accessHeading } },
      );
      return sendPage(reply, 403, html);
    }
    const form = readPrivacyForm(request.body, t);
    if (!form.dto) return this.form(kind, locale, reply, 400, form.email, form.error);
    await this.privacy.request(kind, { email: form.dto.email, locale }, request.ip);
    return reply.status(303).header('Cache-Control', 'no-store').header('Location', pagePath.privacyCheckEmail(locale)).send();
  }

  private form(kind: PrivacyRequestKind, locale: Locale, reply: FastifyReply, status: number, email: string, error: string | null) {
    const t = this.pages.strings(locale);
    const erasure = kind === 'erasure';
    const path = erasure ? pagePath.privacyErase : pagePath.privacyMyData;
    const heading = erasure ? t.eraseHeading : t.accessHeading;
    const html = this.pages.render(
      'privacy-form',
      { locale, title: heading, alternates: alternates(path) },
      {
        heading,
        intro: erasure ? t.eraseIntro : t.accessIntro,
        button: erasure ? t.eraseSend : t.accessSend,
        action: path(locale),
        email,
        error,
        privacyUrl: pagePath.privacy(locale),
      },
    );
    // A form sent back with what someone typed is theirs alone; the empty form may be cached.
    return sendPage(reply, status, html, status === 200 ? { publicSeconds: this.env.PAGE_CACHE_SECONDS } : {});
  }

  private erased(reply: FastifyReply, locale: Locale, token: string) {
    const t = this.pages.strings(locale);
    const html = this.pages.render(
      'message',
      { locale, title: t.erasedHeading, alternates: alternates((l) => pagePath.privacyEraseLink(l, token)) },
      { heading: t.erasedHeading, text: t.erasedText, link: { href: pagePath.home(locale), label: t.home } },
    );
    return this.sendPersonal(reply, 200, html);
  }

  private linkError(reply: FastifyReply, error: unknown, locale: Locale) {
    if (!(error instanceof AppError)) throw error;
    const t: PageStrings = this.pages.strings(locale);
    const expired = error.code === 'PRIVACY_LINK_EXPIRED';
    const heading = expired ? t.eraseExpiredHeading : t.invalidHeading;
    const html = this.pages.render(
      'message',
      { locale, title: heading, alternates: alternates(pagePath.privacyErase) },
      {
        heading,
        text: expired ? t.eraseExpiredText : t.eraseInvalidText,
        link: { href: pagePath.privacyErase(locale), label: t.eraseAskAgain },
      },
    );
    return this.sendPersonal(reply, error.status, html);
  }

  /** Per-person pages: never cached, never indexed, and the token never leaves in a Referer. */
  private sendPersonal(reply: FastifyReply, status: number, html: string) {
    void reply.header('Referrer-Policy', 'no-referrer').header('X-Robots-Tag', 'noindex');
    return sendPage(reply, status, html);
  }
}

