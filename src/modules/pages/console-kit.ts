import { CampaignsService } from '../campaigns/campaigns.service';
import type { Principal } from '../../common/principal';
import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Locale } from '../../common/locale';
import { HttpSettings } from '../../config/environment';
import type { ConsoleSessionDto } from '../auth/dto/console-session.dto';
import { CONSOLE_STRINGS, type ConsoleStrings } from './console-strings';
import { ConsoleCookies } from './console-cookies';
import { PageRenderer } from './page-renderer';
import { isCrossSitePost, pathLocale, sendPage } from './page-reply';
import { alternates } from './public-pages.service';

/** Every console address, in one place (pages link to each other through it). */
export const consolePath = {
  home: (l: Locale) => `/${l}/console`,
  login: (l: Locale) => `/${l}/console/login`,
  logout: (l: Locale) => `/${l}/console/logout`,
  password: (l: Locale) => `/${l}/console/password`,
  forgot: (l: Locale) => `/${l}/console/forgot`,
  forgotSent: (l: Locale) => `/${l}/console/forgot/sent`,
  reset: (l: Locale, token: string) => `/${l}/console/reset/${encodeURIComponent(token)}`,
  invitation: (l: Locale, token: string) => `/${l}/console/invitation/${encodeURIComponent(token)}`,
  invite: (l: Locale) => `/${l}/console/invite`,
  newCampaign: (l: Locale) => `/${l}/console/campaigns/new`,
  campaign: (l: Locale, id: string) => `/${l}/console/campaigns/${encodeURIComponent(id)}`,
  /** A campaign's sub-page: `targets`, `letter`, `letters`, `supporters`, `stats`, `share`, `preview`, … */
  campaignPage: (l: Locale, id: string, page: string) => `/${l}/console/campaigns/${encodeURIComponent(id)}/${page}`,
  share: (l: Locale, id: string) => `/${l}/console/campaigns/${encodeURIComponent(id)}/share`,
  qr: (l: Locale, id: string) => `/${l}/console/campaigns/${encodeURIComponent(id)}/qr.svg`,
  reviews: (l: Locale) => `/${l}/console/reviews`,
};

/** The code a refused form shows (and tests look for). */
export const CSRF_CODE = 'CONSOLE_CSRF_INVALID';

export type FormErrors = Record<string, string>;

/** The tabs of a campaign's console pages, in order. */
export const CAMPAIGN_TABS = ['edit', 'photo', 'targets', 'letter', 'letters', 'updates', 'supporters', 'comments', 'stats', 'share', 'partners'] as const;
export type CampaignTab = (typeof CAMPAIGN_TABS)[number];

/** Who sees a tab: `view` every organisation running the campaign, `edit` the lead and editor partners, `lead` the lead. */
const TAB_LEVEL: Record<CampaignTab, 'view' | 'edit' | 'lead'> = {
  edit: 'edit',
  photo: 'edit',
  targets: 'edit',
  letter: 'edit',
  letters: 'edit',
  updates: 'edit',
  supporters: 'view',
  comments: 'edit',
  stats: 'view',
  share: 'view',
  partners: 'lead',
};

/** What a signed-in console page is rendered with: the language, the session and the console's words. */
export interface ConsoleContext {
  locale: Locale;
  session: ConsoleSessionDto;
  c: ConsoleStrings;
}

/**
 * The console's shared page plumbing, for every console controller: who is signed in (or a redirect
 * to the login page), the CSRF and same-site check of every post (or a 403 page), the frame with
 * the console's stylesheet and script, the campaign tabs, and the 403/404 pages. A controller
 * method that gets `null` from `page` or `post` returns at once: the reply was sent.
 */
@Injectable()
export class ConsoleKit {
  private readonly publicOrigin: string;

  constructor(
    private readonly pages: PageRenderer,
    private readonly cookies: ConsoleCookies,
    http: HttpSettings,
    private readonly campaigns: CampaignsService,
  ) {
    this.publicOrigin = new URL(http.PUBLIC_URL).origin;
  }

