import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsISO8601, IsOptional, IsString, Matches, MaxLength, MinLength, ValidateIf } from 'class-validator';
import { ApiEnum } from '../../../common/api-schema';
import { Trim } from '../../../common/trim';
import { EMAIL_PATTERN } from '../email-pattern';

/** The statuses an invalidation may take signatures from (invalidated ones are taken already). */
export const INVALIDATION_STATUSES = ['verified', 'pending', 'held'] as const;
export type InvalidationStatus = (typeof INVALIDATION_STATUSES)[number];

/** A keyed hash of a client address, as Nida stores and shows it (HMAC-SHA-256, base64url). */
export const IP_HASH = /^[A-Za-z0-9_-]{43}$/;

/**
 * Which signatures of the campaign to take out, and why. At least one of ipHash, domain,
 * emailPattern, from, to; all given must match. `dryRun: true` only counts them.
 */
export class CreateInvalidationDto {
  /** The keyed hash of a client address (as trending shows it). */
  @IsOptional()
  @IsString()
  @Matches(IP_HASH, { message: 'ipHash must be an address hash as Nida shows it (43 characters of A-Z a-z 0-9 _ -)' })
  ipHash?: string;

  /** An email domain, any case (`mailinator.com`). */
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(253)
  @Matches(/^[^\s@%*"\\\p{Cc}]+\.[^\s@%*"\\\p{Cc}]+$/u, { message: 'domain must be a domain name such as example.org' })
  domain?: string;

  /**
   * The whole email, case-insensitively, where `*` stands for any characters (`*@bots.example`,
   * `promo+*@example.org`). Every other character stands for itself, `_` included; `%` is refused.
   */
  @IsOptional()
  @IsString()
  @Matches(EMAIL_PATTERN, {
    message: 'emailPattern must be an address pattern with * as its only wildcard (no %, spaces or quotes; not only *)',
  })
  emailPattern?: string;

  /** Signed at or after this instant (ISO 8601; a date alone is its UTC midnight). */
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  /** Signed before this instant (ISO 8601; a date alone is its UTC midnight). */
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;

  /** Only signatures in this status (default: verified, pending and held). */
  @IsOptional()
  @ApiEnum(INVALIDATION_STATUSES, { required: false })
  @IsIn(INVALIDATION_STATUSES)
  status?: InvalidationStatus;

  /** Why, for the record (required unless dryRun). */
  @ApiPropertyOptional()
  @ValidateIf((o: CreateInvalidationDto) => o.dryRun !== true || o.reason !== undefined)
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  reason?: string;

  /** Count the matches and change nothing. */
  @IsOptional()
  @IsBoolean()
  dryRun?: boolean;
}
