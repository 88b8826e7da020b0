import { ApiEnum, ApiLocale } from '../../../common/api-schema';
import type { Locale } from '../../../common/locale';
import { SIGNATURE_STATUSES } from './signature-filters-query.dto';

/**
 * A signature as its campaign's organisers see it. The email only of a supporter who agreed to be
 * contacted; name, city and comment are null once the signature is anonymised (retention, erasure).
 */
export class SignatureListItemDto {
  id: string;
  @ApiEnum(SIGNATURE_STATUSES)
  status: (typeof SIGNATURE_STATUSES)[number];
  country: string;
  createdAt: string;
  verifiedAt: string | null;
  name: string | null;
  city: string | null;
  comment: string | null;
  /** The supporter agreed to be listed by name on the campaign's page. */
  showName: boolean;
  /** The supporter agreed that the campaign may contact them: only then is `email` given. */
  contactConsent: boolean;
  /** The supporter agreed that an official may reply to them directly. */
  replyConsent: boolean;
  @ApiLocale()
  locale: Locale;
  /** Why a held signature was held (e.g. `ip_burst`). */
  heldReason: string | null;
  /** The supporter's details were removed (retention or erasure); the signature still counts. */
  anonymised: boolean;
  /** As the supporter typed it, when `contactConsent` (and not anonymised); else null. */
  email: string | null;
}

export class SignatureListResponseDto {
  items: SignatureListItemDto[];
  /** Pass as `cursor` for the next page; null on the last. */
  nextCursor: string | null;
}
