import { Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { isUUID } from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../common/app-error';
import { COUNTRY_CODES } from '../../common/countries';
import { LETTER_MODES } from '../../common/letter-mode';
import { LETTER_PLACEHOLDERS } from '../../common/letter-template';
import { LOCALES, titleIn, type Locale } from '../../common/locale';
import { FORMAT_LOCALE, plural } from '../../common/plural';
import { CampaignsService } from '../campaigns/campaigns.service';
import type { LetterHistoryDto } from '../letter-deliveries/dto/letter-history.dto';
import { LetterDeliveriesService } from '../letter-deliveries/letter-deliveries.service';
import { LETTER_STATUSES, type LetterStatus } from '../letter-deliveries/dto/letter-status.dto';
import type { LetterPreviewResponseDto } from '../letters/dto/letter-response.dto';
import { LettersService } from '../letters/letters.service';
import type { TargetResponseDto } from '../targets/dto/target-response.dto';
import { TargetsService } from '../targets/targets.service';
import { TargetAnswersService } from '../targets/target-answers.service';
import { DossiersService } from '../dossiers/dossiers.service';
import { CONSOLE_ANSWERS_STRINGS } from './console-answers-strings';
import { formBody } from './console-cookies';
import { ConsoleKit, consolePath, errorList, type ConsoleContext, type FormErrors } from './console-kit';
import { CONSOLE_TARGETS_STRINGS, type ConsoleTargetsStrings } from './console-targets-strings';
import {
  blankTargetForm,
  LETTER_FIELD_IDS,
  readLetterForm,
  readReplyForm,
  readTargetForm,
  REPLY_FIELD_IDS,
  TARGET_FIELD_IDS,
  targetFormOf,
  targetServiceErrors,
  validateLetterForm,
  validateReplyForm,
  validateTargetForm,
  type LetterFormValues,
  type ReplyFormValues,
  type TargetFormValues,
} from './console-targets-forms';
import type { CreateTargetDto } from '../targets/dto/create-target.dto';
import type { UpdateTargetDto } from '../targets/dto/update-target.dto';

type Campaign = Awaited<ReturnType<CampaignsService['owned']>>;

/** `ar/…` and `en/…` of a campaign's sub-page. */
const routes = (page: string) => [`ar/console/campaigns/:id/${page}`, `en/console/campaigns/:id/${page}`];

/** Letters per page of the letters table. */
const LETTERS_PAGE = 50;

/** The ISO weekdays, Monday first (as the API numbers them). */
const ISO_DAYS = [1, 2, 3, 4, 5, 6, 7] as const;

/**
 * The console's officials and letters: a campaign's targets (add, edit, remove with a confirmation,
 * suppression and bounce history, replies), its letter (mode, subject and body per language, the
 * placeholders, a preview for any target in that target's language) and the table of its letters
 * with each letter's history. Everything goes through the same services as the JSON API, so the
 * rules and the organisation scoping are the API's; a campaign, target or letter the organiser
 * may not see, a missing one and a malformed id are all the same 404 page.
 */
@ApiExcludeController()
@Controller()
export class ConsoleTargetsController {
  private readonly formats = new Map<string, Intl.DateTimeFormat>();

  constructor(
    private readonly kit: ConsoleKit,
    private readonly campaigns: CampaignsService,
    private readonly targets: TargetsService,
    private readonly letters: LettersService,
    private readonly deliveries: LetterDeliveriesService,
    private readonly answers: TargetAnswersService,
    private readonly dossiers: DossiersService,
  ) {}

  // ── targets ──────────────────────────────────────────────────────────────

  @Get(routes('targets'))
  async targetsPage(@Param('id') id: string, @Query('done') done: unknown, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const ctx = await this.kit.page(request, reply);
    if (!ctx) return;
    const campaign = await this.campaign(ctx, id);
    if (!campaign) return this.kit.notFound(reply, ctx.locale);
    const s = CONSOLE_TARGETS_STRINGS[ctx.locale];
    const notice = done === 'added' ? s.targetAdded : done === 'removed' ? s.targetRemoved : '';
    return this.kit.send(reply, 200, await this.targetsView(ctx, campaign, blankTargetForm(campaign.locale), {}, notice));
  }

  @Post(routes('targets'))
  async addTarget(@Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const ctx = await this.kit.post(request, reply);
    if (!ctx) return;
    const campaign = await this.campaign(ctx, id);
    if (!campaign) return this.kit.notFound(reply, ctx.locale);
    const s = CONSOLE_TARGETS_STRINGS[ctx.locale];
    const values = readTargetForm(formBody(request));
    const { dto, errors } = validateTargetForm<CreateTargetDto>(values, 'create', s);
    if (!dto) return this.kit.send(reply, 400, await this.targetsView(ctx, campaign, values, errors, ''));
    try {
      await this.targets.create(ctx.session.principal, campaign.id, dto);
    } catch (error) {
      const refused = targetServiceErrors(error, s);
      if (!refused) throw error;
      return this.kit.send(reply, 400, await this.targetsView(ctx, campaign, values, refused, ''));
    }
    return this.kit.redirect(reply, `${consolePath.campaignPage(ctx.locale, campaign.id, 'targets')}?done=added`);
  }

  @Get(routes('targets/:targetId'))
  async targetPage(
    @Param('id') id: string,
    @Param('targetId') targetId: string,
    @Query('done') done: unknown,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const ctx = await this.kit.page(request, reply);
    if (!ctx) return;
    const found = await this.target(ctx, id, targetId);
    if (!found) return this.kit.notFound(reply, ctx.locale);
    const s = CONSOLE_TARGETS_STRINGS[ctx.locale];
    const an = CONSOLE_ANSWERS_STRINGS[ctx.locale];
    const notice =
      done === 'saved' ? s.targetSaved
      : done === 'replied' ? s.replyRecorded
      : done === 'decided' ? an.decided
      : done === 'already' ? an.alreadyDecided
      : done === 'dossier' ? an.dossierQueued
      : '';
    const html = await this.targetView(ctx, found.campaign, found.target, { values: targetFormOf(found.target), errors: {} }, { values: blankReply(), errors: {} }, notice);
    return this.kit.send(reply, 200, html);
  }

  @Post(routes('targets/:targetId'))
  async editTarget(@Param('id') id: string, @Param('targetId') targetId: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const ctx = await this.kit.post(request, reply);
    if (!ctx) return;
    const found = await this.target(ctx, id, targetId);
    if (!found) return this.kit.notFound(reply, ctx.locale);
    const s = CONSOLE_TARGETS_STRINGS[ctx.locale];
    const values = readTargetForm(formBody(request));
    const again = async (errors: FormErrors) =>
      this.kit.send(reply, 400, await this.targetView(ctx, found.campaign, found.target, { values, errors }, { values: blankReply(), errors: {} }, ''));
    const { dto, errors } = validateTargetForm<UpdateTargetDto>(values, 'update', s);
    if (!dto) return again(errors);
    try {
      await this.targets.update(ctx.session.principal, found.campaign.id, found.target.id, dto);
    } catch (error) {
      if (error instanceof AppError && error.code === 'TARGET_NOT_FOUND') return this.kit.notFound(reply, ctx.locale);
      const refused = targetServiceErrors(error, s);
      if (!refused) throw error;
      return again(refused);
    }
    return this.kit.redirect(reply, `${this.targetPath(ctx.locale, found.campaign.id, found.target.id)}?done=saved`);
  }

  @Post(routes('targets/:targetId/replies'))
  async recordReply(@Param('id') id: string, @Param('targetId') targetId: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const ctx = await this.kit.post(request, reply);
    if (!ctx) return;
    const found = await this.target(ctx, id, targetId);
    if (!found) return this.kit.notFound(reply, ctx.locale);
    const s = CONSOLE_TARGETS_STRINGS[ctx.locale];
    const values = readReplyForm(formBody(request));
    const again = async (errors: FormErrors) =>
      this.kit.send(reply, 400, await this.targetView(ctx, found.campaign, found.target, { values: targetFormOf(found.target), errors: {} }, { values, errors }, ''));
    const { dto, errors } = validateReplyForm(values, s);
    if (!dto) return again(errors);
    try {
      await this.targets.addReply(ctx.session.principal, found.campaign.id, found.target.id, dto);
    } catch (error) {
      if (error instanceof AppError && error.code === 'TARGET_NOT_FOUND') return this.kit.notFound(reply, ctx.locale);
      if (!(error instanceof AppError) || error.code !== 'VALIDATION_FAILED') throw error;
      return again({ receivedOn: s.errReceivedFuture });
    }
    return this.kit.redirect(reply, `${this.targetPath(ctx.locale, found.campaign.id, found.target.id)}?done=replied#replies`);
  }

  /**
   * An organiser's decision on an official's answer (`action`: approve_public, approve, reject,
   * public, private). Another organiser deciding first is said, not an error.
   */
  @Post(routes('targets/:targetId/replies/:replyId/decide'))
  async decideAnswer(
    @Param('id') id: string,
    @Param('targetId') targetId: string,
    @Param('replyId') replyId: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const ctx = await this.kit.post(request, reply);
    if (!ctx) return;
    const found = await this.target(ctx, id, targetId);
    if (!found || !isUUID(replyId)) return this.kit.notFound(reply, ctx.locale);
    const action = formBody(request).action;
    const principal = ctx.session.principal;
    const [c, t] = [found.campaign.id, found.target.id];
    try {
      if (action === 'approve_public' || action === 'approve') await this.answers.approve(principal, c, t, replyId, action === 'approve_public');
      else if (action === 'reject') await this.answers.reject(principal, c, t, replyId);
      else if (action === 'public' || action === 'private') await this.answers.setPublic(principal, c, t, replyId, action === 'public');
      else return this.kit.notFound(reply, ctx.locale);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      if (error.code === 'TARGET_REPLY_DECIDED' || error.code === 'TARGET_REPLY_NOT_ANSWER') {
        return this.kit.redirect(reply, `${this.targetPath(ctx.locale, c, t)}?done=already#replies`);
      }
      if (error.status === 404) return this.kit.notFound(reply, ctx.locale);
      throw error;
    }
    return this.kit.redirect(reply, `${this.targetPath(ctx.locale, c, t)}?done=decided#replies`);
  }

  /** Emails the target its dossier: one email per form (its request key), recorded in the audit log. */
  @Post(routes('targets/:targetId/dossier/send'))
  async sendDossier(@Param('id') id: string, @Param('targetId') targetId: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const ctx = await this.kit.post(request, reply);
    if (!ctx) return;
    const found = await this.target(ctx, id, targetId);
    if (!found) return this.kit.notFound(reply, ctx.locale);
    const key = formBody(request).requestKey;
    if (typeof key !== 'string' || !isUUID(key)) return this.kit.notFound(reply, ctx.locale);
    const an = CONSOLE_ANSWERS_STRINGS[ctx.locale];
    try {
      await this.dossiers.queueSend(ctx.session.principal, found.campaign.id, found.target.id, key, request.ip);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      if (error.code === 'DOSSIER_TARGET_SUPPRESSED') return this.kit.message(reply, 409, ctx.locale, an.dossierHeading, an.dossierSuppressed);
      if (error.code === 'PDF_ENGINE_UNAVAILABLE') return this.kit.message(reply, 503, ctx.locale, an.dossierHeading, `${error.message} (${error.code})`);
      if (error.status === 404) return this.kit.notFound(reply, ctx.locale);
      throw error;
    }
    return this.kit.redirect(reply, `${this.targetPath(ctx.locale, found.campaign.id, found.target.id)}?done=dossier#dossier`);
  }

  @Get(routes('targets/:targetId/remove'))
  async removePage(@Param('id') id: string, @Param('targetId') targetId: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const ctx = await this.kit.page(request, reply);
    if (!ctx) return;
    const found = await this.target(ctx, id, targetId);
    if (!found) return this.kit.notFound(reply, ctx.locale);
    const s = CONSOLE_TARGETS_STRINGS[ctx.locale];
    const { campaign, target } = found;
    const html = this.kit.render(ctx.locale, 'console-target-remove', `${s.removeHeading} · ${target.name}`, (l) => `${this.targetPath(l, campaign.id, target.id)}/remove`, {
      s,
      csrf: ctx.session.csrfToken,
      tabs: this.kit.tabs(ctx.locale, campaign.id, 'targets', ctx.session.principal),
      campaignTitle: titleIn(campaign, ctx.locale),
      target,
      action: `${this.targetPath(ctx.locale, campaign.id, target.id)}/remove`,
      cancelUrl: this.targetPath(ctx.locale, campaign.id, target.id),
    });
    return this.kit.send(reply, 200, html);
  }

  @Post(routes('targets/:targetId/remove'))
  async remove(@Param('id') id: string, @Param('targetId') targetId: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const ctx = await this.kit.post(request, reply);
    if (!ctx) return;
    const found = await this.target(ctx, id, targetId);
    if (!found) return this.kit.notFound(reply, ctx.locale);
    try {
      await this.targets.remove(ctx.session.principal, found.campaign.id, found.target.id);
    } catch (error) {
      if (error instanceof AppError && error.code === 'TARGET_NOT_FOUND') return this.kit.notFound(reply, ctx.locale);
      throw error;
    }
    return this.kit.redirect(reply, `${consolePath.campaignPage(ctx.locale, found.campaign.id, 'targets')}?done=removed`);
  }

  // ── the letter ───────────────────────────────────────────────────────────

  @Get(routes('letter'))
  async letterPage(
    @Param('id') id: string,
    @Query('target') target: unknown,
    @Query('done') done: unknown,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const ctx = await this.kit.page(request, reply);
    if (!ctx) return;
    const campaign = await this.campaign(ctx, id);
    if (!campaign) return this.kit.notFound(reply, ctx.locale);
    const s = CONSOLE_TARGETS_STRINGS[ctx.locale];
    const letter = await this.letters.get(ctx.session.principal, campaign.id);
    const texts = Object.fromEntries(
      LOCALES.map((l) => [l, l === campaign.locale ? { subject: letter.subject ?? '', body: letter.body ?? '' } : { subject: letter.translations[l]?.subject ?? '', body: letter.translations[l]?.body ?? '' }]),
    ) as LetterFormValues['texts'];
    const values: LetterFormValues = { mode: letter.mode, texts, previewTarget: typeof target === 'string' ? target.slice(0, 36) : '' };
    return this.kit.send(reply, 200, await this.letterView(ctx, campaign, values, {}, done === 'saved' ? s.letterSaved : ''));
  }

  /** Saves the letter, or (the Preview button, without JavaScript) shows the page again with the preview of what was typed. */
  @Post(routes('letter'))
  async saveLetter(@Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const ctx = await this.kit.post(request, reply);
    if (!ctx) return;
    const campaign = await this.campaign(ctx, id);
    if (!campaign) return this.kit.notFound(reply, ctx.locale);
    const s = CONSOLE_TARGETS_STRINGS[ctx.locale];
    const body = formBody(request);
    const values = readLetterForm(body);
    if (body.action === 'preview') return this.kit.send(reply, 200, await this.letterView(ctx, campaign, values, {}, ''));
    const checked = validateLetterForm(values, campaign.locale, s);
    if ('errors' in checked) return this.kit.send(reply, 400, await this.letterView(ctx, campaign, values, checked.errors, ''));
    const principal = ctx.session.principal;
    try {
      await this.campaigns.update(principal, campaign.id, checked.update);
    } catch (error) {
      const errors = letterServiceErrors(error, campaign.locale, values, s);
      if (!errors) throw error;
      return this.kit.send(reply, 400, await this.letterView(ctx, campaign, values, errors, ''));
    }
    const existing = (await this.letters.get(principal, campaign.id)).translations;
    for (const [locale, text] of Object.entries(checked.translations) as [Locale, (typeof checked.translations)[Locale]][]) {
      try {
        if (text) await this.letters.putTranslation(principal, campaign.id, locale, text);
        else if (existing[locale]) await this.letters.deleteTranslation(principal, campaign.id, locale);
      } catch (error) {
        const errors = letterServiceErrors(error, locale, values, s);
        if (!errors) throw error;
        return this.kit.send(reply, 400, await this.letterView(ctx, campaign, values, errors, ''));
      }
    }
    return this.kit.redirect(reply, `${consolePath.campaignPage(ctx.locale, campaign.id, 'letter')}?done=saved`);
  }

  /**
   * The live preview (console.js): the letter form as typed, rendered for the chosen target in its
   * language. A form post with the session's CSRF token, like every console post; answers JSON.
   */
  @Post(routes('letter/preview'))
  async previewLetter(@Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const ctx = await this.kit.post(request, reply);
    if (!ctx) return;
    const campaign = await this.campaign(ctx, id);
    if (!campaign) return this.kit.notFound(reply, ctx.locale);
    const values = readLetterForm(formBody(request));
    const preview = await this.preview(ctx, campaign, values);
    return reply.status(preview.error ? 400 : 200).header('Cache-Control', 'no-store').header('Content-Type', 'application/json; charset=utf-8').send(JSON.stringify(preview));
  }

  // ── letters ──────────────────────────────────────────────────────────────

  @Get(routes('letters'))
  async lettersPage(
    @Param('id') id: string,
    @Query('status') status: unknown,
    @Query('cursor') cursor: unknown,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const ctx = await this.kit.page(request, reply);
    if (!ctx) return;
    const campaign = await this.campaign(ctx, id);
    if (!campaign) return this.kit.notFound(reply, ctx.locale);
    const s = CONSOLE_TARGETS_STRINGS[ctx.locale];
    const locale = ctx.locale;
    const chosen = typeof status === 'string' && (LETTER_STATUSES as readonly string[]).includes(status) ? (status as LetterStatus) : undefined;
    const base = consolePath.campaignPage(locale, campaign.id, 'letters');
    const filterQuery = chosen ? `status=${chosen}` : '';
    let page: Awaited<ReturnType<LetterDeliveriesService['page']>>;
    let error = '';
    try {
      page = await this.deliveries.page(ctx.session.principal, campaign.id, {
        status: chosen,
        cursor: typeof cursor === 'string' ? cursor : cursor === undefined ? undefined : '',
        limit: LETTERS_PAGE,
      });
    } catch (e) {
      if (!(e instanceof AppError) || e.code !== 'VALIDATION_FAILED') throw e;
      page = { items: [], nextCursor: null };
      error = s.errCursor;
    }
    const zone = this.campaigns.timeZoneOf(campaign);
    const html = this.kit.render(locale, 'console-letters', `${s.lettersHeading} · ${titleIn(campaign, locale)}`, (l) => consolePath.campaignPage(l, campaign.id, 'letters'), {
      s,
      tabs: this.kit.tabs(locale, campaign.id, 'letters', ctx.session.principal),
      campaignTitle: titleIn(campaign, locale),
      action: base,
      error,
      statuses: LETTER_STATUSES.map((v) => ({ value: v, label: s.letterStatus[v], selected: v === chosen })),
      anyStatus: !chosen,
      timesIn: s.timesIn.replace('{zone}', zoneName(locale, zone)),
      letters: page.items.map((l) => ({
        url: `${base}/${l.id}`,
        targetName: l.targetName,
        targetUrl: this.targetPath(locale, campaign.id, l.targetId),
        kind: s.letterKind[l.signatureId ? 'per_signature' : 'digest'],
        status: l.status,
        statusLabel: s.letterStatus[l.status],
        attempts: new Intl.NumberFormat(FORMAT_LOCALE[locale]).format(l.attempts),
        created: this.when(locale, zone, l.createdAt),
        sent: l.sentAt ? this.when(locale, zone, l.sentAt) : '',
      })),
      nextUrl: page.nextCursor ? `${base}?${filterQuery ? `${filterQuery}&` : ''}cursor=${encodeURIComponent(page.nextCursor)}` : '',
      firstUrl: cursor !== undefined ? `${base}${filterQuery ? `?${filterQuery}` : ''}` : '',
    });
    return this.kit.send(reply, error ? 400 : 200, html);
  }

  @Get(routes('letters/:letterId'))
  async letterHistory(@Param('id') id: string, @Param('letterId') letterId: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const ctx = await this.kit.page(request, reply);
    if (!ctx) return;
    const campaign = await this.campaign(ctx, id);
    if (!campaign || !isUUID(letterId)) return this.kit.notFound(reply, ctx.locale);
    let letter: LetterHistoryDto;
    try {
      letter = await this.deliveries.history(ctx.session.principal, campaign.id, letterId);
    } catch (error) {
      if (error instanceof AppError && error.status === 404) return this.kit.notFound(reply, ctx.locale);
      throw error;
    }
    const locale = ctx.locale;
    const s = CONSOLE_TARGETS_STRINGS[locale];
    const zone = this.campaigns.timeZoneOf(campaign);
    const heading = s.letterDetailHeading.replace('{name}', letter.targetName);
    const html = this.kit.render(locale, 'console-letter-history', heading, (l) => `${consolePath.campaignPage(l, campaign.id, 'letters')}/${letter.id}`, {
      s,
      tabs: this.kit.tabs(locale, campaign.id, 'letters', ctx.session.principal),
      campaignTitle: titleIn(campaign, locale),
      letter,
      heading,
      headingParts: s.letterDetailHeading.split('{name}'),
      targetName: letter.targetName,
      targetUrl: this.targetPath(locale, campaign.id, letter.targetId),
      kind: s.letterKind[letter.kind],
      statusLabel: s.letterStatus[letter.status],
      attempts: plural(letter.attempts, locale, s.attempts),
      events: this.events(locale, zone, letter, s),
      timesIn: s.timesIn.replace('{zone}', zoneName(locale, zone)),
      backUrl: consolePath.campaignPage(locale, campaign.id, 'letters'),
    });
    return this.kit.send(reply, 200, html);
  }

  // ── views ────────────────────────────────────────────────────────────────

  private async targetsView(ctx: ConsoleContext, campaign: Campaign, values: TargetFormValues, errors: FormErrors, notice: string): Promise<string> {
    const { locale, session } = ctx;
    const s = CONSOLE_TARGETS_STRINGS[locale];
    const [targets, bounces] = await Promise.all([
      this.targets.list(session.principal, campaign.id),
      this.deliveries.bounceCounts(session.principal, campaign.id),
    ]);
    const number = new Intl.NumberFormat(FORMAT_LOCALE[locale]);
    const title = titleIn(campaign, locale);
    return this.kit.render(locale, 'console-targets', `${s.targetsHeading} · ${title}`, (l) => consolePath.campaignPage(l, campaign.id, 'targets'), {
      s,
      notice,
      tabs: this.kit.tabs(locale, campaign.id, 'targets', ctx.session.principal),
      campaignTitle: title,
      targets: targets.map((t) => ({
        url: this.targetPath(locale, campaign.id, t.id),
        name: t.name,
        role: [t.title, t.organisation].filter(Boolean).join(' · '),
        language: s.language[t.locale],
        window: windowText(locale, t.sendingWindow, s),
        emailPublic: t.emailPublic ? s.yes : s.no,
        delivery: t.suppressedAt ? s.suppressed : t.dispatchError ? s.heldBack : s.active,
        suppressed: t.suppressedAt !== null,
        bounces: number.format(bounces[t.id] ?? 0),
      })),
      form: this.targetForm(ctx, consolePath.campaignPage(locale, campaign.id, 'targets'), values, errors, s.addTarget, 'add'),
    });
  }

  private async targetView(
    ctx: ConsoleContext,
    campaign: Campaign,
    target: TargetResponseDto,
    edit: { values: TargetFormValues; errors: FormErrors },
    replyForm: { values: ReplyFormValues; errors: FormErrors },
    notice: string,
  ): Promise<string> {
    const { locale, session } = ctx;
    const s = CONSOLE_TARGETS_STRINGS[locale];
    const zone = this.campaigns.timeZoneOf(campaign);
    const an = CONSOLE_ANSWERS_STRINGS[locale];
    const [bounces, replies, sends] = await Promise.all([
      this.deliveries.bounces(session.principal, campaign.id, target.id),
      this.answers.list(session.principal, campaign.id, { targetId: target.id }),
      this.dossiers.sendsOf(target.id),
    ]);
    const path = this.targetPath(locale, campaign.id, target.id);
    const day = new Intl.DateTimeFormat(FORMAT_LOCALE[locale], { dateStyle: 'long', timeZone: 'UTC' });
    return this.kit.render(locale, 'console-target', `${target.name} · ${titleIn(campaign, locale)}`, (l) => this.targetPath(l, campaign.id, target.id), {
      s,
      notice,
      tabs: this.kit.tabs(locale, campaign.id, 'targets', ctx.session.principal),
      campaignTitle: titleIn(campaign, locale),
      target,
      backUrl: consolePath.campaignPage(locale, campaign.id, 'targets'),
      removeUrl: `${path}/remove`,
      suppressedText: target.suppressedAt ? s.statusSuppressed.replace('{when}', this.when(locale, zone, target.suppressedAt)) : '',
      dispatchError: target.dispatchError !== null,
      timesIn: s.timesIn.replace('{zone}', zoneName(locale, zone)),
      bounces: bounces.map((b) => ({
        sent: b.sentAt ? this.when(locale, zone, b.sentAt) : '',
        status: b.status,
        url: `${consolePath.campaignPage(locale, campaign.id, 'letters')}/${b.letterId}`,
      })),
      replies: replies.map((r) => {
        const official = r.source === 'official';
        const who = [r.answeredBy?.name, r.answeredBy?.position].filter(Boolean).join(locale === 'ar' ? '، ' : ', ');
        return {
          id: r.id,
          receivedOn: day.format(new Date(`${r.receivedOn}T00:00:00Z`)),
          summary: r.summary,
          publicText: official ? '' : (r.publicText ?? ''),
          official,
          byLine: official && who ? an.answeredBy.replace('{who}', who) : '',
          statusLabel: official ? { pending_approval: an.statusPending, approved: an.statusApproved, rejected: an.statusRejected }[r.status] : '',
          visibility: official && r.status === 'approved' ? (r.publicText !== null ? an.shownPublicly : an.notShown) : '',
          pending: official && r.status === 'pending_approval',
          approved: official && r.status === 'approved',
          isPublic: r.publicText !== null,
          decideUrl: `${path}/replies/${r.id}/decide`,
        };
      }),
      pendingText: (() => {
        const n = replies.filter((r) => r.status === 'pending_approval').length;
        return n ? plural(n, locale, an.pendingCount) : '';
      })(),
      an,
      csrf: session.csrfToken,
      dossier: {
        downloadUrl: `/api/v1/campaigns/${encodeURIComponent(campaign.id)}/targets/${encodeURIComponent(target.id)}/dossier.pdf`,
        sendUrl: `${path}/dossier/send`,
        sendLabel: an.dossierSend.replace('{email}', target.email),
        requestKey: this.dossiers.newRequestKey(),
        suppressed: target.suppressedAt !== null,
        sends: sends.map((d) => ({ when: this.when(locale, zone, d.createdAt), status: an.dossierStatus[d.status] })),
      },
      form: this.targetForm(ctx, path, edit.values, edit.errors, s.saveTarget, 'edit'),
      replyForm: {
        action: `${path}/replies`,
        csrf: session.csrfToken,
        values: replyForm.values,
        errors: replyForm.errors,
        errorList: errorList(replyForm.errors, REPLY_FIELD_IDS),
      },
    });
  }

  private targetForm(ctx: ConsoleContext, action: string, values: TargetFormValues, errors: FormErrors, submit: string, kind: 'add' | 'edit') {
    const { locale } = ctx;
    const weekday = new Intl.DateTimeFormat(FORMAT_LOCALE[locale], { weekday: 'long', timeZone: 'UTC' });
    const countries = new Intl.DisplayNames([locale], { type: 'region' });
    const collator = new Intl.Collator(locale);
    return {
      kind,
      action,
      csrf: ctx.session.csrfToken,
      submit,
      values,
      errors,
      errorList: errorList(errors, TARGET_FIELD_IDS),
      locales: LOCALES.map((l) => ({ value: l, label: CONSOLE_TARGETS_STRINGS[locale].language[l], selected: values.locale === l })),
      countries: [...COUNTRY_CODES]
        .map((code) => ({ code, name: countries.of(code) ?? code, selected: code === values.country }))
        .sort((a, b) => collator.compare(a.name, b.name)),
      days: ISO_DAYS.map((d) => ({ value: String(d), label: weekday.format(isoDay(d)), checked: values.days.includes(String(d)) })),
    };
  }

  private async letterView(ctx: ConsoleContext, campaign: Campaign, values: LetterFormValues, errors: FormErrors, notice: string): Promise<string> {
    const { locale, session } = ctx;
    const s = CONSOLE_TARGETS_STRINGS[locale];
    const targets = await this.targets.list(session.principal, campaign.id);
    if (!targets.some((t) => t.id === values.previewTarget)) values = { ...values, previewTarget: targets[0]?.id ?? '' };
    const preview = targets.length ? await this.preview(ctx, campaign, values) : null;
    // The campaign's own language first, then the others.
    const order = [campaign.locale, ...LOCALES.filter((l) => l !== campaign.locale)];
    const path = consolePath.campaignPage(locale, campaign.id, 'letter');
    return this.kit.render(locale, 'console-letter', `${s.letterHeading} · ${titleIn(campaign, locale)}`, (l) => consolePath.campaignPage(l, campaign.id, 'letter'), {
      s,
      notice,
      uiDir: locale === 'ar' ? 'rtl' : 'ltr',
      tabs: this.kit.tabs(locale, campaign.id, 'letter', ctx.session.principal),
      campaignTitle: titleIn(campaign, locale),
      form: {
        action: path,
        previewUrl: `${path}/preview`,
        csrf: session.csrfToken,
        errors,
        errorList: errorList(errors, LETTER_FIELD_IDS),
        modes: LETTER_MODES.map((m) => ({ value: m, label: s.mode[m], checked: values.mode === m })),
        languages: order.map((l) => ({
          locale: l,
          dir: l === 'ar' ? 'rtl' : 'ltr',
          name: s.language[l],
          own: l === campaign.locale,
          subject: values.texts[l].subject,
          body: values.texts[l].body,
          subjectError: errors[`subject.${l}`] ?? '',
          bodyError: errors[`body.${l}`] ?? '',
        })),
        targets: targets.map((t) => ({ id: t.id, name: t.name, language: s.language[t.locale], selected: t.id === values.previewTarget })),
      },
      placeholders: LETTER_PLACEHOLDERS.map((p) => ({ code: `{{${p}}}`, text: s.placeholder[p] })),
      preview,
    });
  }

  /** The preview of the form as typed, for its chosen target, in that target's language; or why there is none. */
  private async preview(ctx: ConsoleContext, campaign: Campaign, values: LetterFormValues) {
    const s = CONSOLE_TARGETS_STRINGS[ctx.locale];
    if (!isUUID(values.previewTarget)) return { error: s.errPreviewTarget };
    let result: LetterPreviewResponseDto;
    try {
      result = await this.letters.previewDraft(ctx.session.principal, campaign.id, values.previewTarget, values.texts);
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== 'VALIDATION_FAILED') throw error;
      const field = (error.details as { field: string }[] | undefined)?.[0]?.field;
      return { error: field === 'targetId' ? s.errPreviewTarget : s.previewNone };
    }
    return {
      error: '',
      locale: result.locale,
      dir: result.locale === 'ar' ? 'rtl' : 'ltr',
      intro: s.previewIn.replace('{language}', s.language[result.locale]),
      fellBack: result.fellBack ? s.previewFellBack.replace('{wanted}', s.language[result.requestedLocale]).replace('{used}', s.language[result.locale]) : '',
      subject: result.subject,
      text: result.text,
    };
  }

  /** A letter's history, told from its columns, oldest first; times in the campaign's zone. */
  private events(locale: Locale, zone: string, l: LetterHistoryDto, s: ConsoleTargetsStrings) {
    const timed = [
      { at: l.createdAt, text: s.evCreated },
      { at: l.claimedAt, text: s.evReleased },
      { at: l.enqueuedAt, text: s.evEnqueued },
      { at: l.sentAt, text: s.evSent },
    ]
      .filter((e): e is { at: string; text: string } => e.at !== null)
      .sort((a, b) => a.at.localeCompare(b.at))
      .map((e) => ({ when: this.when(locale, zone, e.at), datetime: e.at, text: e.text, detail: '' }));
    const last =
      l.status === 'bounced'
        ? { text: s.evBounced.replace('{status}', /^bounced: (.*)$/.exec(l.lastError ?? '')?.[1] ?? ''), detail: '' }
        : l.status === 'failed'
          ? { text: s.evFailed, detail: l.lastError ?? '' }
          : l.status === 'cancelled'
            ? { text: s.evCancelled, detail: '' }
            : l.status === 'queued' || l.status === 'sending'
              ? { text: s.evWaiting, detail: l.lastError ?? '' }
              : null;
    return last ? [...timed, { when: '', datetime: '', ...last }] : timed;
  }

  // ── lookups ──────────────────────────────────────────────────────────────

  /** The campaign when the signed-in organiser may act for it; null (a 404 page) otherwise, as for a malformed id. */
  private async campaign(ctx: ConsoleContext, id: string): Promise<Campaign | null> {
    if (!isUUID(id)) return null;
    try {
      return await this.campaigns.owned(ctx.session.principal, id, 'edit');
    } catch (error) {
      if (error instanceof AppError && (error.status === 404 || error.status === 403)) return null;
      throw error;
    }
  }

  private async target(ctx: ConsoleContext, id: string, targetId: string): Promise<{ campaign: Campaign; target: TargetResponseDto } | null> {
    const campaign = await this.campaign(ctx, id);
    if (!campaign || !isUUID(targetId)) return null;
    try {
      return { campaign, target: await this.targets.get(ctx.session.principal, campaign.id, targetId) };
    } catch (error) {
      if (error instanceof AppError && error.status === 404) return null;
      throw error;
    }
  }

  private targetPath(locale: Locale, campaignId: string, targetId: string): string {
    return `${consolePath.campaignPage(locale, campaignId, 'targets')}/${encodeURIComponent(targetId)}`;
  }

  /** A moment in the campaign's zone, in the page's language and digits. */
  private when(locale: Locale, zone: string, iso: string): string {
    const key = `${locale}|${zone}`;
    let format = this.formats.get(key);
    if (!format) {
      format = new Intl.DateTimeFormat(FORMAT_LOCALE[locale], { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', timeZone: zone });
      if (this.formats.size < 1000) this.formats.set(key, format);
    }
    return format.format(new Date(iso));
  }
}

function blankReply(): ReplyFormValues {
  return { receivedOn: '', summary: '', publicText: '' };
}

/** A Date on the ISO weekday `d` (1 = Monday), for naming it. */
function isoDay(d: number): Date {
  return new Date(Date.UTC(2024, 0, d)); // 2024-01-01 was a Monday
}

/** A zone as people name it, in the page's language («توقيت العراق», "Arabian Standard Time"…). */
function zoneName(locale: Locale, zone: string): string {
  const resolved = new Intl.DateTimeFormat('en', { timeZone: zone }).resolvedOptions().timeZone;
  // UTC and Etc/… zones have no place name: their long name («التوقيت العالمي المنسق», "Coordinated Universal Time").
  const placeless = resolved === 'UTC' || resolved.startsWith('Etc/');
  const part = new Intl.DateTimeFormat(FORMAT_LOCALE[locale], { timeZone: zone, timeZoneName: placeless ? 'long' : 'longGeneric' })
    .formatToParts(new Date())
    .find((p) => p.type === 'timeZoneName');
  return part?.value ?? zone;
}

/** A sending window in the page's language and digits, or "any time". */
function windowText(locale: Locale, w: TargetResponseDto['sendingWindow'], s: ConsoleTargetsStrings): string {
  if (!w) return s.windowAlways;
  const weekday = new Intl.DateTimeFormat(FORMAT_LOCALE[locale], { weekday: 'short', timeZone: 'UTC' });
  const two = new Intl.NumberFormat(FORMAT_LOCALE[locale], { minimumIntegerDigits: 2 });
  const time = (hhmm: string) => hhmm.split(':').map((n) => two.format(Number(n))).join(':');
  const days = w.days.map((d) => weekday.format(isoDay(d))).join(locale === 'ar' ? '، ' : ', ');
  return s.windowText.replace('{days}', days).replace('{start}', time(w.start)).replace('{end}', time(w.end)).replace('{zone}', w.timeZone);
}

/** A service's VALIDATION_FAILED on the letter (its placeholders, a required part), beside the fields of `locale`; null for other errors. */
function letterServiceErrors(error: unknown, locale: Locale, values: LetterFormValues, s: ConsoleTargetsStrings): FormErrors | null {
  if (!(error instanceof AppError) || error.code !== 'VALIDATION_FAILED') return null;
  const errors: FormErrors = {};
  for (const { field } of (error.details as { field: string }[] | undefined) ?? []) {
    if (field.endsWith('subject')) errors[`subject.${locale}`] = values.texts[locale].subject.trim() ? s.errSubject : s.errSubjectPair;
    else if (field.endsWith('body')) errors[`body.${locale}`] = values.texts[locale].body.trim() ? s.errBody : s.errBodyPair;
    else errors.mode = s.errMode;
  }
  return errors;
}
