import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { AppError } from '../../common/app-error';
import { LOCALES, type Locale } from '../../common/locale';
import { flattenValidationErrors } from '../../common/validation.pipe';
import { CreateUpdateDto } from '../updates/dto/create-update.dto';
import { field } from './console-cookies';
import type { FormErrors } from './console-kit';
import type { ConsoleUpdatesStrings } from './console-updates-strings';

/** The update form as typed: title and text per language, a case status ('' for unchanged), notify. */
export interface UpdateFormValues {
  title: Record<Locale, string>;
  body: Record<Locale, string>;
  caseStatus: string;
  notify: boolean;
  /** The form's request key (a hidden field; null when absent or malformed). */
  requestKey: string | null;
}

/** Each field's id (the error summary links to it). */
export const UPDATE_FIELD_IDS: Record<string, string> = {
  title_ar: 'f-title-ar',
  title_en: 'f-title-en',
  body_ar: 'f-body-ar',
  body_en: 'f-body-en',
  caseStatus: 'f-case-status',
  notify: 'f-notify',
  general: 'f-general',
};

const OPTIONS = { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true, stopAtFirstError: false } as const;

export function blankUpdateForm(): UpdateFormValues {
  return { title: { ar: '', en: '' }, body: { ar: '', en: '' }, caseStatus: '', notify: false, requestKey: null };
}

/** The posted form (fields that are not text read as empty). Texts longer than any limit are cut, so a page never echoes megabytes. */
export function readUpdateForm(posted: Record<string, unknown>): UpdateFormValues {
  const text = (name: string, max: number) => field(posted, name).slice(0, max);
  return {
    title: { ar: text('title_ar', 1000), en: text('title_en', 1000) },
    body: { ar: text('body_ar', 20000), en: text('body_en', 20000) },
    caseStatus: text('caseStatus', 100),
    notify: field(posted, 'notify') === 'on',
    requestKey: /^[0-9a-f-]{36}$/.test(field(posted, 'requestKey')) ? field(posted, 'requestKey') : null,
  };
}

/**
 * The form as the API's body, checked by the API's own DTO: the campaign's language is `title` and
 * `body`, the other (both or neither) its translation. Returns the DTO, or the errors beside their fields.
 */
export async function validateUpdateForm(
  values: UpdateFormValues,
  own: Locale,
  s: ConsoleUpdatesStrings,
): Promise<{ dto: CreateUpdateDto | null; errors: FormErrors }> {
  const errors: FormErrors = {};
  const body: Record<string, unknown> = { title: values.title[own], body: values.body[own], notify: values.notify };
  for (const l of LOCALES.filter((x) => x !== own)) {
    const [title, text] = [values.title[l].trim(), values.body[l].trim()];
    if (title && text) body.translations = { [l]: { title: values.title[l], body: values.body[l] } };
    else if (title || text) errors[title ? `body_${l}` : `title_${l}`] = s.errPair;
  }
  if (values.caseStatus) body.caseStatus = values.caseStatus;
  const dto = plainToInstance(CreateUpdateDto, body, { enableImplicitConversion: false });
  const problems = flattenValidationErrors(await validate(dto, OPTIONS));
  Object.assign(errors, fieldErrors(problems.map((p) => p.field), own, s));
  return { dto: Object.keys(errors).length ? null : dto, errors };
}

/** The API's field names (`title`, `translations.en.body`, `caseStatus`…) as the form's errors. */
export function fieldErrors(fields: string[], own: Locale, s: ConsoleUpdatesStrings, petition = false): FormErrors {
  const errors: FormErrors = {};
  const put = (name: string, message: string) => {
    if (!errors[name]) errors[name] = message;
  };
  for (const f of fields) {
    const parts = f.split('.');
    if (parts[0] === 'title' || parts[0] === 'body') put(`${parts[0]}_${own}`, parts[0] === 'title' ? s.errTitle : s.errBody);
    else if (parts[0] === 'translations' && (LOCALES as readonly string[]).includes(parts[1])) {
      const which = parts[2] === 'body' ? 'body' : 'title';
      put(`${which}_${parts[1]}`, which === 'title' ? s.errTitle : s.errBody);
    } else if (parts[0] === 'caseStatus') put('caseStatus', petition ? s.errCaseStatusPetition : s.errCaseStatus);
    else put('general', s.errOther.replace('{code}', 'VALIDATION_FAILED'));
  }
  return errors;
}

/** A VALIDATION_FAILED from the service (a case status on a petition, a translation in the campaign's own language) as form errors. */
export function serviceFieldErrors(error: AppError, own: Locale, s: ConsoleUpdatesStrings, petition: boolean): FormErrors {
  const details = Array.isArray(error.details) ? (error.details as { field?: unknown }[]) : [];
  const fields = details.map((d) => (typeof d.field === 'string' ? d.field : ''));
  return fieldErrors(fields.length ? fields : [''], own, s, petition);
}
