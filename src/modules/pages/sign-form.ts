import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import type { Locale } from '../../common/locale';
import { CreateSignatureDto, nameProblem, textProblem } from '../signatures/dto/create-signature.dto';
import type { PageStrings } from './page-strings';

export const SIGN_FIELDS = ['name', 'email', 'country', 'city', 'comment'] as const;
export type SignField = (typeof SIGN_FIELDS)[number];

/** What the supporter typed, as sent back into the form when it has errors. */
export interface SignFormValues {
  name: string;
  email: string;
  country: string;
  city: string;
  comment: string;
  showName: boolean;
  contactConsent: boolean;
  /** With partners: the organisations ticked (one checkbox each), which the page checks against the campaign's. */
  contactOrganisations: string[];
  replyConsent: boolean;
}

export type SignFormErrors = Record<SignField, string | null>;

export interface SignFormResult {
  values: SignFormValues;
  errors: SignFormErrors;
  /** The signature to record, when there is no error. */
  dto: CreateSignatureDto | null;
}

/** A form field's value: a string, or '' for anything else a hostile client sends (arrays, nothing). */
function text(body: Record<string, unknown>, field: string, max: number): string {
  const value = body[field];
  return typeof value === 'string' ? value.slice(0, max + 1) : '';
}

const EMPTY_ERRORS: SignFormErrors = { name: null, email: null, country: null, city: null, comment: null };

/**
 * Reads a sign form post (application/x-www-form-urlencoded) with the API's own rules (the DTO and
 * its text rules), and words each problem in the page's language, one message per field.
 */
export function readSignForm(raw: unknown, locale: Locale, t: PageStrings): SignFormResult {
  const body = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const values: SignFormValues = {
    name: text(body, 'name', 100),
    email: text(body, 'email', 254),
    country: text(body, 'country', 2),
    city: text(body, 'city', 100),
    comment: text(body, 'comment', 1000).replace(/\r\n?/g, '\n'),
    showName: body.showName === 'on',
    contactConsent: body.contactConsent === 'on',
    contactOrganisations: ticked(body.contactOrganisations),
    replyConsent: body.replyConsent === 'on',
  };
  const dto = plainToInstance(CreateSignatureDto, {
    name: values.name,
    email: values.email,
    country: values.country,
    ...(values.city.trim() ? { city: values.city } : {}),
    ...(values.comment.trim() ? { comment: values.comment } : {}),
    showName: values.showName,
    // A form with partners has a checkbox per organisation; one without, the single box.
    contactConsent: values.contactOrganisations.length ? values.contactOrganisations : values.contactConsent,
    replyConsent: values.replyConsent,
    locale,
  });
  const failed = new Set(validateSync(dto).map((e) => e.property));
  const errors: SignFormErrors = { ...EMPTY_ERRORS };

  if (!dto.name) errors.name = t.errorNameMissing;
  else if (failed.has('name') && dto.name.length > 100) errors.name = t.errorNameTooLong;
  else if (failed.has('name') || nameProblem(dto.name)) errors.name = t.errorNameInvalid;

  if (!dto.email) errors.email = t.errorEmailMissing;
  else if (failed.has('email')) errors.email = t.errorEmailInvalid;

  if (failed.has('country')) errors.country = t.errorCountryMissing;
  if (failed.has('city') || (dto.city && textProblem('city', dto.city, false))) errors.city = t.errorCityInvalid;
  if (failed.has('comment') || (dto.comment && textProblem('comment', dto.comment, true))) {
    errors.comment = t.errorCommentInvalid;
  }
  const ok = SIGN_FIELDS.every((f) => errors[f] === null);
  return { values, errors, dto: ok ? dto : null };
}

/** Blank values for a fresh form. */
export function emptySignForm(): SignFormValues {
  return { name: '', email: '', country: '', city: '', comment: '', showName: false, contactConsent: false, contactOrganisations: [], replyConsent: false };
}

export function noErrors(): SignFormErrors {
  return { ...EMPTY_ERRORS };
}

/** The organisation ids of the consent checkboxes ticked (one value or several; anything not an id is dropped). */
function ticked(value: unknown): string[] {
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list.filter((v): v is string => typeof v === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v)).slice(0, 50);
}
