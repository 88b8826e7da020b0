import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../common/app-error';
import { ShortCache } from '../../common/short-cache';
import { Environment, publicLink } from '../../config/environment';
import type { Locale } from '../../common/locale';
import { textIn } from '../../common/locale';
import { SignaturesService } from '../signatures/signatures.service';
import { FormBotCheck, RENDERED_AT_FIELD } from './form-bot-check';
import { PageRenderer } from './page-renderer';
import { isCrossSitePost, pathLocale, requestLocale, sendPage } from './page-reply';
import { CampaignUpdatesView } from './campaign-updates-view.service';
import { alternates, type FormState, freshForm, pagePath, previewImage, type PublicCampaign, PublicPagesService } from './public-pages.service';
import { noErrors, readSignForm } from './sign-form';
import { RESEND_STRINGS } from './resend-strings';

type Kind = 'page' | 'embed';

/**
 * The campaign page and its embed: text, targets, count, recent supporters and the sign form.
 * Works without JavaScript: the form is a plain POST, answered by a redirect to "check your email"
 * or by the page again with a message beside each field. The language comes from the path
 * (`/ar/c/…`, `/en/c/…`) or, at `/c/…`, from Accept-Language.
 */
@ApiExcludeController()
@Controller()
export class CampaignPageController {
  private readonly frameAncestors: string;
  private readonly publicOrigin: string;
  private readonly freshPages: ShortCache<string>;

  constructor(
    private readonly view: PublicPagesService,
    private readonly pages: PageRenderer,
    private readonly signatures: SignaturesService,
    private readonly bots: FormBotCheck,
    private readonly env: Environment,
    private readonly updates: CampaignUpdatesView,
  ) {
    this.frameAncestors = env.EMBED_ALLOWED_ORIGINS;
    this.publicOrigin = new URL(env.PUBLIC_URL).origin;
    this.freshPages = new ShortCache(env.COUNT_CACHE_MS);
  }

  @Get(['c/:slug', 'ar/c/:slug', 'en/c/:slug'])
  async show(@Param('slug') slug: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.showPage('page', slug, request, reply);
  }

  @Get(['ar/embed/c/:slug', 'en/embed/c/:slug'])
  async showEmbed(@Param('slug') slug: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.showPage('embed', slug, request, reply);
  }

  @Post(['c/:slug', 'ar/c/:slug', 'en/c/:slug'])
  async sign(@Param('slug') slug: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.signFrom('page', slug, request, reply);
  }

  @Post(['ar/embed/c/:slug', 'en/embed/c/:slug'])
  async signEmbed(@Param('slug') slug: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.signFrom('embed', slug, request, reply);
  }

  @Get(['ar/c/:slug/check-email', 'en/c/:slug/check-email'])
  async checkEmail(@Param('slug') slug: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.checkEmailPage('page', slug, request, reply);
  }

  @Get(['ar/embed/c/:slug/check-email', 'en/embed/c/:slug/check-email'])
  async checkEmailEmbed(@Param('slug') slug: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.checkEmailPage('embed', slug, request, reply);
  }

  // ── the pages ────────────────────────────────────────────────────────────

  private async showPage(kind: Kind, slug: string, request: FastifyRequest, reply: FastifyReply) {
    const campaign = await this.view.campaign(slug);
    const locale = requestLocale(request, campaign?.locale ?? 'en');
    if (!campaign) return this.notFound(reply, locale, kind);
    // The page as everyone gets it (no form errors), reused as briefly as its data.
    const html = await this.freshPages.get(`${kind}|${locale}|${slug}`, () =>
      this.render(kind, campaign, locale, freshForm(this.formAction(kind, locale, slug), kind === 'embed', this.bots.stamp(campaign.slug))),
    );
    return sendPage(reply, 200, html, {
      publicSeconds: this.env.PAGE_CACHE_SECONDS,
      varyLanguage: pathLocale(request) === null,
      frameAncestors: kind === 'embed' ? this.frameAncestors : undefined,
    });
  }

