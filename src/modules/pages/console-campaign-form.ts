import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import type { ErrorDetail } from '../../common/app-error';
import { LOCALES, type Locale } from '../../common/locale';
import { flattenValidationErrors } from '../../common/validation.pipe';
import type { CampaignResponseDto } from '../campaigns/dto/campaign-response.dto';
import { CreateCampaignDto } from '../campaigns/dto/create-campaign.dto';
import { UpdateCampaignDto } from '../campaigns/dto/update-campaign.dto';
import { WinCampaignDto } from '../campaigns/dto/win-campaign.dto';
import type { ConsoleCampaignStrings } from './console-campaigns-strings';

/**
 * The console's campaign form: what it holds (both languages side by side, kind, goal, deadline as
 * a local date-time in a time zone, slug), how it becomes the JSON API's body, validated by the
 * API's own DTO classes with the API's pipe options, and how the API's field errors come back
 * beside the form's fields in the page's language.
 */
export interface CampaignFormValues {
  /** The campaign's own language (`locale` in the API): its texts are required. */
  locale: string;
  kind: string;
  title: Record<Locale, string>;
  summary: Record<Locale, string>;
  body: Record<Locale, string>;
  goal: string;
  /** `YYYY-MM-DDTHH:MM`, a wall-clock time in `timeZone` (or the platform's zone when that is empty). */
  endsAt: string;
  /** An IANA zone, or '' for the platform's PAGE_TIME_ZONE (null in the API). */
  timeZone: string;
  slug: string;
  /** `off`, `moderated` or `open`; '' (a post without it) leaves the campaign's as it is. */
  comments: string;
}

/** Form field name → the id of its input (error summary links, labels). */
export const FIELD_IDS: Record<string, string> = {
  locale: 'f-locale-ar',
  kind: 'f-kind-petition',
  title_ar: 'f-title-ar',
  summary_ar: 'f-summary-ar',
  body_ar: 'f-body-ar',
  title_en: 'f-title-en',
  summary_en: 'f-summary-en',
  body_en: 'f-body-en',
  goal: 'f-goal',
  endsAt: 'f-ends-at',
  timeZone: 'f-time-zone',
  slug: 'f-slug',
  comments: 'f-comments-moderated',
  general: 'f-general',
};

/** Longest text kept from a post (beyond the API's limits, so its own length check still speaks). */
const KEEP = { title: 400, summary: 1000, body: 40000, short: 200 };

const TEXT_OPTIONS = { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true, stopAtFirstError: false } as const;

function text(body: Record<string, unknown>, name: string, max: number): string {
  const value = body[name];
  return typeof value === 'string' ? value.slice(0, max) : '';
}

export function emptyCampaignForm(locale: Locale): CampaignFormValues {
  return {
    locale,
    kind: 'petition',
    title: { ar: '', en: '' },
    summary: { ar: '', en: '' },
    body: { ar: '', en: '' },
    goal: '',
    endsAt: '',
    timeZone: '',
    slug: '',
    comments: 'moderated',
  };
}

/** What a post of the form holds, kept as typed (cut at generous lengths). */
export function readCampaignForm(body: Record<string, unknown>): CampaignFormValues {
  const per = (name: string, max: number) =>
    Object.fromEntries(LOCALES.map((l) => [l, text(body, `${name}_${l}`, max)])) as Record<Locale, string>;
  return {
    locale: text(body, 'locale', KEEP.short),
    kind: text(body, 'kind', KEEP.short),
    title: per('title', KEEP.title),
    summary: per('summary', KEEP.summary),
    body: per('body', KEEP.body),
    goal: text(body, 'goal', KEEP.short),
    endsAt: text(body, 'endsAt', KEEP.short),
    timeZone: text(body, 'timeZone', KEEP.short),
    slug: text(body, 'slug', KEEP.short),
    comments: text(body, 'comments', KEEP.short),
  };
}

