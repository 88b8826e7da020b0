import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../common/app-error';
import { LOCALES, type Locale, titleIn } from '../../common/locale';
import { FORMAT_LOCALE, formatNumber, plural } from '../../common/plural';
import { Environment } from '../../config/environment';
import { CampaignsService } from '../campaigns/campaigns.service';
import type { CampaignResponseDto } from '../campaigns/dto/campaign-response.dto';
import { MediaService } from '../media/media.service';
import { TargetsService } from '../targets/targets.service';
import {
  campaignBody,
  campaignFormValues,
  type CampaignFormValues,
  emptyCampaignForm,
  FIELD_IDS,
  formErrors,
  readCampaignForm,
  validateBody,
  validateOutcome,
} from './console-campaign-form';
import { CONSOLE_CAMPAIGN_STRINGS, type ConsoleCampaignStrings, STATUS_ACTIONS, type StatusAction } from './console-campaigns-strings';
import { field, formBody } from './console-cookies';
import { CONSOLE_STRINGS } from './console-strings';
import { type ConsoleContext, ConsoleKit, consolePath, errorList, type FormErrors } from './console-kit';
import { dirOf, PageRenderer } from './page-renderer';
import { freshForm, pagePath, PublicPagesService } from './public-pages.service';
import { CampaignUpdatesView } from './campaign-updates-view.service';
import { renderRichText } from './rich-text';
import { timeZoneOptions } from './console-time-zones';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The notices a redirect back to a campaign's page may ask for (`?done=`). */
const NOTICES = ['created', 'saved', 'submitted', ...STATUS_ACTIONS] as const;
type Notice = (typeof NOTICES)[number];
/** Longest text the live preview renders (the API's body limit is 20,000). */
const PREVIEW_MAX = 40000;

type CampaignStatus = CampaignResponseDto['status'];

/** Where a campaign's status page address leads: the status it moves to, from which one. */
function actionsFor(next: CampaignStatus[], from: CampaignStatus): StatusAction[] {
  return next.map((to) => (to === 'live' ? (from === 'draft' ? 'publish' : 'reopen') : to === 'closed' ? 'close' : 'win'));
}

function isStatusAction(value: string): value is StatusAction {
  return (STATUS_ACTIONS as readonly string[]).includes(value);
}

/**
 * The console's campaign pages (issue 12, "launch and edit"): the form to create a draft and to
 * edit a campaign (both languages side by side, the body's formatting help and a preview of it as
 * the public page renders it), the public page previewed before publishing, and the status
 * changes (publish, close, mark won, reopen), each behind a confirmation page. Every change goes
 * through CampaignsService, as the JSON API's do: the same DTO validation, rules and errors.
 */
@ApiExcludeController()
@Controller()
export class ConsoleCampaignsController {
  private readonly defaultZone: string;
  private readonly urgentDays: number;

  constructor(
    private readonly kit: ConsoleKit,
    private readonly campaigns: CampaignsService,
    private readonly targets: TargetsService,
    private readonly publicPages: PublicPagesService,
    private readonly pages: PageRenderer,
    private readonly media: MediaService,
    private readonly updates: CampaignUpdatesView,
    env: Environment,
  ) {
    this.defaultZone = env.PAGE_TIME_ZONE;
    this.urgentDays = env.URGENT_ACTION_DEFAULT_DAYS;
  }

  // ── new ────────────────────────────────────────────────────────────────────

  @Get(['ar/console/campaigns/new', 'en/console/campaigns/new'])
  async newPage(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const ctx = await this.kit.page(request, reply);
    if (!ctx) return;
    return this.kit.send(reply, 200, this.formPage(ctx, null, emptyCampaignForm(ctx.locale), {}, ''));
  }

