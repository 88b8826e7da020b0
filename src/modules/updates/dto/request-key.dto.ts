import { CommonErrors } from '../../../common/app-error';

/** A post's request key: 8 to 200 visible ASCII characters (a UUID fits). */
const REQUEST_KEY = /^[\x21-\x7e]{8,200}$/;

/**
 * The Idempotency-Key header of a post of an update: absent → null; a key that is not 8 to 200
 * visible ASCII characters → 400 VALIDATION_FAILED naming the header.
 */
export function requestKeyOf(header: unknown, field = 'Idempotency-Key'): string | null {
  if (header === undefined || header === '') return null;
  if (typeof header === 'string' && REQUEST_KEY.test(header)) return header;
  throw CommonErrors.validation([{ field, problems: [`${field} must be 8 to 200 visible ASCII characters (a UUID, say)`] }]);
}
