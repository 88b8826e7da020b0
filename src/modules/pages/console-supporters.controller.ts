import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { plainToInstance } from 'class-transformer';
import { isUUID, validate } from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../common/app-error';
import { decodeCursor } from '../../common/keyset-cursor';
import type { Locale } from '../../common/locale';
import { formatNumber, plural } from '../../common/plural';
import { CreateInvalidationDto, INVALIDATION_STATUSES } from '../signatures/dto/create-invalidation.dto';
import { ListSignaturesQueryDto } from '../signatures/dto/list-signatures-query.dto';
import { SIGNATURE_STATUSES } from '../signatures/dto/signature-filters-query.dto';
import type { SignatureListItemDto } from '../signatures/dto/signature-list-response.dto';
import { HeldSignaturesService } from '../signatures/held-signatures.service';
import { InvalidationsService } from '../signatures/invalidations.service';
import { SignatureListService, sendCsv } from '../signatures/signature-list.service';
import { field, formBody } from './console-cookies';
import { ConsoleKit, type ConsoleContext, consolePath, errorList, type FormErrors } from './console-kit';
import { SUPPORTERS_STRINGS, type SupportersStrings } from './console-supporters-strings';
import { ConsoleSupportersService, countryName, dayStart, formatInstant, isDay, type SupportersCampaign } from './console-supporters.service';

/** Signatures a page of the list shows. */
const PAGE_SIZE = 50;
/** Earlier pages' cursors a list link carries for "previous" (older ones fall back to the first page). */
const TRAIL_MAX = 20;
/** The filters of the list, as the form and the links name them. */
const FILTER_FIELDS = ['status', 'country', 'from', 'to', 'email'] as const;
type FilterField = (typeof FILTER_FIELDS)[number];
type Filters = Record<FilterField, string>;
/** The criteria fields of the invalidation form. */
const CRITERIA_FIELDS = ['domain', 'emailPattern', 'ipHash', 'from', 'to', 'status', 'reason'] as const;
type Criteria = Record<(typeof CRITERIA_FIELDS)[number], string>;

const FILTER_IDS: Record<string, string> = { status: 'f-status', country: 'f-country', from: 'f-from', to: 'f-to', email: 'f-email', cursor: 'f-status', ids: 'held-actions' };
const CRITERIA_IDS: Record<string, string> = {
  domain: 'i-domain',
  emailPattern: 'i-pattern',
  ipHash: 'i-iphash',
  from: 'i-from',
  to: 'i-to',
  status: 'i-status',
  reason: 'i-reason',
};

const path = {
  list: (l: Locale, id: string) => consolePath.campaignPage(l, id, 'supporters'),
  csv: (l: Locale, id: string) => consolePath.campaignPage(l, id, 'supporters.csv'),
  held: (l: Locale, id: string) => consolePath.campaignPage(l, id, 'supporters/held'),
  invalidate: (l: Locale, id: string) => consolePath.campaignPage(l, id, 'supporters/invalidate'),
};

/** Text of a query or form value, capped (hostile input never reaches a service uncapped). */
function text(value: unknown, max: number): string {
  const v = Array.isArray(value) ? value[0] : value;
  return typeof v === 'string' ? v.slice(0, max) : '';
}

function queryOf(request: FastifyRequest): Record<string, unknown> {
  return request.query && typeof request.query === 'object' ? (request.query as Record<string, unknown>) : {};
}

/** The filters as typed (trimmed, capped). */
function filtersOf(source: Record<string, unknown>): Filters {
  return {
    status: text(source.status, 20).trim(),
    country: text(source.country, 10).trim().toUpperCase(),
    from: text(source.from, 20).trim(),
    to: text(source.to, 20).trim(),
    email: text(source.email, 300).trim(),
  };
}

/** A query string of the filters that are set (and extra parameters), `?…` or ''. */
function queryString(filters: Filters, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  for (const name of FILTER_FIELDS) if (filters[name]) params.set(name, filters[name]);
  for (const [name, value] of Object.entries(extra)) if (value) params.set(name, value);
  const s = params.toString();
  return s ? `?${s}` : '';
}