  @Post(['ar/console/campaigns/new', 'en/console/campaigns/new'])
  async create(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const ctx = await this.kit.post(request, reply);
    if (!ctx) return;
    const posted = formBody(request);
    const values = readCampaignForm(posted);
    if (field(posted, 'intent') === 'preview') return this.kit.send(reply, 200, this.formPage(ctx, null, values, {}, ''));
    const s = CONSOLE_CAMPAIGN_STRINGS[ctx.locale];
    const { body, errors: early } = campaignBody(values, this.defaultZone, null, s);
    const main = this.mainLocale(values);
    const { dto, problems } = await validateBody('create', body);
    const errors = { ...formErrors(problems, main, s), ...early };
    if (Object.keys(errors).length) return this.kit.send(reply, 400, this.formPage(ctx, null, values, errors, ''));
    let created: CampaignResponseDto;
    try {
      created = await this.campaigns.create(ctx.session.principal, dto);
    } catch (error) {
      const refused = this.saveRefusal(error, main, s);
      return this.kit.send(reply, refused.status, this.formPage(ctx, null, values, refused.errors, ''));
    }
    return this.kit.redirect(reply, `${consolePath.campaign(ctx.locale, created.id)}?done=created`);
  }

  /** The body as the public page renders it, for the form's live preview (console.js): `{ html }`. */
  @Post(['ar/console/campaigns/preview-text', 'en/console/campaigns/preview-text'])
  async previewText(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const ctx = await this.kit.post(request, reply);
    if (!ctx) return;
    const text = field(formBody(request), 'text').slice(0, PREVIEW_MAX);
    return reply.status(200).header('Cache-Control', 'no-store').type('application/json; charset=utf-8').send({ html: renderRichText(text) });
  }

  // ── one campaign ───────────────────────────────────────────────────────────

  @Get(['ar/console/campaigns/:id', 'en/console/campaigns/:id'])
  async campaignPage(@Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const ctx = await this.kit.page(request, reply);
    if (!ctx) return;
    const campaign = await this.load(ctx, id);
    if (!campaign) return this.kit.notFound(reply, ctx.locale);
    const done = (request.query as Record<string, unknown> | undefined)?.done;
    const notice = typeof done === 'string' && (NOTICES as readonly string[]).includes(done) ? this.noticeText(ctx.locale, done as Notice) : '';
    const values = campaignFormValues(campaign, this.defaultZone, ctx.locale);
    return this.kit.send(reply, 200, this.formPage(ctx, campaign, values, {}, notice));
  }

  @Post(['ar/console/campaigns/:id', 'en/console/campaigns/:id'])
  async save(@Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const ctx = await this.kit.post(request, reply);
    if (!ctx) return;
    const campaign = await this.load(ctx, id);
    if (!campaign) return this.kit.notFound(reply, ctx.locale);
    const posted = formBody(request);
    const values = readCampaignForm(posted);
    if (campaign.status !== 'draft') {
      // Locked fields are not in the form (shown as text): keep what they are.
      values.kind = campaign.kind;
      values.slug = campaign.slug;
    }
    if (field(posted, 'intent') === 'preview') return this.kit.send(reply, 200, this.formPage(ctx, campaign, values, {}, ''));
    const s = CONSOLE_CAMPAIGN_STRINGS[ctx.locale];
    const { body, errors: early } = campaignBody(values, this.defaultZone, campaign, s);
    const main = this.mainLocale(values);
    const { dto, problems } = await validateBody('update', body);
    const errors = { ...formErrors(problems, main, s), ...early };
    if (Object.keys(errors).length) return this.kit.send(reply, 400, this.formPage(ctx, campaign, values, errors, ''));
    try {
      await this.campaigns.update(ctx.session.principal, campaign.id, dto);
    } catch (error) {
      if (error instanceof AppError && ['CAMPAIGN_NOT_FOUND', 'CAMPAIGN_FORBIDDEN', 'CAMPAIGN_ROLE_FORBIDDEN'].includes(error.code)) return this.kit.notFound(reply, ctx.locale);
      const refused = this.saveRefusal(error, main, s);
      return this.kit.send(reply, refused.status, this.formPage(ctx, campaign, values, refused.errors, ''));
    }
    return this.kit.redirect(reply, `${consolePath.campaign(ctx.locale, campaign.id)}?done=saved`);
  }

