import { Transform } from 'class-transformer';
import { IsIn, IsISO8601, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { ApiEnum } from '../../../common/api-schema';
import { IsCountryCode } from '../../../common/is-country-code.decorator';
import { Trim } from '../../../common/trim';

/** Every status a signature can be in. */
export const SIGNATURE_STATUSES = ['pending', 'verified', 'held', 'invalidated'] as const;

const upper = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toUpperCase() : value);

/** Which of a campaign's signatures an organiser lists or exports; all given must match. */
export class SignatureFiltersQueryDto {
  /** Only signatures in this status. */
  @IsOptional()
  @ApiEnum(SIGNATURE_STATUSES, { required: false })
  @IsIn(SIGNATURE_STATUSES)
  status?: (typeof SIGNATURE_STATUSES)[number];

  /** Only signatures from this country (ISO 3166-1 alpha-2). */
  @IsOptional()
  @Transform(upper)
  @IsCountryCode()
  country?: string;

  /** Signed at or after this instant (ISO 8601; a date alone is its UTC midnight). */
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  /** Signed before this instant (ISO 8601; a date alone is its UTC midnight). */
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;

  /**
   * The signature of this exact address, found through its blind index: any case, and for the
   * providers that ignore them without dots or a +tag, as signing compares addresses.
   */
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(254)
  @Matches(/^[^\s@]+@[^\s@]+$/, { message: 'email must be an email address' })
  email?: string;
}
