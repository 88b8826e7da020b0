import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { AppError } from '../../common/app-error';
import { LETTER_MODES, type LetterMode } from '../../common/letter-mode';
import { unknownPlaceholders } from '../../common/letter-template';
import { LOCALES, type Locale } from '../../common/locale';
import { UpdateCampaignDto } from '../campaigns/dto/update-campaign.dto';
import { LetterTranslationDto } from '../letters/dto/letter-translation.dto';
import { CreateReplyDto } from '../targets/dto/create-reply.dto';
import { CreateTargetDto } from '../targets/dto/create-target.dto';
import { UpdateTargetDto } from '../targets/dto/update-target.dto';
import type { FormErrors } from './console-kit';
import type { ConsoleTargetsStrings } from './console-targets-strings';

type Body = Record<string, unknown>;

/** A form field as typed (a hostile client's arrays or objects read as ''), cut one past `max` so a length rule still fails. */
export function text(body: Body, name: string, max: number): string {
  const value = body[name];
  return typeof value === 'string' ? value.replace(/\r\n?/g, '\n').slice(0, max + 1) : '';
}

/** A repeated form field (checkboxes) as strings. */
function list(body: Body, name: string): string[] {
  const value = body[name];
  const values = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return values.filter((v): v is string => typeof v === 'string').slice(0, 8).map((v) => v.slice(0, 2));
}

const hasNul = (s: string) => s.includes('\u0000');

// ── targets ────────────────────────────────────────────────────────────────

export interface TargetFormValues {
  name: string;
  email: string;
  title: string;
  organisation: string;
  locale: string;
  country: string;
  emailPublic: boolean;
  windowOn: boolean;
  timeZone: string;
  start: string;
  end: string;
  days: string[];
}

/** The form's field ids, for the error summary's links. */
export const TARGET_FIELD_IDS: Record<string, string> = {
  name: 'f-name',
  email: 'f-email',
  title: 'f-title',
  organisation: 'f-organisation',
  locale: 'f-locale',
  country: 'f-country',
  timeZone: 'f-zone',
  start: 'f-start',
  end: 'f-end',
  days: 'f-day-1',
};

export function blankTargetForm(locale: Locale): TargetFormValues {
  return { name: '', email: '', title: '', organisation: '', locale, country: '', emailPublic: false, windowOn: false, timeZone: '', start: '', end: '', days: [] };
}

/** The form filled with a target as it is (the edit form). */
export function targetFormOf(t: {
  name: string;
  email: string;
  title: string | null;
  organisation: string | null;
  locale: Locale;
  country: string | null;
  emailPublic: boolean;
  sendingWindow: { timeZone: string; start: string; end: string; days: number[] } | null;
}): TargetFormValues {
  const w = t.sendingWindow;
  return {
    name: t.name,
    email: t.email,
    title: t.title ?? '',
    organisation: t.organisation ?? '',
    locale: t.locale,
    country: t.country ?? '',
    emailPublic: t.emailPublic,
    windowOn: w !== null,
    timeZone: w?.timeZone ?? '',
    start: w?.start ?? '',
    end: w?.end ?? '',
    days: (w?.days ?? []).map(String),
  };
}

export function readTargetForm(body: Body): TargetFormValues {
  return {
    name: text(body, 'name', 200),
    email: text(body, 'email', 254),
    title: text(body, 'title', 200),
    organisation: text(body, 'organisation', 200),
    locale: text(body, 'locale', 2),
    country: text(body, 'country', 2),
    emailPublic: body.emailPublic === 'on',
    windowOn: body.windowOn === 'on',
    timeZone: text(body, 'timeZone', 100),
    start: text(body, 'start', 8),
    end: text(body, 'end', 8),
    days: list(body, 'days'),
  };
}

/**
 * The form as the API's DTO (create, or update: every field, empty optional ones cleared) and the
 * problems its own rules find, worded for the page, one per field.
 */