/** The form filled from a campaign as the API returns it; the deadline written in its zone. */
export function campaignFormValues(c: CampaignResponseDto, defaultZone: string, pageLocale: Locale): CampaignFormValues {
  const values = emptyCampaignForm(c.locale);
  values.kind = c.kind;
  for (const l of LOCALES) {
    const t = l === c.locale ? c : c.translations[l];
    if (!t) continue;
    values.title[l] = t.title;
    values.summary[l] = t.summary;
    values.body[l] = t.body;
  }
  values.goal = c.goal === null ? '' : new Intl.NumberFormat(pageLocale === 'ar' ? 'ar-u-nu-arab' : 'en', { useGrouping: false }).format(c.goal);
  values.timeZone = c.timeZone ?? '';
  values.endsAt = c.endsAt ? wallClock(new Date(c.endsAt), c.timeZone ?? defaultZone) : '';
  values.slug = c.slug;
  values.comments = c.comments;
  return values;
}

// ── time zones ──────────────────────────────────────────────────────────────

const DAY_MS = 86_400_000;
const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

function offsetMs(zone: string, at: number): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(at));
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const asUtc = Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'));
  return asUtc - Math.floor(at / 1000) * 1000;
}

/** Whether Node knows the zone (PostgreSQL's opinion is the API's to give). */
export function isKnownZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * The instant a wall-clock time (`YYYY-MM-DDTHH:MM`, as a datetime-local input sends it) names in
 * `zone`, or null when it is not a real date and time. A time skipped when the clocks go forward
 * is read with the offset before the change (02:30 becomes 03:30); a repeated one is its first occurrence.
 */
export function zonedToInstant(local: string, zone: string): Date | null {
  const m = LOCAL_DATE_TIME.exec(local);
  if (!m || !isKnownZone(zone)) return null;
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number);
  const guess = Date.UTC(y, mo - 1, d, h, mi, s);
  const check = new Date(guess);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return null;
  // The zone's offsets a day either side: a time that one of them names (both, when the clocks go
  // back) is read with it; a time neither names fell in the gap when the clocks went forward.
  const before = offsetMs(zone, guess - DAY_MS);
  const after = offsetMs(zone, guess + DAY_MS);
  const named = [guess - before, guess - after].filter((at) => offsetMs(zone, at) === guess - at);
  return new Date(named.length ? Math.min(...named) : guess - before);
}

/** The wall-clock time (`YYYY-MM-DDTHH:MM`) in `zone` at `at`, for a datetime-local input. */
export function wallClock(at: Date, zone: string): string {
  const shifted = new Date(at.getTime() + offsetMs(zone, at.getTime()));
  return shifted.toISOString().slice(0, 16);
}

// ── the API's body ──────────────────────────────────────────────────────────

/** Arabic-Indic and Persian digits as ASCII (a goal typed on an Arabic keyboard). */
function asciiDigits(s: string): string {
  return s.replace(/[\u0660-\u0669]/g, (c) => String(c.charCodeAt(0) - 0x0660)).replace(/[\u06f0-\u06f9]/g, (c) => String(c.charCodeAt(0) - 0x06f0));
}

export interface FormProblems {
  /** Form field → message, in the page's language. */
  errors: Record<string, string>;
}

/**
 * The API's body for the form: `create` for a new campaign (blank optional fields absent), else
 * an update that names every field the form shows (blank goal and deadline clear them). `current`:
 * the campaign as it is (an update leaves an unchanged deadline out, so a passed one can stay;
 * kind and slug are left out when they are locked). Errors the form alone can tell (a date that is
 * no date) come back in `errors`, keyed by form field.
 */
export function campaignBody(
  values: CampaignFormValues,
  defaultZone: string,
  current: CampaignResponseDto | null,
  s: ConsoleCampaignStrings,
): { body: Record<string, unknown>; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const main = (LOCALES as readonly string[]).includes(values.locale) ? (values.locale as Locale) : null;
  const body: Record<string, unknown> = { locale: values.locale };
  if (!current || current.status === 'draft') body.kind = values.kind;
  const own = main ?? 'en';
  body.title = values.title[own];
  body.summary = values.summary[own];
  body.body = values.body[own];
  const translations: Record<string, unknown> = {};
  for (const l of LOCALES) {
    if (l === own) continue;
    if (values.title[l].trim() || values.summary[l].trim() || values.body[l].trim()) {
      translations[l] = { title: values.title[l], summary: values.summary[l], body: values.body[l] };
    }
  }
  if (current || Object.keys(translations).length) body.translations = translations;

  const goal = asciiDigits(values.goal.trim());
  if (goal) body.goal = /^\d{1,12}$/.test(goal) ? Number(goal) : goal;
  else if (current) body.goal = null;

  const zone = values.timeZone.trim();
  if (zone) body.timeZone = zone;
  else if (current) body.timeZone = null;
  const effectiveZone = zone || defaultZone;

  const local = values.endsAt.trim();
  if (local) {
    if (zone && !isKnownZone(zone)) {
      // The zone's own error says it; the date cannot be read without one.
    } else {
      const at = zonedToInstant(local, effectiveZone);
      if (!at) errors.endsAt = s.errorEndsAtFormat;
      else if (!current || !unchangedDeadline(current, local, zone, defaultZone)) body.endsAt = at.toISOString();
    }
  } else if (current) {
    body.endsAt = null;
  }

  if (values.slug.trim()) {
    if (!current || current.status === 'draft') body.slug = values.slug.trim();
  }
  if (values.comments) body.comments = values.comments;
  return { body, errors };
}

