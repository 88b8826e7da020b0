import { IsEmail, IsString, MaxLength } from 'class-validator';
import { Trim } from '../../../common/trim';

/** An admin's erasure of one address (a supporter who asked by other means). */
export class AdminErasureDto {
  /** Every signature of this address (as signing matches addresses: Gmail dots and +tags ignored) is anonymised. */
  @Trim()
  @IsString()
  @MaxLength(254)
  @IsEmail({ allow_ip_domain: false, allow_utf8_local_part: true }, { message: 'email must be an email address' })
  email: string;
}