  /** The public page exactly as it will look (drafts as once published), marked as a preview; its form does nothing. */
  @Get(['ar/console/campaigns/:id/preview', 'en/console/campaigns/:id/preview'])
  async preview(@Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const ctx = await this.kit.page(request, reply);
    if (!ctx) return;
    const { locale } = ctx;
    if (!UUID.test(id)) return this.kit.notFound(reply, locale);
    let shown;
    try {
      shown = await this.campaigns.previewPublic(ctx.session.principal, id.toLowerCase());
    } catch (error) {
      if (error instanceof AppError && (error.status === 404 || error.status === 403)) return this.kit.notFound(reply, locale);
      throw error;
    }
    const draft = shown.status === 'draft' || shown.status === 'in_review';
    const campaign = {
      ...shown,
      status: draft ? ('live' as const) : shown.status,
      targets: await this.targets.listPublic(shown.id),
      ...(await this.media.mediaOf(shown.id, false)),
    };
    const t = this.pages.strings(locale);
    const s = CONSOLE_CAMPAIGN_STRINGS[locale];
    const path = (l: Locale) => consolePath.campaignPage(l, shown.id, 'preview');
    const view = this.publicPages.campaignView(campaign, locale, t, freshForm(path(locale), false, ''));
    const content = this.pages.content('campaign', locale, {
      ...view,
      recent: draft ? [] : await this.publicPages.recent(campaign),
      comments: draft ? [] : await this.publicPages.commentsView(campaign, locale, t),
      updates: await this.updates.view(campaign, locale),
    });
    const html = this.kit.render(locale, 'console-campaign-preview', s.previewPageTitle.replace('{title}', view.campaign.title), path, {
      s,
      banner: draft ? s.previewBannerDraft : s.previewBanner,
      backUrl: consolePath.campaign(locale, shown.id),
      content,
    });
    void reply.header('X-Robots-Tag', 'noindex');
    return this.kit.send(reply, 200, html);
  }

  // ── status changes ─────────────────────────────────────────────────────────

  @Get(['ar/console/campaigns/:id/status/:action', 'en/console/campaigns/:id/status/:action'])
  async confirmPage(@Param('id') id: string, @Param('action') action: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const ctx = await this.kit.page(request, reply);
    if (!ctx) return;
    const campaign = await this.load(ctx, id);
    if (!campaign || !isStatusAction(action)) return this.kit.notFound(reply, ctx.locale);
    if (!this.actions(campaign).includes(action)) {
      return this.kit.send(reply, 409, this.statusPage(ctx, campaign, action, '', {}, this.refusal(ctx.locale, 'CAMPAIGN_INVALID_TRANSITION', campaign)));
    }
    // Said before the organiser tries: the service refuses to put a campaign live past its deadline.
    if ((action === 'publish' || action === 'reopen') && campaign.endsAt && Date.parse(campaign.endsAt) <= Date.now()) {
      return this.kit.send(reply, 409, this.statusPage(ctx, campaign, action, '', {}, this.refusal(ctx.locale, 'CAMPAIGN_DEADLINE_PASSED', campaign), false));
    }
    return this.kit.send(reply, 200, this.statusPage(ctx, campaign, action, '', {}, null));
  }

  @Post(['ar/console/campaigns/:id/status/:action', 'en/console/campaigns/:id/status/:action'])
  async changeStatus(@Param('id') id: string, @Param('action') action: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const ctx = await this.kit.post(request, reply);
    if (!ctx) return;
    const campaign = await this.load(ctx, id);
    if (!campaign || !isStatusAction(action)) return this.kit.notFound(reply, ctx.locale);
    const s = CONSOLE_CAMPAIGN_STRINGS[ctx.locale];
    const typed = field(formBody(request), 'outcome').slice(0, 1000);
    if (!this.actions(campaign).includes(action)) {
      return this.kit.send(reply, 409, this.statusPage(ctx, campaign, action, typed, {}, this.refusal(ctx.locale, 'CAMPAIGN_INVALID_TRANSITION', campaign)));
    }
    const { principal } = ctx.session;
    let done: Notice = action;
    try {
      if (action === 'publish' || action === 'reopen') {
        const moved = await this.campaigns.publish(principal, campaign.id, request.ip);
        if (moved.status === 'in_review') done = 'submitted';
      }
      else if (action === 'close') await this.campaigns.close(principal, campaign.id, request.ip);
      else {
        const outcome = await validateOutcome(typed);
        if (!outcome.ok) return this.kit.send(reply, 400, this.statusPage(ctx, campaign, action, typed, { outcome: s.errorOutcome }, null));
        await this.campaigns.win(principal, campaign.id, outcome.outcome, request.ip);
      }
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      if (error.code === 'CAMPAIGN_NOT_FOUND' || error.code === 'CAMPAIGN_FORBIDDEN') return this.kit.notFound(reply, ctx.locale);
      const now = (await this.load(ctx, campaign.id)) ?? campaign;
      const status = error.status >= 400 && error.status < 500 ? error.status : 409;
      return this.kit.send(reply, status, this.statusPage(ctx, now, action, typed, {}, this.refusal(ctx.locale, error.code, now)));
    }
    return this.kit.redirect(reply, `${consolePath.campaign(ctx.locale, campaign.id)}?done=${done}`);
  }

