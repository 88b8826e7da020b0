import { randomUUID } from 'node:crypto';
import { Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { isUUID } from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../common/app-error';
import { LOCALES, titleIn, type Locale } from '../../common/locale';
import { FORMAT_LOCALE, formatNumber, plural } from '../../common/plural';
import { CampaignsService } from '../campaigns/campaigns.service';
import { CASE_STATUSES } from '../campaigns/dto/case-status.dto';
import type { UpdateListResponseDto, UpdateResponseDto } from '../updates/dto/update-response.dto';
import { UpdatePreviewService } from '../updates/update-preview.service';
import { UpdatesService } from '../updates/updates.service';
import { field, formBody } from './console-cookies';
import { ConsoleKit, consolePath, errorList, type ConsoleContext, type FormErrors } from './console-kit';
import { CONSOLE_UPDATES_STRINGS } from './console-updates-strings';
import { blankUpdateForm, readUpdateForm, serviceFieldErrors, UPDATE_FIELD_IDS, validateUpdateForm, type UpdateFormValues } from './console-updates-form';
import { dirOf, PageRenderer } from './page-renderer';
import { renderRichText } from './rich-text';
import { UPDATES_STRINGS } from './updates-strings';

type Campaign = Awaited<ReturnType<CampaignsService['owned']>>;
type SendState = NonNullable<UpdateResponseDto['sendState']>;

/** `ar/…` and `en/…` of a campaign's sub-page. */
const routes = (page: string) => [`ar/console/campaigns/:id/${page}`, `en/console/campaigns/:id/${page}`];

/** Notified updates of the list whose numbers are read (one count over each one's deliveries); older ones show their state only. */
const LIST_COUNTS = 10;
/** Updates the list shows, newest first. */
const LIST_ITEMS = 100;
/** How often console.js reads a send's progress while it is sending (the page says "every few seconds"). */
const POLL_MS = 2000;

const NOTICES = ['posted', 'emailing', 'paused', 'resumed', 'cancelled'] as const;
type Notice = (typeof NOTICES)[number];

/**
 * The console's Updates tab (issue 13): a campaign's case updates newest first with each emailed
 * one's send (state and numbers), the weekly cap (when the next emailed update is allowed), the
 * form to post one (both languages side by side, an urgent action's case status, "email the
 * supporters who agreed" with how many that is now) with a preview of the update as the campaign
 * page shows it and of its email, and each update's page: its send's live progress with Pause,
 * Resume and Cancel (behind a confirmation). Everything goes through UpdatesService, as the JSON
 * API does: the same rules, cap and codes. A campaign or update the organiser may not see, a
 * missing one and a malformed id are all the same 404 page.
 */
@ApiExcludeController()
@Controller()
export class ConsoleUpdatesController {
  constructor(
    private readonly kit: ConsoleKit,
    private readonly campaigns: CampaignsService,
    private readonly updates: UpdatesService,
    private readonly previews: UpdatePreviewService,
    private readonly pages: PageRenderer,
  ) {}

  // ── the list and the form ─────────────────────────────────────────────────

  @Get(routes('updates'))
  async listPage(@Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const ctx = await this.kit.page(request, reply);
    if (!ctx) return;
    const campaign = await this.campaign(ctx, id);
    if (!campaign) return this.kit.notFound(reply, ctx.locale);
    return this.kit.send(reply, 200, await this.listView(ctx, campaign, blankUpdateForm(), {}, false));
  }

  @Post(routes('updates'))
  async post(@Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const ctx = await this.kit.post(request, reply);
    if (!ctx) return;
    const campaign = await this.campaign(ctx, id);
    if (!campaign) return this.kit.notFound(reply, ctx.locale);
    const posted = formBody(request);
    const values = readUpdateForm(posted);
    if (field(posted, 'intent') === 'preview') return this.kit.send(reply, 200, await this.listView(ctx, campaign, values, {}, true));
    const s = CONSOLE_UPDATES_STRINGS[ctx.locale];
    const { dto, errors } = await validateUpdateForm(values, campaign.locale, s);
    if (!dto) return this.kit.send(reply, 400, await this.listView(ctx, campaign, values, errors, true));
    let saved: UpdateResponseDto;
    try {
      // The form's key (new with each page): a double click or a re-sent form finds the first post's update.
      saved = await this.updates.post(ctx.session.principal, campaign.id, dto, request.ip, values.requestKey);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      if (error.code === 'CAMPAIGN_NOT_FOUND' || error.code === 'CAMPAIGN_FORBIDDEN') return this.kit.notFound(reply, ctx.locale);
      const refused = this.postRefusal(ctx.locale, campaign, error);
      return this.kit.send(reply, refused.status, await this.listView(ctx, campaign, values, refused.errors, true));
    }
    return this.kit.redirect(reply, `${this.updatePath(ctx.locale, campaign.id, saved.id)}?done=${saved.notify ? 'emailing' : 'posted'}`);
  }

  /** The preview of the form as typed, for console.js (a CSRF-checked form post): `{ html }`, the same section the Preview button renders. */
  @Post(routes('updates/preview'))
  async preview(@Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const ctx = await this.kit.post(request, reply);
    if (!ctx) return;
    const campaign = await this.campaign(ctx, id);
    if (!campaign) return this.kit.notFound(reply, ctx.locale);
    const preview = await this.previewOf(ctx, campaign, readUpdateForm(formBody(request)));
    const html = this.pages.content('console-update-preview', ctx.locale, { preview });
    return reply.status(200).header('Cache-Control', 'no-store').type('application/json; charset=utf-8').send({ html });
  }

  // ── one update ────────────────────────────────────────────────────────────

  @Get(routes('updates/:updateId'))
  async updatePage(@Param('id') id: string, @Param('updateId') updateId: string, @Query('done') done: unknown, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const ctx = await this.kit.page(request, reply);
    if (!ctx) return;
    const found = await this.update(ctx, id, updateId);
    if (!found) return this.kit.notFound(reply, ctx.locale);
    const notice = typeof done === 'string' && (NOTICES as readonly string[]).includes(done) ? this.noticeText(ctx.locale, done as Notice) : '';
    return this.kit.send(reply, 200, this.updateView(ctx, found.campaign, found.update, notice, null));
  }

  /** The send's numbers for console.js while it is sending (a GET; the session's organiser only): see `progress`. */
  @Get(routes('updates/:updateId/progress'))
  async progressJson(@Param('id') id: string, @Param('updateId') updateId: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const ctx = await this.kit.page(request, reply);
    if (!ctx) return;
    const found = await this.update(ctx, id, updateId);
    if (!found) {
      return reply
        .status(404)
        .header('Cache-Control', 'no-store')
        .type('application/json; charset=utf-8')
        .send({ statusCode: 404, code: 'UPDATE_NOT_FOUND', message: 'No such update.' });
    }
    return reply.status(200).header('Cache-Control', 'no-store').type('application/json; charset=utf-8').send(this.progress(ctx.locale, found.campaign, found.update));
  }

  @Post(routes('updates/:updateId/pause'))
  pause(@Param('id') id: string, @Param('updateId') updateId: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.move('pause', id, updateId, request, reply);
  }

  @Post(routes('updates/:updateId/resume'))
  resume(@Param('id') id: string, @Param('updateId') updateId: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.move('resume', id, updateId, request, reply);
  }

  /** The cancellation's confirmation page (a send that cannot be cancelled any more says so: 409). */
  @Get(routes('updates/:updateId/cancel'))
  async cancelPage(@Param('id') id: string, @Param('updateId') updateId: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const ctx = await this.kit.page(request, reply);
    if (!ctx) return;
    const found = await this.update(ctx, id, updateId);
    if (!found) return this.kit.notFound(reply, ctx.locale);
    const { update } = found;
    const refusal = !update.notify || !update.sendState ? this.refusal(ctx.locale, 'UPDATE_NOT_NOTIFIED', null) : ['sending', 'paused'].includes(update.sendState) ? null : this.refusal(ctx.locale, 'UPDATE_SEND_STATE', update.sendState);
    return this.kit.send(reply, refusal ? 409 : 200, this.cancelView(ctx, found.campaign, update, refusal));
  }

  @Post(routes('updates/:updateId/cancel'))
  cancel(@Param('id') id: string, @Param('updateId') updateId: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.move('cancel', id, updateId, request, reply);
  }

  /** Pause, resume or cancel through the service; 303 back to the update with a notice, or its page with the refusal and its code (409). */
  private async move(action: 'pause' | 'resume' | 'cancel', id: string, updateId: string, request: FastifyRequest, reply: FastifyReply) {
    const ctx = await this.kit.post(request, reply);
    if (!ctx) return;
    const found = await this.update(ctx, id, updateId);
    if (!found) return this.kit.notFound(reply, ctx.locale);
    const { principal } = ctx.session;
    try {
      if (action === 'pause') await this.updates.pause(principal, found.campaign.id, found.update.id, request.ip);
      else if (action === 'resume') await this.updates.resume(principal, found.campaign.id, found.update.id, request.ip);
      else await this.updates.cancel(principal, found.campaign.id, found.update.id, request.ip);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      if (error.status === 404 || error.status === 403) return this.kit.notFound(reply, ctx.locale);
      if (error.code !== 'UPDATE_SEND_STATE' && error.code !== 'UPDATE_NOT_NOTIFIED') throw error;
      const now = (await this.update(ctx, found.campaign.id, found.update.id)) ?? found;
      return this.kit.send(reply, 409, this.updateView(ctx, now.campaign, now.update, '', this.refusal(ctx.locale, error.code, now.update.sendState)));
    }
    const notice: Notice = action === 'pause' ? 'paused' : action === 'resume' ? 'resumed' : 'cancelled';
    return this.kit.redirect(reply, `${this.updatePath(ctx.locale, found.campaign.id, found.update.id)}?done=${notice}`);
  }

  // ── views ─────────────────────────────────────────────────────────────────

  private async listView(ctx: ConsoleContext, campaign: Campaign, values: UpdateFormValues, errors: FormErrors, showPreview: boolean): Promise<string> {
    const { locale, session } = ctx;
    const s = CONSOLE_UPDATES_STRINGS[locale];
    const principal = session.principal;
    const zone = this.campaigns.timeZoneOf(campaign);
    const draft = campaign.status === 'draft';
    const [list, recipients] = await Promise.all([this.updates.list(principal, campaign.id), draft ? Promise.resolve(null) : this.previews.recipientCount(principal, campaign.id)]);
    const shown = list.items.slice(0, LIST_ITEMS);
    const counted = new Set(shown.filter((u) => u.notify).slice(0, LIST_COUNTS).map((u) => u.id));
    const withCounts = await Promise.all(shown.map((u) => (counted.has(u.id) ? this.updates.get(principal, campaign.id, u.id) : Promise.resolve(u))));
    const title = titleIn(campaign, locale);
    const path = (l: Locale) => consolePath.campaignPage(l, campaign.id, 'updates');
    const urgent = campaign.kind === 'urgent_action';
    const order = [campaign.locale, ...LOCALES.filter((l) => l !== campaign.locale)];
    return this.kit.render(locale, 'console-updates', `${s.updatesHeading} · ${title}`, path, {
      s,
      tabs: this.kit.tabs(locale, campaign.id, 'updates', ctx.session.principal),
      campaignTitle: title,
      items: withCounts.map((u) => ({
        url: this.updatePath(locale, campaign.id, u.id),
        title: this.titleOf(u, locale),
        iso: u.createdAt,
        date: this.when(locale, zone, u.createdAt, false),
        email: u.notify ? s.emailed : s.notEmailed,
        state: u.sendState ? s.sendState[u.sendState] : '',
        stateCode: u.sendState ?? 'none',
        progress: u.notify && counted.has(u.id) ? this.progressText(locale, u) : '',
      })),
      cap: this.cap(locale, zone, list),
      form: {
        action: path(locale),
        previewUrl: `${path(locale)}/preview`,
        csrf: session.csrfToken,
        // A page that shows the form again after a refusal keeps its key (nothing was posted with it).
        requestKey: values.requestKey ?? randomUUID(),
        errors: { caseStatus: '', notify: '', general: '', ...errors },
        errorList: errorList(errors, UPDATE_FIELD_IDS),
        columns: order.map((l) => ({
          locale: l,
          dir: dirOf(l),
          heading: s.textsIn[l],
          note: l === campaign.locale ? s.ownLanguage : s.otherLanguage,
          title: values.title[l],
          body: values.body[l],
          errors: { title: errors[`title_${l}`] ?? '', body: errors[`body_${l}`] ?? '' },
        })),
        urgent,
        statuses: urgent
          ? CASE_STATUSES.map((code) => ({ value: code, label: this.updates.caseStatusLabel(code, locale) ?? code, selected: values.caseStatus === code }))
          : [],
        notify: values.notify,
        draft,
        recipients: recipients === null ? '' : recipients > 0 ? s.notifyCount.replace('{count}', plural(recipients, locale, s.recipientForms)) : s.notifyNobody,
      },
      preview: showPreview ? await this.previewOf(ctx, campaign, values) : { s, empty: true, pages: [], emails: [], fallback: '', notify: false },
    });
  }

  /** The update as the campaign page will show it (the public renderer), in each language typed, and, when emailed, its email. */
  private async previewOf(ctx: ConsoleContext, campaign: Campaign, values: UpdateFormValues) {
    const { locale } = ctx;
    const s = CONSOLE_UPDATES_STRINGS[locale];
    const zone = this.campaigns.timeZoneOf(campaign);
    const now = new Date().toISOString();
    const order = [campaign.locale, ...LOCALES.filter((l) => l !== campaign.locale)];
    const typed = order.filter((l) => values.title[l].trim() || values.body[l].trim());
    const status = campaign.kind === 'urgent_action' && (CASE_STATUSES as readonly string[]).includes(values.caseStatus) ? values.caseStatus : null;
    const pages = typed.map((l) => {
      const label = status ? this.updates.caseStatusLabel(status, l) : null;
      return {
        locale: l,
        dir: dirOf(l),
        heading: s.previewPageIn.replace('{lang}', s.inLanguage[l]),
        iso: now,
        date: this.when(l, zone, now, false),
        title: values.title[l].trim(),
        status: label ? UPDATES_STRINGS[l].statusSetTo.replace('{status}', label) : '',
        bodyHtml: renderRichText(values.body[l]),
      };
    });
    const other = LOCALES.find((l) => l !== campaign.locale)!;
    const fallback =
      typed.length && !typed.includes(other)
        ? s.previewFallback
            .replace(/\{other\}/g, s.languageName[other])
            .replace('{own}', s.languageName[campaign.locale])
            .replace('{inOther}', s.inLanguage[other])
        : '';
    const emails =
      values.notify && typed.length
        ? (
            await this.previews.email(
              ctx.session.principal,
              campaign.id,
              Object.fromEntries(typed.map((l) => [l, { title: values.title[l], body: values.body[l] }])),
              status,
              { ar: CONSOLE_UPDATES_STRINGS.ar.previewName, en: CONSOLE_UPDATES_STRINGS.en.previewName },
            )
          ).map((e) => ({ ...e, dir: dirOf(e.locale), heading: s.previewEmailIn.replace('{lang}', s.inLanguage[e.locale]) }))
        : [];
    return { s, empty: typed.length === 0, pages, fallback, notify: values.notify, emails };
  }

  private updateView(ctx: ConsoleContext, campaign: Campaign, update: UpdateResponseDto, notice: string, refusal: { code: string; message: string } | null): string {
    const { locale, session } = ctx;
    const s = CONSOLE_UPDATES_STRINGS[locale];
    const zone = this.campaigns.timeZoneOf(campaign);
    const title = this.titleOf(update, locale);
    const text = this.textOf(update, locale);
    const path = (l: Locale) => this.updatePath(l, campaign.id, update.id);
    const heading = s.detailHeading.replace('{title}', title);
    const statusLabel = this.updates.caseStatusLabel(update.caseStatus, locale);
    const state = update.sendState;
    return this.kit.render(locale, 'console-update', heading, path, {
      s,
      notice,
      refusal,
      tabs: this.kit.tabs(locale, campaign.id, 'updates', ctx.session.principal),
      campaignTitle: titleIn(campaign, locale),
      headingParts: { before: s.detailHeading.split('{title}')[0], after: s.detailHeading.split('{title}')[1] ?? '' },
      title,
      textLocale: text.locale,
      textDir: dirOf(text.locale),
      bodyHtml: renderRichText(text.body),
      postedOn: s.postedOn.replace('{when}', this.when(locale, zone, update.createdAt, true)),
      iso: update.createdAt,
      statusSet: statusLabel ? s.statusSet.replace('{status}', statusLabel) : '',
      backUrl: consolePath.campaignPage(locale, campaign.id, 'updates'),
      send: update.notify && state
        ? {
            ...this.progress(locale, campaign, update),
            progressUrl: `${path(locale)}/progress`,
            pollMs: POLL_MS,
            refreshUrl: path(locale),
            csrf: session.csrfToken,
            pauseUrl: state === 'sending' ? `${path(locale)}/pause` : '',
            resumeUrl: state === 'paused' ? `${path(locale)}/resume` : '',
            cancelUrl: state === 'sending' || state === 'paused' ? `${path(locale)}/cancel` : '',
          }
        : null,
    });
  }

  private cancelView(ctx: ConsoleContext, campaign: Campaign, update: UpdateResponseDto, refusal: { code: string; message: string } | null): string {
    const { locale, session } = ctx;
    const s = CONSOLE_UPDATES_STRINGS[locale];
    const title = this.titleOf(update, locale);
    const path = (l: Locale) => `${this.updatePath(l, campaign.id, update.id)}/cancel`;
    const heading = s.cancelHeading.replace('{title}', title);
    return this.kit.render(locale, 'console-update-cancel', heading, path, {
      s,
      heading,
      refusal,
      tabs: this.kit.tabs(locale, campaign.id, 'updates', ctx.session.principal),
      campaignTitle: titleIn(campaign, locale),
      progress: update.notify ? this.progressText(locale, update) : '',
      backUrl: this.updatePath(locale, campaign.id, update.id),
      form: refusal ? null : { action: path(locale), csrf: session.csrfToken },
    });
  }

  /**
   * A send's numbers in the page's language: what the update page shows and console.js reads
   * (`live` false once it stops moving: paused, cancelled or done).
   */
  private progress(locale: Locale, _campaign: Campaign, u: UpdateResponseDto) {
    const s = CONSOLE_UPDATES_STRINGS[locale];
    const p = u.progress ?? { recipients: 0, sent: 0, failed: 0, pending: 0, skipped: 0, cancelled: 0 };
    const state: SendState = u.sendState ?? 'done';
    const n = (x: number) => formatNumber(x, locale);
    return {
      state,
      stateLabel: s.stateNow.replace('{state}', s.sendState[state]),
      live: state === 'sending',
      text: this.progressText(locale, u),
      max: Math.max(p.recipients, 1),
      value: p.recipients - p.pending,
      percent: new Intl.NumberFormat(FORMAT_LOCALE[locale], { style: 'percent', maximumFractionDigits: 0 }).format(p.recipients ? (p.recipients - p.pending) / p.recipients : state === 'sending' ? 0 : 1),
      numbers: { recipients: n(p.recipients), sent: n(p.sent), failed: n(p.failed), pending: n(p.pending), skipped: n(p.skipped), cancelled: n(p.cancelled) },
      finished: u.finishedAt ? s.finishedOn.replace('{when}', this.when(locale, this.campaigns.timeZoneOf(_campaign), u.finishedAt, true)) : '',
    };
  }

  /** "1,240 of 1,900 sent, 3 failed" (while the recipients are still being found: how many so far). */
  private progressText(locale: Locale, u: UpdateResponseDto): string {
    const s = CONSOLE_UPDATES_STRINGS[locale];
    const n = (x: number) => formatNumber(x, locale);
    if (!u.fannedOut && u.sendState !== 'cancelled') return s.progressFinding.replace('{recipients}', n(u.recipients));
    return s.progressText.replace('{sent}', n(u.sent)).replace('{recipients}', n(u.recipients)).replace('{failed}', n(u.failed));
  }

  private cap(locale: Locale, zone: string, list: UpdateListResponseDto) {
    const s = CONSOLE_UPDATES_STRINGS[locale];
    const weekAgo = Date.now() - 7 * 24 * 60 * 60 * 1000;
    // As the service counts them: notified, not cancelled, in the last 7 days.
    const used = list.items.filter((u) => u.notify && u.sendState !== 'cancelled' && Date.parse(u.createdAt) > weekAgo).length;
    const usedText = s.capUsed.replace('{used}', formatNumber(Math.min(used, list.emailsPerWeek), locale)).replace('{cap}', formatNumber(list.emailsPerWeek, locale));
    return {
      used: usedText,
      open: list.nextNotifyAllowedAt === null,
      text: list.nextNotifyAllowedAt ? s.capClosed.replace('{when}', this.when(locale, zone, list.nextNotifyAllowedAt, true)) : s.capOpen,
      iso: list.nextNotifyAllowedAt ?? '',
    };
  }

  // ── refusals and notices ──────────────────────────────────────────────────

  /** What a post refused by the service says, beside the field it concerns, with the API's code. */
  private postRefusal(locale: Locale, campaign: Campaign, error: AppError): { status: number; errors: FormErrors } {
    const s = CONSOLE_UPDATES_STRINGS[locale];
    if (error.code === 'VALIDATION_FAILED') return { status: 400, errors: serviceFieldErrors(error, campaign.locale, s, campaign.kind !== 'urgent_action') };
    if (error.code === 'UPDATE_EMAIL_CAP_REACHED') {
      const next = (error.details as { nextAllowedAt?: string } | undefined)?.nextAllowedAt;
      const when = next ? this.when(locale, this.campaigns.timeZoneOf(campaign), next, true) : '';
      return { status: 429, errors: { notify: s.errCap.replace('{when}', when).replace('{code}', error.code) } };
    }
    if (error.code === 'UPDATE_CAMPAIGN_NOT_PUBLISHED') return { status: 409, errors: { notify: s.errNotPublished.replace('{code}', error.code) } };
    const status = error.status >= 400 && error.status < 500 ? error.status : 409;
    return { status, errors: { general: s.errOther.replace('{code}', error.code) } };
  }

  private refusal(locale: Locale, code: string, state: SendState | null): { code: string; message: string } {
    const s = CONSOLE_UPDATES_STRINGS[locale];
    const message = code === 'UPDATE_SEND_STATE' && state ? s.errState.replace('{state}', s.sendState[state]) : s.errNotNotified;
    return { code, message: message.replace('{code}', code) };
  }

  private noticeText(locale: Locale, notice: Notice): string {
    const s = CONSOLE_UPDATES_STRINGS[locale];
    return { posted: s.posted, emailing: s.postedEmailing, paused: s.paused, resumed: s.resumed, cancelled: s.cancelled }[notice];
  }

  // ── lookups ───────────────────────────────────────────────────────────────

  /** The campaign when the signed-in organiser may act for it; null (a 404 page) otherwise, as for a malformed id. */
  private async campaign(ctx: ConsoleContext, id: string): Promise<Campaign | null> {
    if (!isUUID(id)) return null;
    try {
      return await this.campaigns.owned(ctx.session.principal, id.toLowerCase(), 'edit');
    } catch (error) {
      if (error instanceof AppError && (error.status === 404 || error.status === 403)) return null;
      throw error;
    }
  }

  private async update(ctx: ConsoleContext, id: string, updateId: string): Promise<{ campaign: Campaign; update: UpdateResponseDto } | null> {
    const campaign = await this.campaign(ctx, id);
    if (!campaign || !isUUID(updateId)) return null;
    try {
      return { campaign, update: await this.updates.get(ctx.session.principal, campaign.id, updateId.toLowerCase()) };
    } catch (error) {
      if (error instanceof AppError && (error.status === 404 || error.status === 403)) return null;
      throw error;
    }
  }

  private updatePath(locale: Locale, campaignId: string, updateId: string): string {
    return `${consolePath.campaignPage(locale, campaignId, 'updates')}/${encodeURIComponent(updateId)}`;
  }

  /** The update's text in the page's language when it has one, else in its own. */
  private textOf(u: UpdateResponseDto, locale: Locale): { locale: Locale; title: string; body: string } {
    const t = locale === u.locale ? null : u.translations[locale];
    return t ? { locale, title: t.title, body: t.body } : { locale: u.locale, title: u.title, body: u.body };
  }

  private titleOf(u: UpdateResponseDto, locale: Locale): string {
    return this.textOf(u, locale).title;
  }

  /** A moment in the campaign's zone, in the page's language and digits; with the time (and the zone's offset) or the day alone. */
  private when(locale: Locale, zone: string, iso: string, withTime: boolean): string {
    const options: Intl.DateTimeFormatOptions = withTime
      ? { year: 'numeric', month: 'long', day: 'numeric', hour: 'numeric', minute: '2-digit', timeZoneName: 'shortOffset', timeZone: zone }
      : { dateStyle: 'long', timeZone: zone };
    return new Intl.DateTimeFormat(FORMAT_LOCALE[locale], options).format(new Date(iso));
  }
}
