import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../common/app-error';
import type { Locale } from '../../common/locale';
import { FORMAT_LOCALE } from '../../common/plural';
import { AuthService } from '../auth/auth.service';
import { ConsoleSessionsService } from '../auth/console-sessions.service';
import { PasswordResetService } from '../auth/password-reset.service';
import { InvitationsService } from '../auth/invitations.service';
import { isEmail } from 'class-validator';
import type { ConsoleSessionDto } from '../auth/dto/console-session.dto';
import { CONSOLE_STRINGS, type ConsoleStrings } from './console-strings';
import { ConsoleCookies, field, formBody } from './console-cookies';
import { ConsoleDashboardService } from './console-dashboard.service';
import { CONSOLE_PARTNERS_STRINGS } from './console-partners-strings';
import { ConsoleShareService } from './console-share.service';
import { PageRenderer } from './page-renderer';
import { ConsoleKit, consolePath, errorList, type FormErrors } from './console-kit';
import { pathLocale, requestLocale, sendPage } from './page-reply';
import { alternates } from './public-pages.service';

type Errors = FormErrors;

/**
 * The organiser console's sign-in pages: login, the dashboard (its landing page), logout and password change,
 * server-rendered in Arabic (RTL) and English, working without JavaScript. Every post carries a
 * CSRF token (ConsoleCookies) and is also refused when the browser says it comes from another
 * site; pages that need a session redirect to the login page without one.
 */