export function validateTargetForm<T extends CreateTargetDto | UpdateTargetDto>(
  values: TargetFormValues,
  kind: 'create' | 'update',
  s: ConsoleTargetsStrings,
): { dto: T | null; errors: FormErrors } {
  const cleared = kind === 'update' ? null : undefined;
  const optional = (v: string) => (v.trim() ? v : cleared);
  const plain = {
    name: values.name,
    email: values.email,
    title: optional(values.title),
    organisation: optional(values.organisation),
    locale: values.locale,
    country: values.country ? values.country : cleared,
    emailPublic: values.emailPublic,
    sendingWindow: values.windowOn
      ? { timeZone: values.timeZone.trim(), start: values.start.slice(0, 5), end: values.end.slice(0, 5), days: values.days.map((d) => (/^[1-7]$/.test(d) ? Number(d) : d)) }
      : cleared,
  };
  const dto = plainToInstance(kind === 'create' ? CreateTargetDto : UpdateTargetDto, plain) as T;
  const errors: FormErrors = {};
  const messages: Record<string, string> = {
    name: s.errName,
    email: s.errTargetEmail,
    title: s.errTitle,
    organisation: s.errOrganisation,
    locale: s.errLocale,
    country: s.errCountry,
    timeZone: s.errTimeZone,
    start: s.errStart,
    end: s.errEnd,
    days: s.errDays,
  };
  for (const error of validateSync(dto)) {
    if (error.property === 'sendingWindow') {
      for (const child of error.children ?? []) errors[child.property] ??= messages[child.property] ?? s.errTimeZone;
    } else {
      errors[error.property] ??= messages[error.property] ?? s.errName;
    }
  }
  if (values.windowOn && !errors.start && !errors.end && values.start.slice(0, 5) >= values.end.slice(0, 5)) errors.end = s.errEndBefore;
  for (const name of ['name', 'email', 'title', 'organisation', 'timeZone'] as const) {
    if (hasNul(values[name])) errors[name] = s.errNul;
  }
  return { dto: Object.keys(errors).length ? null : dto, errors };
}

/** A service's VALIDATION_FAILED on a target, worded for the page; null for any other error. */
export function targetServiceErrors(error: unknown, s: ConsoleTargetsStrings): FormErrors | null {
  if (!(error instanceof AppError) || error.code !== 'VALIDATION_FAILED') return null;
  const errors: FormErrors = {};
  for (const { field } of (error.details as { field: string }[] | undefined) ?? []) {
    if (field === 'sendingWindow.timeZone') errors.timeZone = s.errTimeZoneUnknown;
    else if (field === 'sendingWindow.end') errors.end = s.errEndBefore;
    else errors[field.replace(/^sendingWindow\./, '')] = s.errName;
  }
  return errors;
}

// ── replies ────────────────────────────────────────────────────────────────

export interface ReplyFormValues {
  receivedOn: string;
  summary: string;
  publicText: string;
}

export const REPLY_FIELD_IDS: Record<string, string> = { receivedOn: 'f-received', summary: 'f-summary', publicText: 'f-public-text' };

export function readReplyForm(body: Body): ReplyFormValues {
  return { receivedOn: text(body, 'receivedOn', 10), summary: text(body, 'summary', 2000), publicText: text(body, 'publicText', 5000) };
}

export function validateReplyForm(values: ReplyFormValues, s: ConsoleTargetsStrings): { dto: CreateReplyDto | null; errors: FormErrors } {
  const dto = plainToInstance(CreateReplyDto, {
    receivedOn: values.receivedOn,
    summary: values.summary,
    ...(values.publicText.trim() ? { publicText: values.publicText } : {}),
  });
  const messages: Record<string, string> = { receivedOn: s.errReceivedOn, summary: s.errSummary, publicText: s.errPublicText };
  const errors: FormErrors = {};
  for (const error of validateSync(dto)) errors[error.property] ??= messages[error.property] ?? s.errSummary;
  if (hasNul(values.summary)) errors.summary = s.errNul;
  if (hasNul(values.publicText)) errors.publicText = s.errNul;
  return { dto: Object.keys(errors).length ? null : dto, errors };
}

