import { IsOptional, IsString, Matches } from 'class-validator';
import { KeysetPageQueryDto } from '../../../common/keyset-page-query.dto';

/** A reason a signature was held, as the signing path stores it (e.g. `ip_burst`, `honeypot`). */
export const HELD_REASON = /^[a-z][a-z0-9_]{0,49}$/;

/** A page of a campaign's held signatures, newest first . */
export class ListHeldQueryDto extends KeysetPageQueryDto {
  /** Only those held for this reason. */
  @IsOptional()
  @IsString()
  @Matches(HELD_REASON, { message: 'reason must be a held reason such as ip_burst' })
  reason?: string;
}