/** The messages of class-validator's errors, one per property, in the page's words. */
async function problems(dto: object, message: (property: string) => string): Promise<FormErrors> {
  const errors: FormErrors = {};
  for (const e of await validate(dto, { forbidUnknownValues: true })) errors[e.property] = message(e.property);
  return errors;
}

/**
 * The console's Supporters pages: a campaign's signatures as its organisers see them through the
 * API (SignatureListService: same rows, same fields, same filters, keyset pages), the held ones
 * released or discarded (HeldSignaturesService), an invalidation counted first and then run
 * (InvalidationsService, its dry run first), and the CSV export streamed by the same service code
 * as `GET /api/v1/campaigns/:id/signatures.csv`, recorded in the audit log with the organiser as
 * actor. A campaign that is another organisation's is a 404 on every URL, as a malformed id.
 *
 * The export is a GET (a link, as a download should be): it changes nothing but adds an audit row,
 * and a session cookie is SameSite=Lax, so another site can at most make a signed-in organiser's
 * browser download a file that site cannot read, which the audit log then shows.
 */
@ApiExcludeController()
@Controller()
export class ConsoleSupportersController {
  constructor(
    private readonly kit: ConsoleKit,
    private readonly view: ConsoleSupportersService,
    private readonly signatures: SignatureListService,
    private readonly held: HeldSignaturesService,
    private readonly invalidations: InvalidationsService,
  ) {}

  @Get(['ar/console/campaigns/:id/supporters', 'en/console/campaigns/:id/supporters'])
  async list(@Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const ctx = await this.kit.page(request, reply);
    if (!ctx) return;
    const campaign = await this.view.campaign(ctx.session.principal, id, ctx.locale);
    if (!campaign) return this.kit.notFound(reply, ctx.locale);
    const query = queryOf(request);
    const notice = this.noticeOf(ctx.locale, query);
    return this.listPage(ctx, reply, campaign, query, { notice });
  }

  @Get(['ar/console/campaigns/:id/supporters.csv', 'en/console/campaigns/:id/supporters.csv'])
  async exportCsv(@Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const ctx = await this.kit.page(request, reply);
    if (!ctx) return;
    const campaign = await this.view.campaign(ctx.session.principal, id, ctx.locale);
    if (!campaign) return this.kit.notFound(reply, ctx.locale);
    const query = queryOf(request);
    const filters = filtersOf(query);
    const parsed = await this.filterDto(ctx.locale, campaign, filters);
    if ('errors' in parsed) return this.listPage(ctx, reply, campaign, query, {});
    const file = await this.signatures.export(ctx.session.principal, campaign.id, parsed.dto, request.ip);
    await sendCsv(reply, file);
  }

  /** Release or discard held signatures (selected on the list, or all of them); discarding asks first. */
  @Post(['ar/console/campaigns/:id/supporters/held', 'en/console/campaigns/:id/supporters/held'])
  async heldAction(@Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const ctx = await this.kit.post(request, reply);
    if (!ctx) return;
    const { locale } = ctx;
    const s = SUPPORTERS_STRINGS[locale];
    const campaign = await this.view.campaign(ctx.session.principal, id, locale);
    if (!campaign) return this.kit.notFound(reply, locale);
    const body = formBody(request);
    const filters = filtersOf(body);
    const action = text(body.action, 20);
    const all = action === 'release-all' || action === 'discard-all';
    const raw = body.ids === undefined ? [] : Array.isArray(body.ids) ? body.ids : [body.ids];
    const ids = [...new Set(raw.filter((v): v is string => typeof v === 'string' && isUUID(v)))].slice(0, 1000);
    if (!['release', 'discard', 'release-all', 'discard-all'].includes(action) || (!all && ids.length === 0)) {
      return this.listPage(ctx, reply, campaign, body, { errors: { ids: s.errorSelectNone }, status: 400 });
    }
    const selection = all ? { all: true } : { ids };
    const back = (extra: Record<string, string>) => `${path.list(locale, campaign.id)}${queryString(filters, extra)}`;
    if (action.startsWith('release')) {
      const { released } = await this.held.release(ctx.session.principal, campaign.id, selection, request.ip);
      return this.kit.redirect(reply, back({ done: 'released', n: String(released) }));
    }
    if (field(body, 'confirm') !== 'yes') {
      const html = this.kit.render(locale, 'console-supporters-discard', s.discardHeading, (l) => path.list(l, campaign.id), {
        s,
        tabs: this.kit.tabs(locale, campaign.id, 'supporters', ctx.session.principal),
        title: campaign.title,
        text: all ? s.discardAllText : plural(ids.length, locale, s.discardSelectedText),
        action: path.held(locale, campaign.id),
        csrf: ctx.session.csrfToken,
        kind: action,
        ids,
        filters: FILTER_FIELDS.map((name) => ({ name, value: filters[name] })).filter((f) => f.value),
        cancelUrl: back({}),
      });
      return this.kit.send(reply, 200, html);
    }
    const { discarded } = await this.held.discard(ctx.session.principal, campaign.id, selection, request.ip);
    return this.kit.redirect(reply, back({ done: 'discarded', n: String(discarded) }));
  }

