import { Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { isUUID } from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type ErrorDetail } from '../../common/app-error';
import type { Locale } from '../../common/locale';
import { titleIn } from '../../common/locale';
import { readUpload } from '../../common/multipart-upload';
import { formatNumber } from '../../common/plural';
import type { Principal } from '../../common/principal';
import { MediaSettings } from '../../config/environment';
import { CampaignsService } from '../campaigns/campaigns.service';
import { MediaErrors } from '../media/media.errors';
import { ALT_MAX, CREDIT_MAX, MediaService } from '../media/media.service';
import { ConsoleKit, consolePath, errorList, type FormErrors } from './console-kit';
import { CONSOLE_PHOTO_STRINGS, type ConsolePhotoStrings, kilobytes, megabytes } from './console-photo-strings';
import { pathLocale } from './page-reply';

const FIELD_IDS: Record<string, string> = { image: 'f-image', altAr: 'f-alt-ar', altEn: 'f-alt-en', credit: 'f-credit', general: 'f-image' };
const photoPath = (l: Locale, id: string) => consolePath.campaignPage(l, id, 'photo');
const removePath = (l: Locale, id: string) => consolePath.campaignPage(l, id, 'photo/remove');

interface PhotoForm {
  /** As sent; null on a GET: the current photo's texts, or empty. */
  values: { altAr: string; altEn: string; credit: string } | null;
  errors: FormErrors;
}

/**
 * The console's Photo page of a campaign: the current photo (its sizes and credit) and the share
 * card, a form to upload or replace it (multipart: file, alt text in each language, credit), and
 * its removal behind a confirmation page. The same rules as `PUT`/`DELETE …/image` (MediaService);
 * a refused file is said beside the file field in the page's language, with its code. A campaign
 * of another organisation, a missing one or a malformed id: the console's 404 page.
 */
@ApiExcludeController()
@Controller()
export class ConsolePhotoController {
  constructor(
    private readonly kit: ConsoleKit,
    private readonly campaigns: CampaignsService,
    private readonly media: MediaService,
    private readonly settings: MediaSettings,
  ) {}

  @Get(['ar/console/campaigns/:id/photo', 'en/console/campaigns/:id/photo'])
  async page(@Param('id') id: string, @Query('done') done: unknown, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const ctx = await this.kit.page(request, reply);
    if (!ctx) return;
    const s = CONSOLE_PHOTO_STRINGS[ctx.locale];
    const notice = done === 'saved' ? s.saved : done === 'texts' ? s.textsSaved : done === 'removed' ? s.removed : '';
    const html = await this.render(ctx.locale, ctx.session.principal, ctx.session.csrfToken, id, { values: null, errors: {} }, notice);
    if (html === null) return this.kit.notFound(reply, ctx.locale);
    return this.kit.send(reply, 200, html);
  }

  @Post(['ar/console/campaigns/:id/photo', 'en/console/campaigns/:id/photo'])
  async upload(@Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const locale = pathLocale(request) ?? 'en';
    const s = CONSOLE_PHOTO_STRINGS[locale];
    const fields: Record<string, string> = {};
    let file: Buffer | null = null;
    let filename = '';
    let refused: AppError | null = null;
    try {
      const upload = await readUpload(
        request,
        {
          fileField: 'image',
          maxBytes: this.settings.IMAGE_MAX_BYTES,
          tooLarge: () => MediaErrors.tooLarge(this.settings.IMAGE_MAX_BYTES),
          notMultipart: MediaErrors.notMultipart,
          malformed: () => new AppError(400, 'IMAGE_UPLOAD_MALFORMED', 'The upload could not be read.'),
        },
        fields,
      );
      file = upload.file?.data ?? null;
      filename = upload.file?.filename ?? '';
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      refused = error;
    }
    // The CSRF token travels in the multipart body: give the kit the fields read.
    (request as { body?: unknown }).body = fields;
    const values = { altAr: (fields.altAr ?? '').slice(0, ALT_MAX * 2), altEn: (fields.altEn ?? '').slice(0, ALT_MAX * 2), credit: (fields.credit ?? '').slice(0, CREDIT_MAX * 2) };
    let ctx;
    if (refused && fields.csrf === undefined) {
      // Refused before its fields were read (a Content-Length past the limit): nothing changes, so
      // the signed-in organiser gets the page with the reason, without a token to check.
      ctx = await this.kit.page(request, reply);
    } else {
      ctx = await this.kit.post(request, reply);
    }
    if (!ctx) return;
    const again = async (status: number, errors: FormErrors) => {
      const html = await this.render(locale, ctx.session.principal, ctx.session.csrfToken, id, { values, errors }, '');
      if (html === null) return this.kit.notFound(reply, locale);
      return this.kit.send(reply, status, html);
    };
    if (!isUUID(id)) return this.kit.notFound(reply, locale);
    // Field errors first (the same checks as the service), then the file.
    const textErrors = this.textErrors(s, this.media.checkTexts(values).problems);
    if (refused) return again(refused.status, { ...textErrors, image: this.fileError(s, locale, refused) });
    try {
      // Without a file, the current photo keeps its files and takes the texts sent.
      if (file) await this.media.setImage(ctx.session.principal, id, file, values, filename, request.ip);
      else await this.media.setTexts(ctx.session.principal, id, values, request.ip);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      if (error.code === 'IMAGE_NOT_FOUND') return again(400, { ...textErrors, image: s.errorFileMissing });
      if (error.status === 404 || error.status === 403) return this.kit.notFound(reply, locale);
      if (error.code === 'VALIDATION_FAILED') return again(400, this.textErrors(s, error.details as ErrorDetail[]));
      return again(error.status, { ...textErrors, image: this.fileError(s, locale, error) });
    }
    return this.kit.redirect(reply, `${photoPath(locale, id)}?done=${file ? 'saved' : 'texts'}`);
  }

