import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { answerPath } from '../../common/answer-token';
import { stripBidiControls } from '../../common/bidi-controls';
import { titleIn, type Locale } from '../../common/locale';
import { formatNumber } from '../../common/plural';
import { Environment } from '../../config/environment';
import { ANSWER_LIMITS, type SubmitAnswerDto } from '../targets/dto/submit-answer.dto';
import { type AnswerLink, TargetAnswersService } from '../targets/target-answers.service';
import { ANSWER_STRINGS } from './answer-strings';
import { formBody } from './console-cookies';
import { FormBotCheck, RENDERED_AT_FIELD } from './form-bot-check';
import { PageRenderer } from './page-renderer';
import { isCrossSitePost, pathLocale, sendPage } from './page-reply';
import { alternates, pagePath } from './public-pages.service';

type Fields = 'text' | 'name' | 'position';
type FormValues = Record<Fields, string>;
type FormErrors = Partial<Record<Fields, string>>;

/** The bot check's key for a target's form: not a campaign slug (slugs hold no colon), so a stamp of one never passes the other. */
const botKey = (link: AnswerLink) => `answer:${link.targetId}`;

/**
 * The page where an official answers a campaign, reached from the link at the end of every letter
 * (`/{lang}/answer/{token}`; the token is the credential). A GET only shows the form (mail
 * scanners open links); the POST stores the answer for the organisers to approve. A malformed,
 * unknown or expired token gets the same 404 page, so the page tells nothing about which.
 * Bots are met like on the sign form (a honeypot and a signed render time): a held post sees the
 * usual "received" page and nothing is stored.
 */
@ApiExcludeController()
@Controller()
export class AnswerPageController {
  private readonly publicOrigin: string;

  constructor(
    private readonly answers: TargetAnswersService,
    private readonly pages: PageRenderer,
    private readonly bots: FormBotCheck,
    env: Environment,
  ) {
    this.publicOrigin = new URL(env.PUBLIC_URL).origin;
  }

  @Get(['answer/:token', 'ar/answer/:token', 'en/answer/:token'])
  async show(@Param('token') token: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const link = await this.answers.open(token);
    const locale = pathLocale(request) ?? link?.targetLocale ?? 'en';
    if (!link) return this.invalid(reply, locale);
    const values: FormValues = { text: '', name: '', position: '' };
    return sendPage(reply, 200, this.form(locale, token, link, values, {}, this.bots.stamp(botKey(link))));
  }

  @Post(['answer/:token', 'ar/answer/:token', 'en/answer/:token'])
  async post(@Param('token') token: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const link = await this.answers.open(token);
    const locale = pathLocale(request) ?? link?.targetLocale ?? 'en';
    const a = ANSWER_STRINGS[locale];
    if (isCrossSitePost(request, this.publicOrigin)) {
      return sendPage(reply, 403, this.pages.render('message', { locale, title: a.crossSiteTitle, alternates: {} }, { heading: a.crossSiteTitle, text: '' }));
    }
    if (!link) return this.invalid(reply, locale);
    const body = formBody(request);
    const { values, errors, dto } = readAnswerForm(body, locale);
    if (!dto) {
      const posted = body[RENDERED_AT_FIELD];
      const renderedAt = this.bots.renderedAt(botKey(link), posted) === null ? this.bots.stamp(botKey(link)) : String(posted);
      return sendPage(reply, 400, this.form(locale, token, link, values, errors, renderedAt));
    }
    const held = this.bots.check(botKey(link), body);
    const outcome = held ? 'received' : await this.answers.submit(link, dto);
    const done = (title: string, text: string, status: number) =>
      sendPage(
        reply,
        status,
        this.pages.render('message', { locale, title, alternates: {} }, { heading: title, text, link: { href: pagePath.campaign(locale, link.campaign.slug), label: a.backToCampaign } }),
      );
    if (outcome === 'limited') return done(a.limitedTitle, a.limitedText, 429);
    return done(a.receivedTitle, a.receivedText, 200);
  }

  private form(locale: Locale, token: string, link: AnswerLink, values: FormValues, errors: FormErrors, renderedAt: string): string {
    const a = ANSWER_STRINGS[locale];
    const ids: Record<Fields, string> = { text: 'f-text', name: 'f-name', position: 'f-position' };
    return this.pages.render(
      'answer',
      { locale, title: `${a.title} · ${titleIn(link.campaign, locale)}`, alternates: alternates((l) => answerPath(l, token)) },
      {
        a,
        intro: a.intro.replace('{campaign}', titleIn(link.campaign, locale)).replace('{target}', link.targetName),
        limits: ANSWER_LIMITS,
        form: {
          action: answerPath(locale, token),
          values,
          errors,
          renderedAt,
          errorList: (Object.keys(ids) as Fields[]).filter((f) => errors[f]).map((f) => ({ target: ids[f], message: errors[f] })),
        },
      },
    );
  }

  /** The one page for a malformed, unknown or expired link: it does not repeat the token, so all three are the same bytes. */
  private invalid(reply: FastifyReply, locale: Locale) {
    const a = ANSWER_STRINGS[locale];
    const t = this.pages.strings(locale);
    const html = this.pages.render(
      'message',
      { locale, title: a.invalidTitle, alternates: alternates((l) => pagePath.home(l)) },
      { heading: a.invalidTitle, text: a.invalidText, link: { href: pagePath.home(locale), label: t.home } },
    );
    return sendPage(reply, 404, html);
  }
}

/** The answer form as posted: its values (for showing again), its errors, and the answer when there are none. */
export function readAnswerForm(body: Record<string, unknown>, locale: Locale): { values: FormValues; errors: FormErrors; dto: SubmitAnswerDto | null } {
  const a = ANSWER_STRINGS[locale];
  const text = (name: Fields) => {
    const v = body[name];
    return typeof v === 'string' ? stripBidiControls(v).trim() : '';
  };
  const values: FormValues = { text: text('text'), name: text('name'), position: text('position') };
  const errors: FormErrors = {};
  const max = (n: number) => formatNumber(n, locale);
  if (!values.text) errors.text = a.errorText;
  else if (values.text.length > ANSWER_LIMITS.text) errors.text = a.errorTextLong.replace('{max}', max(ANSWER_LIMITS.text));
  if (values.name.length > ANSWER_LIMITS.name) errors.name = a.errorName.replace('{max}', max(ANSWER_LIMITS.name));
  if (values.position.length > ANSWER_LIMITS.position) errors.position = a.errorPosition.replace('{max}', max(ANSWER_LIMITS.position));
  const dto = Object.keys(errors).length ? null : { text: values.text, name: values.name || null, position: values.position || null };
  return { values, errors, dto };
}