  // ── helpers ────────────────────────────────────────────────────────────────

  /** The campaign, or null when the id is malformed, unknown or another organisation's (one 404 for all). */
  private async load(ctx: ConsoleContext, id: string): Promise<CampaignResponseDto | null> {
    if (!UUID.test(id)) return null;
    try {
      return await this.campaigns.get(ctx.session.principal, id.toLowerCase());
    } catch (error) {
      if (error instanceof AppError && (error.status === 404 || error.status === 403)) return null;
      throw error;
    }
  }

  private actions(campaign: CampaignResponseDto): StatusAction[] {
    return actionsFor(this.campaigns.nextStatuses(campaign.status), campaign.status);
  }

  private mainLocale(values: CampaignFormValues): Locale {
    return (LOCALES as readonly string[]).includes(values.locale) ? (values.locale as Locale) : 'en';
  }

  private noticeText(locale: Locale, notice: Notice): string {
    const s = CONSOLE_CAMPAIGN_STRINGS[locale];
    if (notice === 'created') return s.created;
    if (notice === 'saved') return s.saved;
    if (notice === 'submitted') return s.submitted;
    return s.done[notice];
  }

  /** What a create or update refused by the service says, beside the field it concerns. */
  private saveRefusal(error: unknown, main: Locale, s: ConsoleCampaignStrings): { status: number; errors: FormErrors } {
    if (!(error instanceof AppError)) throw error;
    if (error.code === 'VALIDATION_FAILED') {
      const details = Array.isArray(error.details) ? (error.details as { field: string; problems: string[] }[]) : [];
      return { status: 400, errors: formErrors(details, main, s) };
    }
    if (error.code === 'CAMPAIGN_SLUG_TAKEN') return { status: 409, errors: { slug: s.errorSlugTaken } };
    if (error.code === 'CAMPAIGN_FIELD_LOCKED') {
      const locked = (error.details as { field?: string } | undefined)?.field;
      return { status: 409, errors: locked === 'kind' ? { kind: s.kindLocked } : { slug: s.slugLocked } };
    }
    if (error.code === 'CAMPAIGN_CONFLICT') return { status: 409, errors: { general: `${s.errorConflict} (${error.code})` } };
    if (error.code === 'CAMPAIGN_IN_REVIEW') return { status: 409, errors: { general: `${s.refusedInReview} (${error.code})` } };
    throw error;
  }

  /** A refused status change as a sentence in the page's language, with its code. */
  private refusal(locale: Locale, code: string, campaign: CampaignResponseDto): { code: string; message: string } {
    const s = CONSOLE_CAMPAIGN_STRINGS[locale];
    const message =
      code === 'CAMPAIGN_DEADLINE_PASSED'
        ? s.refusedDeadline
        : code === 'CAMPAIGN_INVALID_TRANSITION'
          ? s.refusedTransition.replace('{status}', s.status[campaign.status])
          : code === 'CAMPAIGN_CONFLICT'
            ? s.refusedConflict
            : code === 'CAMPAIGN_IN_REVIEW'
              ? s.refusedInReview
              : s.refusedOther;
    return { code, message };
  }