@ApiExcludeController()
@Controller()
export class ConsoleController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly auth: AuthService,
    private readonly sessions: ConsoleSessionsService,
    private readonly cookies: ConsoleCookies,
    private readonly resets: PasswordResetService,
    private readonly invitations: InvitationsService,
    private readonly dashboard: ConsoleDashboardService,
    private readonly shares: ConsoleShareService,
    private readonly kit: ConsoleKit,
  ) {}

  @Get('console')
  root(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.kit.redirect(reply, consolePath.home(requestLocale(request, 'en')));
  }

  @Get(['console/login', 'ar/console/login', 'en/console/login'])
  async loginPage(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const locale = requestLocale(request, 'en');
    if (await this.cookies.resolve(request)) return this.kit.redirect(reply, consolePath.home(locale));
    const html = this.loginForm(locale, this.cookies.loginToken(request, reply), '', {}, '');
    if (pathLocale(request) === null) void reply.header('Vary', 'Accept-Language');
    return sendPage(reply, 200, html);
  }

  @Post(['ar/console/login', 'en/console/login'])
  async login(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const locale = requestLocale(request, 'en');
    const c = CONSOLE_STRINGS[locale];
    if (this.kit.crossSite(request) || !this.cookies.loginCsrfValid(request)) return this.kit.refused(reply, locale);
    const body = formBody(request);
    const email = field(body, 'email').trim().slice(0, 254);
    const password = field(body, 'password').slice(0, 256);
    const errors: Errors = {};
    if (!email) errors.email = c.errorEmailMissing;
    if (!password) errors.password = c.errorPasswordMissing;
    const again = (status: number, errs: Errors, general = '') =>
      sendPage(reply, status, this.loginForm(locale, this.cookies.loginToken(request, reply), email, errs, general));
    if (Object.keys(errors).length) return again(400, errors);
    let token: string;
    try {
      token = await this.auth.consoleLogin(email, password, request.ip);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      if (error.code === 'AUTH_INVALID_CREDENTIALS') return again(401, { password: c.errorCredentials });
      if (error.code === 'AUTH_THROTTLED') {
        void reply.header('Retry-After', error.headers?.['Retry-After'] ?? '1');
        return again(429, {}, throttledText(c, locale, error));
      }
      throw error;
    }
    this.cookies.setSession(reply, token);
    return this.kit.redirect(reply, consolePath.home(locale));
  }

  @Get(['ar/console', 'en/console'])
  async home(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const locale = pathLocale(request) ?? 'en';
    const session = await this.cookies.resolve(request);
    if (!session) return this.kit.redirect(reply, consolePath.login(locale));
    return sendPage(reply, 200, await this.homePage(locale, session, ''));
  }

  @Post(['ar/console/logout', 'en/console/logout'])
  async logout(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const locale = pathLocale(request) ?? 'en';
    const session = await this.cookies.resolve(request);
    if (!session) return this.kit.redirect(reply, consolePath.login(locale));
    if (this.kit.crossSite(request) || !this.cookies.csrfValid(session, request)) return this.kit.refused(reply, locale);
    await this.sessions.revoke(this.cookies.token(request));
    this.cookies.clearSession(reply);
    return this.kit.redirect(reply, consolePath.login(locale));
  }

  @Get(['ar/console/password', 'en/console/password'])
  async passwordPage(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const locale = pathLocale(request) ?? 'en';
    const session = await this.cookies.resolve(request);
    if (!session) return this.kit.redirect(reply, consolePath.login(locale));
    return sendPage(reply, 200, this.passwordForm(locale, session, {}, ''));
  }

  @Post(['ar/console/password', 'en/console/password'])
  async changePassword(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const locale = pathLocale(request) ?? 'en';
    const c = CONSOLE_STRINGS[locale];
    const session = await this.cookies.resolve(request);
    if (!session) return this.kit.redirect(reply, consolePath.login(locale));
    if (this.kit.crossSite(request) || !this.cookies.csrfValid(session, request)) return this.kit.refused(reply, locale);
    const body = formBody(request);
    const current = field(body, 'current');
    const next = field(body, 'next');
    const errors: Errors = {};
    if (!current) errors.current = c.errorPasswordMissing;
    if (next.length < 12 || next.length > 256) errors.next = c.errorNewPasswordLength;
    if (Object.keys(errors).length) return sendPage(reply, 400, this.passwordForm(locale, session, errors, ''));
    try {
      await this.auth.changePassword(session.principal, this.cookies.token(request), current, next, request.ip);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      if (error.code === 'AUTH_CURRENT_PASSWORD_WRONG') return sendPage(reply, 400, this.passwordForm(locale, session, { current: c.errorCurrentWrong }, ''));
      if (error.code === 'AUTH_THROTTLED') {
        void reply.header('Retry-After', error.headers?.['Retry-After'] ?? '1');
        return sendPage(reply, 429, this.passwordForm(locale, session, {}, throttledText(c, locale, error)));
      }
      throw error;
    }
    return sendPage(reply, 200, await this.homePage(locale, session, c.passwordChanged));
  }

  @Get(['console/forgot', 'ar/console/forgot', 'en/console/forgot'])
  forgotPage(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const locale = requestLocale(request, 'en');
    if (pathLocale(request) === null) void reply.header('Vary', 'Accept-Language');
    return sendPage(reply, 200, this.forgotForm(locale, this.cookies.loginToken(request, reply), '', {}));
  }

  /** Answers the same for every address (no oracle): the email, if any, is queued after the response. */
  @Post(['ar/console/forgot', 'en/console/forgot'])
  forgot(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const locale = requestLocale(request, 'en');
    if (this.kit.crossSite(request) || !this.cookies.loginCsrfValid(request)) return this.kit.refused(reply, locale);
    const email = field(formBody(request), 'email').trim().slice(0, 254);
    if (!email) {
      const errors = { email: CONSOLE_STRINGS[locale].errorEmailMissing };
      return sendPage(reply, 400, this.forgotForm(locale, this.cookies.loginToken(request, reply), email, errors));
    }
    this.resets.request(email, locale);
    return this.kit.redirect(reply, consolePath.forgotSent(locale));
  }

  @Get(['ar/console/forgot/sent', 'en/console/forgot/sent'])
  forgotSent(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const locale = pathLocale(request) ?? 'en';
    const c = CONSOLE_STRINGS[locale];
    const html = this.pages.render(
      'message',
      { locale, title: c.forgotSentHeading, alternates: alternates(consolePath.forgotSent) },
      { heading: c.forgotSentHeading, text: c.forgotSentText, link: { href: consolePath.login(locale), label: c.backToLogin } },
    );
    return sendPage(reply, 200, html);
  }

  @Get(['ar/console/reset/:token', 'en/console/reset/:token'])
  async resetPage(@Param('token') token: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const locale = pathLocale(request) ?? 'en';
    void reply.header('Referrer-Policy', 'no-referrer');
    if (!(await this.resets.isLive(token))) return this.resetExpired(reply, locale, token);
    return sendPage(reply, 200, this.resetForm(locale, token, this.cookies.loginToken(request, reply), {}));
  }

  @Post(['ar/console/reset/:token', 'en/console/reset/:token'])
  async reset(@Param('token') token: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const locale = pathLocale(request) ?? 'en';
    void reply.header('Referrer-Policy', 'no-referrer');
    if (this.kit.crossSite(request) || !this.cookies.loginCsrfValid(request)) return this.kit.refused(reply, locale);
    const next = field(formBody(request), 'next');
    if (next.length < 12 || next.length > 256) {
      const errors = { next: CONSOLE_STRINGS[locale].errorNewPasswordLength };
      return sendPage(reply, 400, this.resetForm(locale, token, this.cookies.loginToken(request, reply), errors));
    }
    let session: string;
    try {
      session = await this.resets.reset(token, next, request.ip);
    } catch (error) {
      if (error instanceof AppError && error.code === 'AUTH_RESET_LINK_INVALID') return this.resetExpired(reply, locale, token);
      throw error;
    }
    this.cookies.setSession(reply, session);
    return this.kit.redirect(reply, consolePath.home(locale));
  }

  @Get(['ar/console/invitation/:token', 'en/console/invitation/:token'])
  async invitationPage(@Param('token') token: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const locale = pathLocale(request) ?? 'en';
    void reply.header('Referrer-Policy', 'no-referrer');
    if (!(await this.invitations.isLive(token))) return this.invitationExpired(reply, locale, token);
    return sendPage(reply, 200, this.invitationForm(locale, token, this.cookies.loginToken(request, reply), '', {}));
  }

  @Post(['ar/console/invitation/:token', 'en/console/invitation/:token'])
  async acceptInvitation(@Param('token') token: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const locale = pathLocale(request) ?? 'en';
    const c = CONSOLE_STRINGS[locale];
    void reply.header('Referrer-Policy', 'no-referrer');
    if (this.kit.crossSite(request) || !this.cookies.loginCsrfValid(request)) return this.kit.refused(reply, locale);
    const body = formBody(request);
    const name = field(body, 'name').trim();
    const next = field(body, 'next');
    const errors: Errors = {};
    if (!name || name.length > 100 || name.includes('\u0000')) errors.name = c.errorNameMissing;
    if (next.length < 12 || next.length > 256) errors.next = c.errorNewPasswordLength;
    if (Object.keys(errors).length) {
      return sendPage(reply, 400, this.invitationForm(locale, token, this.cookies.loginToken(request, reply), name.slice(0, 100), errors));
    }
    let session: string;
    try {
      session = await this.invitations.accept(token, name, next, request.ip);
    } catch (error) {
      if (error instanceof AppError && error.code === 'AUTH_INVITATION_INVALID') return this.invitationExpired(reply, locale, token);
      throw error;
    }
    this.cookies.setSession(reply, session);
    return this.kit.redirect(reply, consolePath.home(locale));
  }

  @Get(['ar/console/invite', 'en/console/invite'])
  async invitePage(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const locale = pathLocale(request) ?? 'en';
    const session = await this.cookies.resolve(request);
    if (!session) return this.kit.redirect(reply, consolePath.login(locale));
    if (session.principal.role !== 'admin') return this.kit.adminOnly(reply, locale);
    return sendPage(reply, 200, this.inviteForm(locale, session, '', false, {}, ''));
  }

  @Post(['ar/console/invite', 'en/console/invite'])
  async invite(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const locale = pathLocale(request) ?? 'en';
    const c = CONSOLE_STRINGS[locale];
    const session = await this.cookies.resolve(request);
    if (!session) return this.kit.redirect(reply, consolePath.login(locale));
    if (this.kit.crossSite(request) || !this.cookies.csrfValid(session, request)) return this.kit.refused(reply, locale);
    if (session.principal.role !== 'admin') return this.kit.adminOnly(reply, locale);
    const body = formBody(request);
    const email = field(body, 'email').trim().slice(0, 254);
    const admin = field(body, 'role') === 'admin';
    if (!email) return sendPage(reply, 400, this.inviteForm(locale, session, email, admin, { email: c.errorEmailMissing }, ''));
    if (!isEmail(email)) return sendPage(reply, 400, this.inviteForm(locale, session, email, admin, { email: c.errorEmailInvalid }, ''));
    try {
      await this.invitations.invite(session.principal, session.principal.organisationId, { email, role: admin ? 'admin' : 'organiser', locale }, request.ip);
    } catch (error) {
      if (error instanceof AppError && error.code === 'ORGANISER_EMAIL_TAKEN') {
        return sendPage(reply, 409, this.inviteForm(locale, session, email, admin, { email: c.errorEmailTaken }, ''));
      }
      throw error;
    }
    return sendPage(reply, 200, this.inviteForm(locale, session, '', false, {}, c.invitationSent));
  }

  @Get(['ar/console/campaigns/:id/share', 'en/console/campaigns/:id/share'])
  async sharePage(@Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const locale = pathLocale(request) ?? 'en';
    const c = CONSOLE_STRINGS[locale];
    const session = await this.cookies.resolve(request);
    if (!session) return this.kit.redirect(reply, consolePath.login(locale));
    const share = await this.shares.share(session.principal, id, locale);
    if (!share) return this.kit.notFound(reply, locale);
    const label: Record<string, string> = { ar: c.shareLinkAr, en: c.shareLinkEn, '': c.shareLinkAuto };
    const html = this.kit.render(locale, 'console-share', c.shareHeading.replace('{title}', share.title), (l) => consolePath.share(l, id), {
      share: { ...share, links: share.links.map((k) => ({ ...k, label: label[k.label] })) },
      qrUrl: consolePath.qr(locale, id),
      backUrl: consolePath.home(locale),
      tabs: this.kit.tabs(locale, id, 'share', session.principal),
    });
    return sendPage(reply, 200, html);
  }

  /** The QR code of the campaign's address in the path's language, as an SVG file to download. */
  @Get(['ar/console/campaigns/:id/qr.svg', 'en/console/campaigns/:id/qr.svg'])
  async qrCode(@Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const locale = pathLocale(request) ?? 'en';
    const session = await this.cookies.resolve(request);
    if (!session) return this.kit.redirect(reply, consolePath.login(locale));
    const svg = await this.shares.qr(session.principal, id, locale);
    if (!svg) return this.kit.notFound(reply, locale);
    return reply
      .status(200)
      .header('Content-Type', 'image/svg+xml; charset=utf-8')
      .header('Content-Disposition', 'attachment; filename="qr-code.svg"')
      .header('Cache-Control', 'private, no-cache')
      .header('X-Content-Type-Options', 'nosniff')
      .send(svg);
  }

  // ── rendering ────────────────────────────────────────────────────────────

  private invitationForm(locale: Locale, token: string, csrf: string, name: string, errors: Errors): string {
    const c = CONSOLE_STRINGS[locale];
    return this.pages.render(
      'console-invitation',
      { locale, title: c.invitationHeading, alternates: alternates((l) => consolePath.invitation(l, token)) },
      { c, form: { action: consolePath.invitation(locale, token), csrf, values: { name }, errors, errorList: errorList(errors, { name: 'f-name', next: 'f-next' }) } },
    );
  }

  private invitationExpired(reply: FastifyReply, locale: Locale, token: string) {
    const c = CONSOLE_STRINGS[locale];
    const html = this.pages.render(
      'message',
      { locale, title: c.invitationExpiredHeading, alternates: alternates((l) => consolePath.invitation(l, token)) },
      { heading: c.invitationExpiredHeading, text: c.invitationExpiredText, link: { href: consolePath.login(locale), label: c.backToLogin } },
    );
    return sendPage(reply, 410, html);
  }

  private inviteForm(locale: Locale, session: ConsoleSessionDto, email: string, admin: boolean, errors: Errors, notice: string): string {
    const c = CONSOLE_STRINGS[locale];
    return this.pages.render(
      'console-invite',
      { locale, title: c.inviteHeading, alternates: alternates(consolePath.invite) },
      {
        c,
        notice,
        backUrl: consolePath.home(locale),
        form: { action: consolePath.invite(locale), csrf: session.csrfToken, values: { email, admin }, errors, errorList: errorList(errors, { email: 'f-email' }) },
      },
    );
  }



  private forgotForm(locale: Locale, csrf: string, email: string, errors: Errors): string {
    const c = CONSOLE_STRINGS[locale];
    return this.pages.render(
      'console-forgot',
      { locale, title: c.forgotHeading, alternates: alternates(consolePath.forgot) },
      { c, loginUrl: consolePath.login(locale), form: { action: consolePath.forgot(locale), csrf, values: { email }, errors, errorList: errorList(errors, { email: 'f-email' }) } },
    );
  }

  private resetForm(locale: Locale, token: string, csrf: string, errors: Errors): string {
    const c = CONSOLE_STRINGS[locale];
    return this.pages.render(
      'console-reset',
      { locale, title: c.resetHeading, alternates: alternates((l) => consolePath.reset(l, token)) },
      { c, form: { action: consolePath.reset(locale, token), csrf, errors, errorList: errorList(errors, { next: 'f-next' }) } },
    );
  }

  private resetExpired(reply: FastifyReply, locale: Locale, token: string) {
    const c = CONSOLE_STRINGS[locale];
    const html = this.pages.render(
      'message',
      { locale, title: c.resetExpiredHeading, alternates: alternates((l) => consolePath.reset(l, token)) },
      { heading: c.resetExpiredHeading, text: c.resetExpiredText, link: { href: consolePath.forgot(locale), label: c.askAgain } },
    );
    return sendPage(reply, 410, html);
  }

  private loginForm(locale: Locale, csrf: string, email: string, errors: Errors, general: string): string {
    const c = CONSOLE_STRINGS[locale];
    return this.pages.render(
      'console-login',
      { locale, title: c.loginHeading, alternates: alternates(consolePath.login) },
      {
        c,
        forgotUrl: consolePath.forgot(locale),
        form: { action: consolePath.login(locale), csrf, values: { email }, errors, errorList: errorList(errors, { email: 'f-email', password: 'f-password' }), general },
      },
    );
  }

  private async homePage(locale: Locale, session: ConsoleSessionDto, notice: string): Promise<string> {
    const c = CONSOLE_STRINGS[locale];
    const [dashboard, partnerships] = await Promise.all([
      this.dashboard.dashboard(session.principal, locale),
      this.dashboard.partnerships(session.principal, locale),
    ]);
    return this.pages.render(
      'console-home',
      { locale, title: c.consoleName, alternates: alternates(consolePath.home) },
      {
        c,
        session,
        notice,
        dashboard,
        partnerships,
        p: CONSOLE_PARTNERS_STRINGS[locale],
        roleLabel: session.principal.role === 'admin' ? c.roleAdmin : c.roleOrganiser,
        logoutUrl: consolePath.logout(locale),
        passwordUrl: consolePath.password(locale),
        inviteUrl: session.principal.role === 'admin' ? consolePath.invite(locale) : '',
        reviewsUrl: session.principal.role === 'admin' ? consolePath.reviews(locale) : '',
        newCampaignUrl: consolePath.newCampaign(locale),
      },
    );
  }

  private passwordForm(locale: Locale, session: ConsoleSessionDto, errors: Errors, general: string): string {
    const c = CONSOLE_STRINGS[locale];
    return this.pages.render(
      'console-password',
      { locale, title: c.changePassword, alternates: alternates(consolePath.password) },
      {
        c,
        backUrl: consolePath.home(locale),
        form: {
          action: consolePath.password(locale),
          csrf: session.csrfToken,
          email: session.email,
          errors,
          errorList: errorList(errors, { current: 'f-current', next: 'f-next' }),
          general,
        },
      },
    );
  }
}

function throttledText(c: ConsoleStrings, locale: Locale, error: AppError): string {
  const seconds = Number((error.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds ?? 1);
  return c.errorThrottled.replace('{n}', new Intl.NumberFormat(FORMAT_LOCALE[locale]).format(seconds));
}