// ── the letter ─────────────────────────────────────────────────────────────

export interface LetterFormValues {
  mode: string;
  texts: Record<Locale, { subject: string; body: string }>;
  /** The target the preview is for ('' for none). */
  previewTarget: string;
}

export const LETTER_FIELD_IDS: Record<string, string> = {
  mode: 'f-mode-per_signature',
  'subject.ar': 'f-subject-ar',
  'body.ar': 'f-body-ar',
  'subject.en': 'f-subject-en',
  'body.en': 'f-body-en',
  previewTarget: 'f-preview-target',
};

export function readLetterForm(body: Body): LetterFormValues {
  return {
    mode: text(body, 'mode', 20),
    texts: Object.fromEntries(LOCALES.map((l) => [l, { subject: text(body, `subject_${l}`, 200), body: text(body, `body_${l}`, 20000) }])) as LetterFormValues['texts'],
    previewTarget: text(body, 'previewTarget', 36),
  };
}

/**
 * The letter form checked with the API's rules: the mode, the campaign's own text (required unless
 * there are no letters) through UpdateCampaignDto's `letter`, each other language through
 * LetterTranslationDto when either of its fields is filled, and the placeholders against the
 * letters module's list. `translations`: per other language, the text to save or null to delete.
 */
export function validateLetterForm(
  values: LetterFormValues,
  own: Locale,
  s: ConsoleTargetsStrings,
): { mode: LetterMode; update: UpdateCampaignDto; translations: Partial<Record<Locale, LetterTranslationDto | null>> } | { errors: FormErrors } {
  const errors: FormErrors = {};
  const mode = (LETTER_MODES as readonly string[]).includes(values.mode) ? (values.mode as LetterMode) : null;
  if (!mode) errors.mode = s.errMode;
  const ownText = values.texts[own];
  const letter = {
    mode: mode ?? 'none',
    ...(ownText.subject.trim() || mode !== 'none' ? { subject: ownText.subject } : {}),
    ...(ownText.body.trim() || mode !== 'none' ? { body: ownText.body } : {}),
  };
  const update = plainToInstance(UpdateCampaignDto, { letter });
  for (const error of validateSync(update)) {
    for (const child of error.children ?? []) {
      if (child.property === 'subject') errors[`subject.${own}`] = s.errSubject;
      if (child.property === 'body') errors[`body.${own}`] = s.errBody;
    }
  }
  const translations: Partial<Record<Locale, LetterTranslationDto | null>> = {};
  for (const locale of LOCALES.filter((l) => l !== own)) {
    const t = values.texts[locale];
    if (!t.subject.trim() && !t.body.trim()) {
      translations[locale] = null;
      continue;
    }
    const dto = plainToInstance(LetterTranslationDto, { subject: t.subject, body: t.body });
    const failed = new Set(validateSync(dto).map((e: ValidationError) => e.property));
    if (failed.has('subject')) errors[`subject.${locale}`] = t.subject.trim() ? s.errSubject : s.errSubjectPair;
    if (failed.has('body')) errors[`body.${locale}`] = t.body.trim() ? s.errBody : s.errBodyPair;
    translations[locale] = dto;
  }
  for (const locale of LOCALES) {
    for (const part of ['subject', 'body'] as const) {
      const key = `${part}.${locale}`;
      const value = values.texts[locale][part];
      if (hasNul(value)) errors[key] = s.errNul;
      const unknown = unknownPlaceholders(value);
      if (!errors[key] && unknown.length) errors[key] = s.errPlaceholder.replace('{list}', unknown.map((u) => `{{${u}}}`).join(' '));
    }
  }
  if (Object.keys(errors).length || !mode) return { errors };
  return { mode, update, translations };
}
