import { CommonErrors } from './app-error';

/**
 * An ISO 8601 instant as UTC: a date alone is its UTC midnight, a time without an offset is UTC
 * (never the server's zone). Forms a Date cannot read (week or ordinal dates) are refused.
 */
export function instantOf(field: string, value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const utc = /T/i.test(value) && !/(Z|[+-]\d{2}(:?\d{2})?)$/i.test(value) ? `${value}Z` : value;
  const instant = new Date(utc);
  if (Number.isNaN(instant.getTime())) {
    throw CommonErrors.validation([{ field, problems: [`${field} must be a date (YYYY-MM-DD) or a date and time`] }]);
  }
  return instant;
}