  /** A date and time in the campaign's zone, in the page's language and digits, with the zone's offset. */
  private when(iso: string | null, zone: string, locale: Locale): string {
    if (!iso) return '';
    return new Intl.DateTimeFormat(FORMAT_LOCALE[locale], {
      year: 'numeric',
      month: 'long',
      day: 'numeric',
      hour: 'numeric',
      minute: '2-digit',
      timeZoneName: 'shortOffset',
      timeZone: zone,
    }).format(new Date(iso));
  }

  private formPage(ctx: ConsoleContext, campaign: CampaignResponseDto | null, values: CampaignFormValues, errors: FormErrors, notice: string): string {
    const { locale, c, session } = ctx;
    const s = CONSOLE_CAMPAIGN_STRINGS[locale];
    const zone = campaign ? (campaign.timeZone ?? this.defaultZone) : this.defaultZone;
    const draft = !campaign || campaign.status === 'draft';
    const title = campaign ? titleIn(campaign, locale) : s.newHeading;
    const path = campaign ? (l: Locale) => consolePath.campaign(l, campaign.id) : consolePath.newCampaign;
    const days = plural(this.urgentDays, locale, s.days);
    const columns = LOCALES.map((l) => ({
      locale: l,
      dir: dirOf(l),
      heading: s.textsIn[l],
      main: values.locale === l,
      title: values.title[l],
      summary: values.summary[l],
      body: values.body[l],
      errors: { title: errors[`title_${l}`] ?? '', summary: errors[`summary_${l}`] ?? '', body: errors[`body_${l}`] ?? '' },
      previewHeading: s.previewHeading.replace('{lang}', s.language[l]),
      previewHtml: renderRichText(values.body[l]),
    }));
    const overview = campaign ? this.overview(locale, campaign, zone) : null;
    const form = {
      action: campaign ? consolePath.campaign(locale, campaign.id) : consolePath.newCampaign(locale),
      previewAction: `/${locale}/console/campaigns/preview-text`,
      csrf: session.csrfToken,
      errors: { locale: '', kind: '', goal: '', endsAt: '', timeZone: '', slug: '', general: '', ...errors },
      errorList: errorList(errors, FIELD_IDS),
      columns,
      locales: LOCALES.map((l) => ({ value: l, label: s.language[l], checked: values.locale === l, id: `f-locale-${l}` })),
      kinds: [
        { value: 'petition', label: c.kind.petition, hint: s.kindPetitionHint, checked: values.kind === 'petition', id: 'f-kind-petition' },
        { value: 'urgent_action', label: c.kind.urgent_action, hint: s.kindUrgentHint.replace('{days}', days), checked: values.kind === 'urgent_action', id: 'f-kind-urgent' },
      ],
      kindLocked: !draft,
      kindLabel: campaign ? c.kind[campaign.kind] : '',
      goal: values.goal,
      endsAt: values.endsAt,
      zones: timeZoneOptions(locale, values.timeZone),
      zoneDefault: s.timeZoneDefault.replace('{zone}', this.defaultZone),
      zoneDefaultSelected: values.timeZone === '',
      slug: values.slug,
      slugLocked: !draft,
      comments: (['moderated', 'open', 'off'] as const).map((mode) => ({
        value: mode,
        label: s.commentModes[mode],
        checked: (values.comments || 'moderated') === mode,
        id: `f-comments-${mode}`,
      })),
      slugHint: s.slugHint.replace('{example}', `/${locale}/c/${values.slug.trim() || (locale === 'ar' ? 'أنقذوا-الأهوار' : 'save-the-marshes')}`),
      submit: campaign ? s.saveChanges : s.saveDraft,
    };
    return this.kit.render(locale, 'console-campaign-form', campaign ? s.campaignHeading.replace('{title}', title) : s.newHeading, path, {
      s,
      notice,
      heading: campaign ? s.campaignHeading.replace('{title}', title) : s.newHeading,
      intro: campaign ? '' : s.newIntro,
      tabs: campaign ? this.kit.tabs(locale, campaign.id, 'edit', ctx.session.principal) : [],
      backUrl: consolePath.home(locale),
      overview,
      form,
    });
  }