  /** A GET of a signed-in page: its context, or null after redirecting to the login page. */
  async page(request: FastifyRequest, reply: FastifyReply): Promise<ConsoleContext | null> {
    const locale = pathLocale(request) ?? 'en';
    const session = await this.cookies.resolve(request);
    if (!session) {
      this.redirect(reply, consolePath.login(locale));
      return null;
    }
    return { locale, session, c: CONSOLE_STRINGS[locale] };
  }

  /**
   * A POST of a signed-in form: its context once the session, the same-site check and the CSRF
   * token pass; null after redirecting (no session) or answering 403 (CONSOLE_CSRF_INVALID).
   */
  async post(request: FastifyRequest, reply: FastifyReply): Promise<ConsoleContext | null> {
    const context = await this.page(request, reply);
    if (!context) return null;
    if (isCrossSitePost(request, this.publicOrigin) || !this.cookies.csrfValid(context.session, request)) {
      this.refused(reply, context.locale);
      return null;
    }
    return context;
  }

  /** Whether a post comes from another site (forms without a session: login, reset, invitation). */
  crossSite(request: FastifyRequest): boolean {
    return isCrossSitePost(request, this.publicOrigin);
  }

  /**
   * Renders a console page in the frame, with the console's stylesheet and script; `path` gives
   * the same page in each language (the language switch). `context.c` and `locale` are in scope.
   */
  render(locale: Locale, view: string, title: string, path: (l: Locale) => string, context: Record<string, unknown>): string {
    return this.pages.render(
      view,
      { locale, title, alternates: alternates(path), styles: ['console.css'], scripts: ['console.js'] },
      { c: CONSOLE_STRINGS[locale], ...context },
    );
  }

  /** Renders and sends a page (no-store: console pages are per person). */
  send(reply: FastifyReply, status: number, html: string) {
    return sendPage(reply, status, html);
  }

  /** The tabs of a campaign's pages, the current one marked (`aria-current`). */
  tabs(locale: Locale, campaignId: string, current: CampaignTab, principal?: Principal) {
    const c = CONSOLE_STRINGS[locale];
    // A partner sees the tabs its role opens: an editor all but Partners, a viewer its supporters, statistics and sharing.
    const level = principal ? this.campaigns.levelSeen(principal, campaignId) : 'lead';
    return CAMPAIGN_TABS.filter((tab) => TAB_LEVEL[tab] === 'view' || (TAB_LEVEL[tab] === 'edit' ? level !== 'view' : level === 'lead')).map((tab) => ({
      href: tab === 'edit' ? consolePath.campaign(locale, campaignId) : consolePath.campaignPage(locale, campaignId, tab),
      label: c.tab[tab],
      current: tab === current,
    }));
  }

  redirect(reply: FastifyReply, location: string) {
    return reply.status(303).header('Cache-Control', 'no-store').header('Location', location).send();
  }

  /** A message page (heading, text, one link back). */
  message(reply: FastifyReply, status: number, locale: Locale, heading: string, text: string, link?: { href: string; label: string }) {
    const html = this.pages.render(
      'message',
      { locale, title: heading, alternates: alternates(consolePath.home) },
      { heading, text, link: link ?? { href: consolePath.home(locale), label: CONSOLE_STRINGS[locale].backToConsole } },
    );
    return sendPage(reply, status, html);
  }

  /** A campaign (or target, letter…) that does not exist, is another organisation's or has a malformed id: one 404 page. */
  notFound(reply: FastifyReply, locale: Locale) {
    const t = this.pages.strings(locale);
    return this.message(reply, 404, locale, t.notFoundHeading, t.notFoundText);
  }

  adminOnly(reply: FastifyReply, locale: Locale) {
    return this.message(reply, 403, locale, CONSOLE_STRINGS[locale].adminOnlyHeading, '');
  }

  /** A post without a valid CSRF token (or from another site): 403, saying why, with a stable code. */
  refused(reply: FastifyReply, locale: Locale) {
    const c = CONSOLE_STRINGS[locale];
    void reply.header('X-Error-Code', CSRF_CODE);
    return this.message(reply, 403, locale, c.csrfHeading, `${c.csrfText} (${c.errorCode}: ${CSRF_CODE})`);
  }
}

/** The error summary's entries: each message linked to its field's id. */
export function errorList(errors: FormErrors, ids: Record<string, string>) {
  return Object.entries(errors).map(([name, message]) => ({ target: ids[name] ?? name, message }));
}
