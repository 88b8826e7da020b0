import { IsString } from 'class-validator';

export class ConfirmErasureDto {
  /** The token from the erasure link. Any string: a wrong one, of any length, is 404 PRIVACY_LINK_INVALID. */
  @IsString()
  token: string;
}