  @Get(['ar/console/campaigns/:id/supporters/invalidate', 'en/console/campaigns/:id/supporters/invalidate'])
  async invalidatePage(@Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const ctx = await this.kit.page(request, reply);
    if (!ctx) return;
    const campaign = await this.view.campaign(ctx.session.principal, id, ctx.locale);
    if (!campaign) return this.kit.notFound(reply, ctx.locale);
    return this.invalidateForm(ctx, reply, campaign, criteriaOf({}), {}, null, 200);
  }

  /** `step=count`: the dry run, then a confirmation; `step=run`: the invalidation itself. */
  @Post(['ar/console/campaigns/:id/supporters/invalidate', 'en/console/campaigns/:id/supporters/invalidate'])
  async invalidate(@Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const ctx = await this.kit.post(request, reply);
    if (!ctx) return;
    const { locale } = ctx;
    const s = SUPPORTERS_STRINGS[locale];
    const campaign = await this.view.campaign(ctx.session.principal, id, locale);
    if (!campaign) return this.kit.notFound(reply, locale);
    const body = formBody(request);
    const criteria = criteriaOf(body);
    const run = field(body, 'step') === 'run';
    const errors: FormErrors = {};
    if (criteria.from && !isDay(criteria.from)) errors.from = s.errorDate;
    if (criteria.to && !isDay(criteria.to)) errors.to = s.errorDate;
    if (!errors.from && !errors.to && criteria.from && criteria.to && criteria.to < criteria.from) errors.to = s.errorRange;
    const dto = plainToInstance(CreateInvalidationDto, {
      ipHash: criteria.ipHash || undefined,
      domain: criteria.domain || undefined,
      emailPattern: criteria.emailPattern || undefined,
      from: criteria.from && !errors.from ? dayStart(criteria.from, campaign.timeZone) : undefined,
      to: criteria.to && !errors.to ? dayStart(criteria.to, campaign.timeZone, true) : undefined,
      status: criteria.status || undefined,
      reason: criteria.reason || (run ? '' : undefined),
      dryRun: !run,
    });
    const messages: Record<string, string> = {
      ipHash: s.errorIpHash,
      domain: s.errorDomain,
      emailPattern: s.errorPattern,
      status: s.errorStatus,
      reason: s.errorReason,
      from: s.errorDate,
      to: s.errorDate,
    };
    Object.assign(errors, { ...(await problems(dto, (p) => messages[p] ?? s.errorCriteria)), ...errors });
    if (Object.keys(errors).length) return this.invalidateForm(ctx, reply, campaign, criteria, errors, null, 400);
    try {
      const result = await this.invalidations.create(ctx.session.principal, campaign.id, dto, request.ip);
      if (!run) return this.invalidateForm(ctx, reply, campaign, criteria, {}, result, 200);
      const done = `${path.list(locale, campaign.id)}?done=invalidated&n=${result.matched}`;
      return this.kit.redirect(reply, done);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      if (error.code === 'INVALIDATION_CRITERIA_REQUIRED') return this.invalidateForm(ctx, reply, campaign, criteria, { domain: s.errorCriteria }, null, 400);
      if (error.code === 'VALIDATION_FAILED') return this.invalidateForm(ctx, reply, campaign, criteria, { to: s.errorRange }, null, 400);
      throw error;
    }
  }

