import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { CreatePrivacyRequestDto } from '../privacy/dto/create-privacy-request.dto';
import type { PageStrings } from './page-strings';

export interface PrivacyFormResult {
  /** What was typed, to show again with an error. */
  email: string;
  error: string | null;
  /** The address as the API takes it, when there is no error. */
  dto: CreatePrivacyRequestDto | null;
}

/** Reads an erasure or access form post with the API's own rules, and words a problem in the page's language. */
export function readPrivacyForm(raw: unknown, t: PageStrings): PrivacyFormResult {
  const body = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const email = typeof body.email === 'string' ? body.email.slice(0, 255) : '';
  const dto = plainToInstance(CreatePrivacyRequestDto, { email });
  if (!dto.email) return { email, error: t.errorEmailMissing, dto: null };
  if (validateSync(dto).length) return { email, error: t.errorEmailInvalid, dto: null };
  return { email, error: null, dto };
}