  private overview(locale: Locale, campaign: CampaignResponseDto, zone: string) {
    const s = CONSOLE_CAMPAIGN_STRINGS[locale];
    const c = CONSOLE_STRINGS[locale];
    const unpublished = campaign.status === 'draft' || campaign.status === 'in_review';
    const publicUrl = unpublished ? '' : pagePath.campaign(locale, campaign.slug);
    const rows = [
      { label: s.colSignatures, value: formatNumber(campaign.signatureCount, locale), cls: 'signatures' },
      { label: s.colCreated, value: this.when(campaign.createdAt, zone, locale), cls: 'created' },
      ...(campaign.publishedAt ? [{ label: s.colPublished, value: this.when(campaign.publishedAt, zone, locale), cls: 'published' }] : []),
      ...(campaign.endsAt ? [{ label: s.colDeadline, value: this.when(campaign.endsAt, zone, locale), cls: 'deadline' }] : []),
      ...(campaign.closedAt ? [{ label: s.colClosed, value: this.when(campaign.closedAt, zone, locale), cls: 'closed' }] : []),
      ...(campaign.wonAt ? [{ label: s.colWon, value: this.when(campaign.wonAt, zone, locale), cls: 'won' }] : []),
    ];
    return {
      statusLabel: c.status[campaign.status],
      kindLabel: c.kind[campaign.kind],
      statusNow: s.statusNow.replace('{status}', s.status[campaign.status]),
      publicUrl,
      publicUrlText: unpublished ? '' : `/${locale}/c/${campaign.slug}`,
      reviewWaiting: campaign.status === 'in_review' ? s.reviewWaiting : '',
      reviewNote: campaign.status === 'draft' && campaign.reviewNote ? campaign.reviewNote : '',
      outcome: campaign.outcome ?? '',
      rows,
      previewUrl: consolePath.campaignPage(locale, campaign.id, 'preview'),
      actions: this.actions(campaign).map((a) => ({ label: s.action[a], url: consolePath.campaignPage(locale, campaign.id, `status/${a}`), action: a })),
      final: campaign.status === 'won',
    };
  }

  private statusPage(
    ctx: ConsoleContext,
    campaign: CampaignResponseDto,
    action: StatusAction,
    outcome: string,
    errors: FormErrors,
    refusal: { code: string; message: string } | null,
    showForm = true,
  ): string {
    const { locale, session } = ctx;
    const s = CONSOLE_CAMPAIGN_STRINGS[locale];
    const title = titleIn(campaign, locale);
    const zone = campaign.timeZone ?? this.defaultZone;
    // The address as people read it (the slug's own letters), not percent-encoded.
    const lines = [s.confirmText[action].replace('{url}', `/${locale}/c/${campaign.slug}`)];
    if (action === 'publish' && this.campaigns.publishNeedsReview(session.principal)) lines.push(s.confirmReview);
    if (action === 'publish' || action === 'reopen') {
      if (campaign.endsAt) lines.push(s.confirmDeadline.replace('{when}', this.when(campaign.endsAt, zone, locale)));
      else if (campaign.kind === 'urgent_action') lines.push(s.confirmDefaultDeadline.replace('{days}', plural(this.urgentDays, locale, s.days)));
    }
    const heading = s.confirmHeading[action].replace('{title}', title);
    const path = (l: Locale) => consolePath.campaignPage(l, campaign.id, `status/${action}`);
    return this.kit.render(locale, 'console-campaign-status', heading, path, {
      s,
      heading,
      lines,
      refusal,
      backUrl: consolePath.campaign(locale, campaign.id),
      tabs: this.kit.tabs(locale, campaign.id, 'edit', ctx.session.principal),
      form: {
        action: path(locale),
        csrf: session.csrfToken,
        win: action === 'win',
        outcome,
        errors: { outcome: errors.outcome ?? '' },
        errorList: errorList(errors, { outcome: 'f-outcome' }),
        submit: s.confirmYes[action],
        // A refused post shows the form again (to try once the cause is fixed); a page that knows the answer shows none.
        possible: showForm && (refusal === null || refusal.code !== 'CAMPAIGN_INVALID_TRANSITION'),
      },
    });
  }
}