  @Get(['ar/console/campaigns/:id/photo/remove', 'en/console/campaigns/:id/photo/remove'])
  async removePage(@Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const ctx = await this.kit.page(request, reply);
    if (!ctx) return;
    const view = await this.view(ctx.session.principal, id, ctx.locale);
    if (!view || !view.media.image) return this.kit.notFound(reply, ctx.locale);
    const s = CONSOLE_PHOTO_STRINGS[ctx.locale];
    const html = this.kit.render(ctx.locale, 'console-photo-remove', s.removeHeading, (l) => removePath(l, id), {
      s,
      title: view.title,
      tabs: this.kit.tabs(ctx.locale, id, 'photo', ctx.session.principal),
      photo: view.media.image.versions[0],
      alt: view.media.image.alt[ctx.locale],
      csrf: ctx.session.csrfToken,
      action: removePath(ctx.locale, id),
      cancelUrl: photoPath(ctx.locale, id),
    });
    return this.kit.send(reply, 200, html);
  }

  @Post(['ar/console/campaigns/:id/photo/remove', 'en/console/campaigns/:id/photo/remove'])
  async remove(@Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const ctx = await this.kit.post(request, reply);
    if (!ctx) return;
    if (!isUUID(id)) return this.kit.notFound(reply, ctx.locale);
    try {
      await this.media.removeImage(ctx.session.principal, id, request.ip);
    } catch (error) {
      if (error instanceof AppError && (error.status === 404 || error.status === 403)) return this.kit.notFound(reply, ctx.locale);
      throw error;
    }
    return this.kit.redirect(reply, `${photoPath(ctx.locale, id)}?done=removed`);
  }

  // ── helpers ──────────────────────────────────────────────────────────────

  private async view(principal: Principal, id: string, locale: Locale) {
    if (!isUUID(id)) return null;
    try {
      const campaign = await this.campaigns.owned(principal, id, 'edit');
      return { title: titleIn(campaign, locale), media: await this.media.ownedMedia(principal, id) };
    } catch (error) {
      if (error instanceof AppError && (error.status === 404 || error.status === 403)) return null;
      throw error;
    }
  }

  /** The page, or null when the campaign is not the organiser's to see (404). */
  private async render(locale: Locale, principal: Principal, csrf: string, id: string, form: PhotoForm, notice: string): Promise<string | null> {
    const view = await this.view(principal, id, locale);
    if (!view) return null;
    const s = CONSOLE_PHOTO_STRINGS[locale];
    const image = view.media.image;
    return this.kit.render(locale, 'console-photo', `${s.heading}: ${view.title}`, (l) => photoPath(l, id), {
      s,
      title: view.title,
      tabs: this.kit.tabs(locale, id, 'photo', principal),
      notice,
      csrf,
      action: photoPath(locale, id),
      removeUrl: removePath(locale, id),
      imageHint: s.fieldImageHint.replace('{size}', megabytes(this.settings.IMAGE_MAX_BYTES, locale)),
      image: image && {
        src: image.versions[0].jpeg,
        webp: image.versions[0].webp,
        width: image.versions[0].width,
        height: image.versions[0].height,
        alt: image.alt[locale],
        altAr: image.alt.ar,
        altEn: image.alt.en,
        credit: image.credit,
        sizes: image.versions.map((v) =>
          s.sizeLine.replace('{width}', formatNumber(v.width, locale)).replace('{webp}', kilobytes(v.webpBytes, locale)).replace('{jpeg}', kilobytes(v.jpegBytes, locale)),
        ),
      },
      card: view.media.shareCard,
      form: {
        values: form.values ?? { altAr: image?.alt.ar ?? '', altEn: image?.alt.en ?? '', credit: image?.credit ?? '' },
        errors: form.errors,
        errorList: errorList(form.errors, FIELD_IDS),
      },
    });
  }

  private textErrors(s: ConsolePhotoStrings, problems: ErrorDetail[]): FormErrors {
    const errors: FormErrors = {};
    for (const { field, problems: said } of problems) {
      const long = said.some((p) => p.includes('at most'));
      if (field === 'altAr') errors.altAr = long ? s.errorAltLong : s.errorAltAr;
      if (field === 'altEn') errors.altEn = long ? s.errorAltLong : s.errorAltEn;
      if (field === 'credit') errors.credit = s.errorCreditLong;
    }
    return errors;
  }

  /** A refused file in words, with its code. */
  private fileError(s: ConsolePhotoStrings, locale: Locale, error: AppError): string {
    const size = megabytes(this.settings.IMAGE_MAX_BYTES, locale);
    const sentence: Record<string, string> = {
      IMAGE_FILE_MISSING: s.errorFileMissing,
      IMAGE_TOO_LARGE: s.errorTooLarge.replace('{size}', size),
      IMAGE_TYPE_UNSUPPORTED: s.errorType,
      IMAGE_TYPE_MISMATCH: s.errorTypeMismatch,
      IMAGE_TOO_MANY_PIXELS: s.errorPixels,
      IMAGE_UNREADABLE: s.errorUnreadable,
      IMAGE_TOO_SMALL: s.errorTooSmall,
    };
    if (error.code === 'IMAGE_FILE_MISSING') return s.errorFileMissing;
    return `${sentence[error.code] ?? s.errorUpload} (${s.errorCode}: ${error.code})`;
  }
}