/** Whether the form shows the deadline the campaign has (to the minute, in the same zone): then it is not sent. */
function unchangedDeadline(current: CampaignResponseDto, local: string, zone: string, defaultZone: string): boolean {
  if (!current.endsAt || (current.timeZone ?? '') !== zone) return false;
  return wallClock(new Date(current.endsAt), zone || defaultZone) === local;
}

/** Runs the API's DTO validation (the global pipe's options) on a body; its problems, flattened. */
export async function validateBody(kind: 'create', body: Record<string, unknown>): Promise<{ dto: CreateCampaignDto; problems: ErrorDetail[] }>;
export async function validateBody(kind: 'update', body: Record<string, unknown>): Promise<{ dto: UpdateCampaignDto; problems: ErrorDetail[] }>;
export async function validateBody(kind: 'create' | 'update', body: Record<string, unknown>) {
  const options = { enableImplicitConversion: false };
  const dto: object = kind === 'create' ? plainToInstance(CreateCampaignDto, body, options) : plainToInstance(UpdateCampaignDto, body, options);
  return { dto, problems: flattenValidationErrors(await validate(dto, TEXT_OPTIONS)) };
}

/** The win form's outcome, checked by the API's own DTO: the trimmed text (undefined when blank), or an error. */
export async function validateOutcome(outcome: string): Promise<{ outcome?: string; ok: boolean }> {
  const trimmed = outcome.trim();
  if (!trimmed) return { ok: true };
  const instance = plainToInstance(WinCampaignDto, { outcome: trimmed });
  const problems = await validate(instance, TEXT_OPTIONS);
  return problems.length ? { ok: false } : { outcome: instance.outcome, ok: true };
}

/**
 * The API's field errors (`title`, `translations.en.summary`, `endsAt`…) as the form's: each beside
 * its field, in the page's language. `main`: the campaign's own language (its texts are `title`…).
 */
export function formErrors(details: ErrorDetail[], main: Locale, s: ConsoleCampaignStrings): Record<string, string> {
  const errors: Record<string, string> = {};
  const put = (name: string, message: string) => {
    if (!errors[name]) errors[name] = message;
  };
  const textMessage = { title: s.errorTitle, summary: s.errorSummary, body: s.errorBody } as Record<string, string>;
  for (const d of details) {
    const parts = d.field.split('.');
    const problems = d.problems.join(' ');
    if (parts[0] in textMessage && parts.length === 1) {
      put(`${parts[0]}_${main}`, textMessage[parts[0]]);
    } else if (parts[0] === 'translations') {
      const l = parts[1] as Locale;
      if (!(LOCALES as readonly string[]).includes(l)) continue;
      const field = parts[2] && parts[2] in textMessage ? parts[2] : 'title';
      const other = s.errorTranslation.replace('{lang}', s.language[l]);
      put(`${field}_${l}`, parts[2] ? `${textMessage[field]}. ${other}` : other);
    } else if (parts[0] === 'kind') put('kind', s.errorKind);
    else if (parts[0] === 'locale') put('locale', s.errorLocale);
    else if (parts[0] === 'goal') put('goal', s.errorGoal);
    else if (parts[0] === 'endsAt') put('endsAt', /future/.test(problems) ? s.errorEndsAtPast : s.errorEndsAtFormat);
    else if (parts[0] === 'timeZone') put('timeZone', s.errorTimeZone);
    else if (parts[0] === 'slug') put('slug', s.errorSlug);
    else if (parts[0] === 'comments') put('comments', s.errorComments);
    else put('general', s.refusedOther);
  }
  return errors;
}