  /** The list page: the filter form, a page of signatures (held ones selectable), paging, export and actions. */
  private async listPage(
    ctx: ConsoleContext,
    reply: FastifyReply,
    campaign: SupportersCampaign,
    source: Record<string, unknown>,
    { errors = {}, notice = '', status = 200 }: { errors?: FormErrors; notice?: string; status?: number },
  ) {
    const { locale } = ctx;
    const s = SUPPORTERS_STRINGS[locale];
    const filters = filtersOf(source);
    const cursor = text(source.cursor, 130);
    const trail = text(source.trail, TRAIL_MAX * 130)
      .split('.')
      .filter((c) => c !== '' && decodeCursor(c) !== null)
      .slice(-TRAIL_MAX);
    const parsed = await this.filterDto(locale, campaign, filters, cursor);
    let items: SignatureListItemDto[] = [];
    let nextCursor: string | null = null;
    if ('errors' in parsed) {
      Object.assign(errors, parsed.errors);
      status = 400;
    } else {
      try {
        ({ items, nextCursor } = await this.signatures.list(ctx.session.principal, campaign.id, parsed.dto));
      } catch (error) {
        if (!(error instanceof AppError) || error.code !== 'VALIDATION_FAILED') throw error;
        errors.cursor = s.errorCursor;
        status = 400;
      }
    }
    const listUrl = path.list(locale, campaign.id);
    const rows = items.map((item) => this.row(locale, s, campaign, item));
    const anyHeld = rows.some((r) => r.held);
    const html = this.kit.render(locale, 'console-supporters', s.heading.replace('{title}', campaign.title), (l) => path.list(l, campaign.id) + queryString(filters), {
      s,
      tabs: this.kit.tabs(locale, campaign.id, 'supporters', ctx.session.principal),
      title: campaign.title,
      notice,
      form: {
        action: listUrl,
        values: filters,
        errors,
        errorList: errorList(errors, FILTER_IDS),
        statuses: SIGNATURE_STATUSES.map((v) => ({ value: v, label: s.status[v], selected: v === filters.status })),
        countries: this.view.countries(locale).map((k) => ({ ...k, selected: k.code === filters.country })),
        datesHint: s.datesHint.replace('{zone}', campaign.timeZone),
        filtered: FILTER_FIELDS.some((f) => filters[f]),
      },
      rows,
      shown: rows.length ? plural(rows.length, locale, s.shown) : '',
      listed: status === 200,
      held: anyHeld
        ? {
            action: path.held(locale, campaign.id),
            csrf: ctx.session.csrfToken,
            all: filters.status === 'held',
            filters: FILTER_FIELDS.map((name) => ({ name, value: filters[name] })).filter((f) => f.value),
          }
        : null,
      heldUrl: `${listUrl}?status=held`,
      paging: {
        first: cursor ? `${listUrl}${queryString(filters)}` : null,
        prev: cursor
          ? `${listUrl}${queryString(filters, trail.length ? { cursor: trail[trail.length - 1], trail: trail.slice(0, -1).join('.') } : {})}`
          : null,
        next: nextCursor ? `${listUrl}${queryString(filters, { cursor: nextCursor, trail: [...trail, cursor].filter(Boolean).slice(-TRAIL_MAX).join('.') })}` : null,
      },
      csvUrl: `${path.csv(locale, campaign.id)}${queryString(filters)}`,
      invalidateUrl: path.invalidate(locale, campaign.id),
    });
    return this.kit.send(reply, status, html);
  }

  private row(locale: Locale, s: SupportersStrings, campaign: SupportersCampaign, item: SignatureListItemDto) {
    const signed = formatInstant(item.createdAt, campaign.timeZone, locale);
    const reason = item.heldReason ? (s.heldReason[item.heldReason] ?? s.heldReasonOther.replace('{code}', item.heldReason)) : '';
    return {
      id: item.id,
      signed,
      status: s.status[item.status] ?? item.status,
      statusCode: item.status,
      reason,
      held: item.status === 'held',
      name: item.name,
      country: countryName(item.country, locale),
      city: item.city,
      email: item.email,
      comment: item.comment,
      anonymised: item.anonymised,
      noConsent: !item.contactConsent,
      selectLabel: s.selectOne.replace('{name}', item.name ?? s.unnamed).replace('{date}', signed),
    };
  }