  private async signFrom(kind: Kind, slug: string, request: FastifyRequest, reply: FastifyReply) {
    const locale = requestLocale(request, 'en');
    const campaign = await this.view.campaign(slug);
    if (!campaign) return this.notFound(reply, locale, kind);
    const t = this.pages.strings(locale);
    const action = this.formAction(kind, locale, slug);
    const frame = kind === 'embed' ? this.frameAncestors : undefined;

    if (isCrossSitePost(request, this.publicOrigin)) {
      const frameOf = { locale, title: t.errorForm, alternates: alternates((l) => pagePath.campaign(l, slug)), embed: kind === 'embed' };
      const html = this.pages.render('message', frameOf, {
        heading: t.errorForm,
        text: '',
        link: { href: pagePath.campaign(locale, slug), label: t.backToCampaign },
      });
      return sendPage(reply, 403, html, { frameAncestors: frame });
    }

    const body = request.body && typeof request.body === 'object' ? (request.body as Record<string, unknown>) : {};
    const form = readSignForm(body, locale, t);
    // A form sent back with errors keeps the time it was first shown, so fixing a field is not "too fast".
    const posted = body[RENDERED_AT_FIELD];
    const renderedAt = this.bots.renderedAt(campaign.slug, posted) === null ? this.bots.stamp(campaign.slug) : String(posted);
    const again = (status: number, errors: FormState['errors'], shown = campaign) =>
      this.render(kind, shown, locale, { action, compact: kind === 'embed', renderedAt, values: form.values, errors }).then((html) =>
        sendPage(reply, status, html, { frameAncestors: frame }),
      );
    if (!form.dto) return again(400, form.errors);
    if (Array.isArray(form.dto.contactConsent)) {
      // Only the organisations the page offered (a tampered or stale box names nobody).
      const offered = new Set([campaign.organisation.id, ...campaign.partners.map((p) => p.id)]);
      form.dto.contactConsent = form.dto.contactConsent.filter((id) => offered.has(id));
    }
    try {
      await this.signatures.sign(slug, form.dto, request.ip, { formHold: this.bots.check(campaign.slug, body) });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      if (error.code === 'EMAIL_DISPOSABLE') return again(400, { ...noErrors(), email: t.errorEmailDisposable });
      if (error.code === 'SIGNATURE_CONSENT_ORGANISATION_UNKNOWN') {
        // A partner left between the page and the post: the page again, with the organisations as they are now.
        return again(409, noErrors(), (await this.view.campaign(slug, true)) ?? campaign);
      }
      if (error.code !== 'CAMPAIGN_CLOSED') throw error;
      // Closed between the page and the post: the page again, which now says so.
      return again(409, noErrors(), (await this.view.campaign(slug, true)) ?? campaign);
    }
    const next = kind === 'embed' ? pagePath.embedCheckEmail(locale, slug) : pagePath.checkEmail(locale, slug);
    return reply.status(303).header('Cache-Control', 'no-store').header('Location', next).send();
  }

  private async checkEmailPage(kind: Kind, slug: string, request: FastifyRequest, reply: FastifyReply) {
    const locale = pathLocale(request) ?? 'en';
    const campaign = await this.view.campaign(slug);
    if (!campaign) return this.notFound(reply, locale, kind);
    const t = this.pages.strings(locale);
    const text = textIn(campaign, locale);
    const path = kind === 'embed' ? pagePath.embedCheckEmail : pagePath.checkEmail;
    const html = this.pages.render(
      'check-email',
      { locale, title: t.checkEmailHeading, alternates: alternates((l) => path(l, slug)), embed: kind === 'embed' },
      {
        campaignTitle: text.title,
        textLocale: text.locale,
        campaignUrl: pagePath.campaign(locale, slug),
        resendUrl: `${pagePath.campaign(locale, slug)}/resend`,
        resendLink: RESEND_STRINGS[locale].resendLink,
        embed: kind === 'embed',
      },
    );
    return sendPage(reply, 200, html, {
      publicSeconds: this.env.PAGE_CACHE_SECONDS,
      frameAncestors: kind === 'embed' ? this.frameAncestors : undefined,
    });
  }

  // ── helpers ──────────────────────────────────────────────────────────────

  private async render(kind: Kind, campaign: PublicCampaign, locale: Locale, form: FormState): Promise<string> {
    const t = this.pages.strings(locale);
    const view = this.view.campaignView(campaign, locale, t, form);
    const path = kind === 'embed' ? pagePath.embed : pagePath.campaign;
    const frame = {
      locale,
      title: view.campaign.title,
      alternates: alternates((l) => path(l, campaign.slug)),
      slug: campaign.slug,
      embed: kind === 'embed',
      preview: {
        description: view.campaign.summary,
        url: publicLink(this.env, pagePath.campaign(locale, campaign.slug)),
        image: previewImage(campaign, locale, (p) => (p.startsWith('/') ? publicLink(this.env, p) : p)),
      },
    };
    if (kind === 'embed') return this.pages.render('embed', frame, view);
    return this.pages.render('campaign', frame, {
      ...view,
      recent: await this.view.recent(campaign),
      comments: await this.view.commentsView(campaign, locale, t),
      updates: await this.updates.view(campaign, locale),
    });
  }

  private formAction(kind: Kind, locale: Locale, slug: string): string {
    return kind === 'embed' ? pagePath.embed(locale, slug) : pagePath.campaign(locale, slug);
  }

  private notFound(reply: FastifyReply, locale: Locale, kind: Kind) {
    const t = this.pages.strings(locale);
    const html = this.pages.render(
      'message',
      { locale, title: t.notFoundHeading, alternates: alternates(pagePath.home), embed: kind === 'embed' },
      { heading: t.notFoundHeading, text: t.notFoundText, link: { href: pagePath.home(locale), label: t.home } },
    );
    return sendPage(reply, 404, html, { frameAncestors: kind === 'embed' ? this.frameAncestors : undefined });
  }
}