  /** The list's query DTO from the typed filters (days in the campaign's zone), checked by the API's own rules. */
  private async filterDto(
    locale: Locale,
    campaign: SupportersCampaign,
    filters: Filters,
    cursor = '',
  ): Promise<{ dto: ListSignaturesQueryDto } | { errors: FormErrors }> {
    const s = SUPPORTERS_STRINGS[locale];
    const errors: FormErrors = {};
    if (filters.from && !isDay(filters.from)) errors.from = s.errorDate;
    if (filters.to && !isDay(filters.to)) errors.to = s.errorDate;
    if (!errors.from && !errors.to && filters.from && filters.to && filters.to < filters.from) errors.to = s.errorRange;
    const dto = plainToInstance(ListSignaturesQueryDto, {
      limit: PAGE_SIZE,
      cursor: cursor || undefined,
      status: filters.status || undefined,
      country: filters.country || undefined,
      email: filters.email || undefined,
      from: filters.from && !errors.from ? dayStart(filters.from, campaign.timeZone) : undefined,
      to: filters.to && !errors.to ? dayStart(filters.to, campaign.timeZone, true) : undefined,
    });
    const messages: Record<string, string> = { status: s.errorStatus, country: s.errorCountry, email: s.errorEmail, cursor: s.errorCursor };
    Object.assign(errors, { ...(await problems(dto, (p) => messages[p] ?? s.errorDate)), ...errors });
    return Object.keys(errors).length ? { errors } : { dto };
  }

  private invalidateForm(
    ctx: ConsoleContext,
    reply: FastifyReply,
    campaign: SupportersCampaign,
    criteria: Criteria,
    errors: FormErrors,
    result: { matched: number; counted: number; unconfirmed: number } | null,
    status: number,
  ) {
    const { locale } = ctx;
    const s = SUPPORTERS_STRINGS[locale];
    const html = this.kit.render(locale, 'console-supporters-invalidate', s.invalidateHeading.replace('{title}', campaign.title), (l) => path.invalidate(l, campaign.id), {
      s,
      tabs: this.kit.tabs(locale, campaign.id, 'supporters', ctx.session.principal),
      title: campaign.title,
      form: {
        action: path.invalidate(locale, campaign.id),
        csrf: ctx.session.csrfToken,
        values: criteria,
        errors,
        errorList: errorList(errors, CRITERIA_IDS),
        statuses: INVALIDATION_STATUSES.map((v) => ({ value: v, label: s.status[v], selected: v === criteria.status })),
        datesHint: s.datesHint.replace('{zone}', campaign.timeZone),
        hidden: CRITERIA_FIELDS.filter((f) => f !== 'reason').map((name) => ({ name, value: criteria[name] })).filter((f) => f.value),
      },
      result: result
        ? {
            text: plural(result.matched, locale, s.wouldInvalidate),
            detail: s.wouldDetail.replace('{counted}', formatNumber(result.counted, locale)).replace('{unconfirmed}', formatNumber(result.unconfirmed, locale)),
            any: result.matched > 0,
          }
        : null,
      backUrl: path.list(locale, campaign.id),
    });
    return this.kit.send(reply, status, html);
  }

  /** The sentence of a finished action the list was redirected with (`done`, `n`). */
  private noticeOf(locale: Locale, query: Record<string, unknown>): string {
    const s = SUPPORTERS_STRINGS[locale];
    const done = text(query.done, 20);
    const n = Number(text(query.n, 9));
    if (!Number.isInteger(n) || n < 0) return '';
    if (done === 'released') return plural(n, locale, s.released);
    if (done === 'discarded') return plural(n, locale, s.discarded);
    if (done === 'invalidated') return plural(n, locale, s.invalidated);
    return '';
  }
}

function criteriaOf(body: Record<string, unknown>): Criteria {
  return {
    domain: text(body.domain, 300).trim(),
    emailPattern: text(body.emailPattern, 300).trim(),
    ipHash: text(body.ipHash, 100).trim(),
    from: text(body.from, 20).trim(),
    to: text(body.to, 20).trim(),
    status: text(body.status, 20).trim(),
    reason: text(body.reason, 600).trim(),
  };
}
